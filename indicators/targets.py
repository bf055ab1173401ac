"""Parse a target (指标值) as people type it into its parts. Pure functions, no database.

"≥20次" -> quantitative, ≥, 20, 次;  "100%" -> quantitative, (none), 100, %;
"有效促进" -> qualitative;  "2024年12月底之前完成" -> deadline 2024-12-31.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .vocabulary import Comparator, TargetKind

# Longest first, so ">=" wins over ">".
_COMPARATORS: list[tuple[str, str]] = [
    ("不低于", Comparator.GE),
    ("不少于", Comparator.GE),
    ("不高于", Comparator.LE),
    ("不超过", Comparator.LE),
    ("大于等于", Comparator.GE),
    ("小于等于", Comparator.LE),
    (">=", Comparator.GE),
    ("<=", Comparator.LE),
    ("≥", Comparator.GE),
    ("≧", Comparator.GE),
    ("≤", Comparator.LE),
    ("≦", Comparator.LE),
    ("大于", Comparator.GT),
    ("小于", Comparator.LT),
    ("等于", Comparator.EQ),
    (">", Comparator.GT),
    ("<", Comparator.LT),
    ("=", Comparator.EQ),
]

_QUANTITY = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]{0,10})$")
_DEADLINE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|(?P<end>底|末|份))?)?"
)


_YEAR_START = re.compile(r"^(?:19|20)\d{2}\s*年")


@dataclass(frozen=True)
class ParsedTarget:
    kind: str
    comparator: str = ""
    value: Decimal | None = None
    unit: str = ""
    text: str = ""
    deadline: date | None = None


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, ％, ＞ ＜ ＝ into their ASCII forms; ≥ and ≤ stay.
    return unicodedata.normalize("NFKC", text).strip()


def parse_target(raw: str) -> ParsedTarget:
    text = _normalise(raw or "")
    if not text:
        raise ValueError("指标值不能为空。")

    comparator = ""
    rest = text
    for token, code in _COMPARATORS:
        if rest.startswith(token):
            comparator = code
            rest = rest[len(token) :].strip()
            break

    match = _QUANTITY.match(rest)
    # "2024年内完成" is a deadline, not the quantity 2024 in the unit "年内完成".
    if match and not comparator and _YEAR_START.match(rest):
        match = None
    if match:
        try:
            value = Decimal(match["number"])
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ValueError(f"无法识别的数值：{match['number']}") from exc
        return ParsedTarget(
            kind=TargetKind.QUANTITATIVE, comparator=comparator, value=value, unit=match["unit"].strip()
        )

    deadline = _DEADLINE.search(text)
    if deadline:
        return ParsedTarget(kind=TargetKind.DEADLINE, text=raw.strip(), deadline=_deadline_date(deadline))

    return ParsedTarget(kind=TargetKind.QUALITATIVE, text=raw.strip())


def _deadline_date(match: re.Match) -> date:
    year = int(match["year"])
    if not match["month"]:
        return date(year, 12, 31)
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"月份无效：{month}")
    if match["day"]:
        return date(year, month, int(match["day"]))
    return date(year, month, calendar.monthrange(year, month)[1])
