"""An uploaded .xlsx costs a bounded amount of time and memory, whatever is inside it.

Two steps, after the zip container's own checks (size, entries, declared uncompressed size):

1. ``workbook_scan`` — a streaming pass over every XML part *before openpyxl builds anything*:
   expat is fed 64 KB at a time from the zip member stream and only counts (cells, rows and
   columns, declared ``<dimension>``, shared strings, characters of text, elements), per sheet
   and in total, stopping at the first limit crossed. Text is counted as it streams and never
   held, so a huge part is never loaded whole. A document type declaration (entity bombs) or
   malformed XML is a problem, not a 500.
2. ``workbook_read`` — openpyxl reads the rows in a child process with an address-space limit
   (``RLIMIT_AS``) and a CPU limit (``RLIMIT_CPU``) plus a wall-clock timeout, so even a workbook
   that passes the scan and still turns out costly is stopped at about 2 s of CPU and 150 MB.
   The child is this file run as a script: it imports only the standard library and openpyxl
   (not Django, not the app), and answers in JSON.

Both refuse with ``WorkbookRefused``, a list of (sheet name, Chinese message).
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from xml.parsers import expat

# The app's template has at most 8 columns and a few header rows; these leave ample room.
MAX_ROWS = 2000
MAX_COLUMNS = 50
MAX_CELLS_PER_SHEET = MAX_ROWS * MAX_COLUMNS
MAX_CELLS = 200_000
MAX_SHARED_STRINGS = 100_000
MAX_TEXT_CHARS = 10_000_000  # characters of text in the sheets and shared strings together
MAX_ELEMENTS_PER_PART = 1_000_000
CHUNK = 64 * 1024

PARSE_CPU_SECONDS = 2
PARSE_MEMORY_MB = 150
PARSE_WALL_SECONDS = 15

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")

DAMAGED = "文件已损坏，无法作为 Excel 工作簿读取。请在 Excel 中打开并另存为 .xlsx 后再上传。"
TOO_COSTLY = "文件内容过于复杂，无法在限定的时间和内存内读取，未导入。请只保留模板中的表格，另存为 .xlsx 后再上传。"


class WorkbookRefused(Exception):  # noqa: N818
    """Every problem as (sheet name or "", message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


def _refuse(message: str, sheet: str = "") -> WorkbookRefused:
    return WorkbookRefused([(sheet, message)])


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _ref(text: str) -> tuple[int, int] | None:
    match = _REF.match(text or "")
    if not match:
        return None
    return int(match.group(2)), _column_number(match.group(1))


class _Stop(Exception):
    """Raised from an expat handler to stop the scan at the first limit crossed."""

    def __init__(self, message: str):
        self.message = message


@dataclass
class _Totals:
    cells: int = 0
    text: int = 0


@dataclass
class _Part:
    """What one streamed XML part held."""

    name: str
    sheet: str = ""  # the sheet's name when the part is a worksheet
    elements: int = 0
    cells: int = 0
    shared_strings: int = 0
    attributes: list[tuple[str, dict]] = field(default_factory=list)  # kept only where asked


def _stream(archive: zipfile.ZipFile, part: _Part, totals: _Totals, *, keep: tuple[str, ...] = ()) -> None:
    """Feed ``part`` through expat chunk by chunk, counting; ``WorkbookRefused`` at the first
    limit crossed, a DTD or malformed XML."""
    is_sheet = bool(part.sheet)
    where = "" if is_sheet else f"部件 {part.name} "  # a sheet's problem is already headed by its name
    row_cursor = 0  # rows without r="" follow the previous one, as Excel and openpyxl read them
    col_cursor = 0

    def too_many_rows():
        return _Stop(f"行数超过 {MAX_ROWS} 行，请删除多余的行后再上传。")

    def too_many_columns():
        return _Stop(f"列数超过 {MAX_COLUMNS} 列，请只保留模板中的表格后再上传。")

    def start(name: str, attrs: dict) -> None:
        nonlocal row_cursor, col_cursor
        part.elements += 1
        if part.elements > MAX_ELEMENTS_PER_PART:
            raise _Stop(f"{where}包含的元素过多，疑似恶意构造的文件，不能上传。")
        local = name.rpartition(" ")[2]
        if keep and local in keep:
            part.attributes.append((local, attrs))
        if not is_sheet:
            if local == "si":
                part.shared_strings += 1
                if part.shared_strings > MAX_SHARED_STRINGS:
                    raise _Stop(f"共享字符串超过 {MAX_SHARED_STRINGS} 个，疑似恶意构造的文件，不能上传。")
            return
        if local == "dimension":
            declared = attrs.get("ref", "")
            last = _ref(declared.rpartition(":")[2])
            if last is not None:
                rows, cols = last
                if rows > MAX_ROWS:
                    raise too_many_rows()
                if cols > MAX_COLUMNS:
                    raise _Stop(
                        f"列数超过 {MAX_COLUMNS} 列（文件声明的数据范围为 {declared}），请只保留模板中的表格后再上传。"
                    )
        elif local == "row":
            r = attrs.get("r")
            row_cursor = int(r) if r and r.isdigit() else row_cursor + 1
            col_cursor = 0
            if row_cursor > MAX_ROWS:
                raise too_many_rows()
        elif local == "c":
            part.cells += 1
            totals.cells += 1
            if part.cells > MAX_CELLS_PER_SHEET:
                raise _Stop(f"单元格超过 {MAX_CELLS_PER_SHEET} 个，请删除多余的内容后再上传。")
            if totals.cells > MAX_CELLS:
                raise _Stop(f"整个工作簿的单元格超过 {MAX_CELLS} 个，请删除多余的内容后再上传。")
            ref = _ref(attrs.get("r", ""))
            if ref is not None:
                row, col_cursor = ref
                if row > MAX_ROWS:
                    raise too_many_rows()
            else:
                col_cursor += 1
            if col_cursor > MAX_COLUMNS:
                raise too_many_columns()

    def text(data: str) -> None:
        totals.text += len(data)
        if totals.text > MAX_TEXT_CHARS:
            raise _Stop("文件中的文字过多，疑似恶意构造的文件，不能上传。")

    def doctype(*args) -> None:
        raise _Stop(f"{where}含有文档类型声明（DTD），疑似恶意构造的文件，不能上传。")

    def entity(*args) -> None:
        raise _Stop(f"{where}含有实体声明，疑似恶意构造的文件，不能上传。")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = entity
    if is_sheet or part.name == "xl/sharedStrings.xml":
        parser.CharacterDataHandler = text
    try:
        with archive.open(part.name) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop as stop:
        raise _refuse(stop.message, part.sheet) from None
    except expat.ExpatError as error:
        line = getattr(error, "lineno", None)
        raise _refuse(
            f"{where}内容不是有效的 XML（第 {line} 行附近有错误），文件已损坏，无法读取。"
            "请在 Excel 中打开并另存为 .xlsx 后再上传。",
            part.sheet,
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):  # a bad CRC or a truncated member
        raise _refuse(DAMAGED) from None


def _sheet_parts(archive: zipfile.ZipFile, names: set[str], totals: _Totals) -> dict[str, str]:
    """Worksheet part name → sheet name, from xl/workbook.xml and its relationships."""
    workbook = _Part("xl/workbook.xml")
    _stream(archive, workbook, totals, keep=("sheet",))
    targets: dict[str, str] = {}
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name in names:
        rels = _Part(rels_name)
        _stream(archive, rels, totals, keep=("Relationship",))
        for _, attrs in rels.attributes:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[attrs.get("Id", "")] = path
    sheets: dict[str, str] = {}
    for _, attrs in workbook.attributes:
        path = targets.get(attrs.get(f"{_NS_REL} id", ""))
        if path:
            sheets[path] = attrs.get("name", "")
    return sheets


def workbook_scan(content: bytes) -> None:
    """Stream every XML part of an .xlsx (already checked as a zip); raise ``WorkbookRefused``."""
    totals = _Totals()
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except (zipfile.BadZipFile, OSError):
        raise _refuse(DAMAGED) from None
    with archive:
        names = {info.filename for info in archive.infolist()}
        sheets = _sheet_parts(archive, names, totals)
        for info in archive.infolist():
            name = info.filename
            if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels") or not name.endswith((".xml", ".rels")):
                continue
            sheet = sheets.get(name, "")
            if not sheet and name.startswith("xl/worksheets/") and name.count("/") == 2:
                sheet = posixpath.basename(name)  # a sheet part the workbook does not name
            _stream(archive, _Part(name, sheet=sheet), totals)


# ---------------------------------------------------------------- reading, in a child process


def workbook_read(content: bytes, titles: tuple[str, ...]) -> dict[str, dict | None]:
    """The rows of each sheet in ``titles`` (``None`` when the workbook has no such sheet), read by
    openpyxl in a child process under ``PARSE_CPU_SECONDS`` and ``PARSE_MEMORY_MB``.

    Each sheet is ``{"rows": [[value, …], …], "uncached": [[row, column], …]}``, ``uncached``
    listing formula cells saved without a computed value. Values are str, int, float, bool or
    None (dates and times come as their text)."""
    params = {"titles": titles, "max_rows": MAX_ROWS, "cpu_seconds": PARSE_CPU_SECONDS, "memory_mb": PARSE_MEMORY_MB}
    command = [sys.executable, "-I", __file__, json.dumps(params)]
    try:
        result = subprocess.run(  # noqa: S603 - our own script, arguments from our own code
            command,
            input=content,
            capture_output=True,
            timeout=PARSE_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _refuse(TOO_COSTLY) from None
    if result.returncode == _EXIT_DAMAGED:
        raise _refuse("文件无法作为 Excel 工作簿读取，可能已损坏。请在 Excel 中另存为 .xlsx 后再上传。")
    if result.returncode == _EXIT_TOO_MANY_ROWS:
        sheet = result.stdout.decode("utf-8", "replace")
        raise _refuse(f"行数超过 {MAX_ROWS} 行，请删除多余的行后再上传。", sheet)
    if result.returncode != 0:  # killed at the CPU limit (SIGXCPU/SIGKILL) or out of memory
        raise _refuse(TOO_COSTLY)
    return json.loads(result.stdout)


def _limit_child(*, cpu_seconds: int, memory_mb: int) -> None:
    """Bound this (child) process before it imports openpyxl. Set here rather than in a
    ``preexec_fn``, which is unsafe in a parent with threads (the app runs batch tasks on one)."""
    import resource

    def lower(kind: int, soft: int, hard: int) -> None:
        _, current = resource.getrlimit(kind)  # never above a limit the parent already has
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))

    memory = memory_mb * 1024 * 1024
    lower(resource.RLIMIT_AS, memory, memory)
    lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    lower(resource.RLIMIT_CORE, 0, 0)


