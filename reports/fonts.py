"""Pre-subset report fonts: the speed trick that makes the in-process PDF fast.

The report uses the faces of Chinese official documents (GB/T 9704): 仿宋 body (FandolFang), 楷体
二级标题 (FandolKai), 黑体 一级标题 and table heads (Noto Sans CJK SC), and a heavy 宋体 for the title
in place of the non-free 小标宋 (Noto Serif CJK SC Bold); page numbers in 宋体 (Noto Serif CJK SC).
The Fandol faces come from ``scripts/fandol-fonts.sh``, the Noto faces from ``fonts-noto-cjk``.

The Noto CJK faces hold ~65,000 glyphs, the Fandol faces ~10,000. For every PDF, WeasyPrint
subsets each embedded face with HarfBuzz and (because it retains glyph ids) desubroutinises every
glyph up to the highest one used — most of the font. Subsetting the faces the report uses ONCE
per process to the characters of official documents (GB 2312, ASCII, CJK and full-width
punctuation, ≥ ≤ …) makes every later per-PDF subset several times cheaper. The glyphs are the
same; a rare character outside the set falls back to the system face listed next in the
stylesheet.

Uses HarfBuzz's subsetter (``libharfbuzz-subset0``, which WeasyPrint needs anyway) through cffi.
Anything missing — the library, ``fc-match``, a font file — only means no pre-subsetting of that
face: the report then renders with the next face the stylesheet names, correctly and a little
slower.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

URL_SCHEME = "perfeval-font:"


@dataclass(frozen=True)
class Face:
    key: str  # the URL path: perfeval-font:<key>
    family: str  # the CSS family the print stylesheet names
    weight: int
    pattern: str  # fontconfig pattern of the system face


FACES = (
    Face("fang-regular", "Perfeval Fang", 400, "FandolFang:style=Regular"),  # 仿宋: body, tables
    Face("kai-regular", "Perfeval Kai", 400, "FandolKai:style=Regular"),  # 楷体: 二级标题
    Face("hei-bold", "Perfeval Hei", 700, "Noto Sans CJK SC:style=Bold"),  # 黑体: 一级标题, table heads
    Face("title-bold", "Perfeval Title", 700, "Noto Serif CJK SC:style=Bold"),  # 小标宋-style title
    Face("serif-regular", "Perfeval Serif", 400, "Noto Serif CJK SC:style=Regular"),  # 宋体 page numbers
)

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_add_range (hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""


def document_codepoints() -> list[int]:
    """The characters of Chinese official documents: GB 2312 (all 6,763 hanzi and its symbols),
    ASCII, Latin-1 punctuation, general punctuation, CJK symbols, full-width forms, and the
    comparison and number signs targets use."""
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for first, last in ((0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF)):
        points.update(range(first, last + 1))
    for first, last in ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x25A0, 0x25FF), (0x2500, 0x257F)):
        points.update(range(first, last + 1))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


def _locate(pattern: str) -> tuple[str, int] | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [fc_match, "--format=%{file}\n%{index}", pattern], capture_output=True, text=True, timeout=10, check=False
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) != 2:
        return None
    family = pattern.split(":")[0]
    check = subprocess.run(  # noqa: S603
        [fc_match, "--format=%{family}", pattern], capture_output=True, text=True, timeout=10, check=False
    )
    if family not in check.stdout:  # fontconfig substituted another family: not ours to subset
        return None
    return lines[0], int(lines[1] or 0)


def _subset(path: str, index: int, codepoints: list[int]) -> bytes | None:
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF)
    hb = ffi.dlopen("libharfbuzz.so.0")
    hb_subset = ffi.dlopen("libharfbuzz-subset.so.0")
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    subset_input = hb_subset.hb_subset_input_create_or_fail()
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(subset_input)
        for point in codepoints:
            hb.hb_set_add(unicodes, point)
        result = hb_subset.hb_subset_or_fail(face, subset_input)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(out, length)
        content = bytes(ffi.buffer(data, length[0]))
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return content or None
    finally:
        hb_subset.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


CACHE_VERSION = "1"


def _cache_path(face: Face, path: str, index: int) -> Path | None:
    """A file under VAR_DIR keyed by the source font (path, size, mtime, index): building the
    three faces takes a few seconds, so a restarted process reads them back instead."""
    var_dir = getattr(settings, "VAR_DIR", None)
    if not var_dir:
        return None
    stat = os.stat(path)
    key = hashlib.sha256(f"{CACHE_VERSION}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{index}".encode()).hexdigest()
    return Path(var_dir) / "cache" / "report-fonts" / f"{face.key}-{key[:16]}.otf"


def _build(face: Face, codepoints: list[int]) -> bytes | None:
    located = _locate(face.pattern)
    if not located:
        return None
    cached = _cache_path(face, *located)
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    content = _subset(*located, codepoints)
    if content and cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(cached)
    return content


@cache
def report_fonts() -> dict[str, bytes]:
    """{face key: font file bytes} of the faces that could be pre-subset (once per process)."""
    fonts: dict[str, bytes] = {}
    try:
        codepoints = document_codepoints()
        for face in FACES:
            content = _build(face, codepoints)
            if content:
                fonts[face.key] = content
            else:
                logger.warning("Report font %s not pre-subset; using the system face.", face.pattern)
    except (OSError, subprocess.SubprocessError, AttributeError) as exc:
        logger.warning("Report fonts not pre-subset (%s); using the system faces.", exc)
        return {}
    return fonts


def font_face_css() -> str:
    """@font-face rules for the pre-subset faces (empty when none could be built)."""
    fonts = report_fonts()
    rules = []
    for face in FACES:
        if face.key in fonts:
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                f'src: url("{URL_SCHEME}{face.key}"); }}'
            )
    return "\n".join(rules)
