"""How figures and people are written, defined once for pages, spreadsheets, the PDF and Word.

Money is 万元 with two decimals and no thousands separators (as the reference report and the
entry forms write it: "1304.57"); percentages have two decimals and "%"; scores two decimals.
Each function names how a missing value is shown: ``*_or(value, missing)``. The template filters
of ``perfeval/templatetags/numbers.py`` and the browser's ``static/js/budgets/figures.js`` follow
the same rules.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
DASH = "—"


def _two(value: Decimal | int | str) -> str:
    if isinstance(value, float):
        raise TypeError("金额、比率和得分不使用浮点数。")
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)}"


def money_or(value: Decimal | int | str | None, missing: str = "") -> str:
    """1304.57 -> "1304.57"; ``missing`` when not stated."""
    return missing if value is None or value == "" else _two(value)


def money_wan(value: Decimal | int | str | None, missing: str = "") -> str:
    """1304.57 -> "1304.57万元" (in sentences); ``missing`` when not stated."""
    return missing if value is None or value == "" else f"{_two(value)}万元"


def percent_or(value: Decimal | int | str | None, missing: str = "") -> str:
    """98.5 -> "98.50%"; ``missing`` when not stated."""
    return missing if value is None or value == "" else f"{_two(value)}%"


def score_or(value: Decimal | int | str | None, missing: str = "") -> str:
    """A score or a weight with two decimals: 7.5 -> "7.50"; ``missing`` when not scored."""
    return missing if value is None or value == "" else _two(value)


def display_name(user: Any, missing: str = "系统") -> str:
    """A person as the app names them: full name, else the user name."""
    if user is None:
        return missing
    return str(user.get_full_name() or user.get_username())