_EXIT_DAMAGED = 3
_EXIT_TOO_MANY_ROWS = 4
_EXIT_OUT_OF_MEMORY = 5


def _plain(value):
    """A cell value JSON can carry: dates, times and anything else as their text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _child_main() -> int:
    params = json.loads(sys.argv[1])
    _limit_child(cpu_seconds=params["cpu_seconds"], memory_mb=params["memory_mb"])
    max_rows = params["max_rows"]
    content = sys.stdin.buffer.read()
    try:
        from openpyxl import load_workbook

        values = load_workbook(BytesIO(content), read_only=True, data_only=True)
        formulas = load_workbook(BytesIO(content), read_only=True, data_only=False)
        sheets: dict[str, dict | None] = {}
        for title in params["titles"]:
            if title not in values.sheetnames:
                sheets[title] = None
                continue
            rows, uncached = [], []
            # Rows are as wide as the sheet's declared range, which the scan has bounded.
            value_rows, formula_rows = values[title].iter_rows(), formulas[title].iter_rows()
            for index, (vrow, frow) in enumerate(zip(value_rows, formula_rows, strict=False), start=1):
                if index > max_rows:
                    sys.stdout.buffer.write(title.encode())
                    return _EXIT_TOO_MANY_ROWS
                row = []
                for column, (vcell, fcell) in enumerate(zip(vrow, frow, strict=False), start=1):
                    value = getattr(vcell, "value", None)
                    if getattr(fcell, "data_type", None) == "f" and value is None:
                        uncached.append([index, column])
                    row.append(_plain(value))
                rows.append(row)
            sheets[title] = {"rows": rows, "uncached": uncached}
        values.close()
        formulas.close()
    except MemoryError:
        return _EXIT_OUT_OF_MEMORY
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        return _EXIT_DAMAGED
    sys.stdout.buffer.write(json.dumps(sheets, ensure_ascii=False).encode())
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
