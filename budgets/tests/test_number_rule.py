"""Issue 15 item 7: one number rule for the server and the page. The server half: every input of
the shared table (money_inputs.json) is read by ``parse_money`` as the table says; the page half
runs the same table in a real browser (tests/browser/test_number_rule.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from budgets.forms import parse_money

CASES = json.loads((Path(__file__).with_name("money_inputs.json")).read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("typed,expected", CASES, ids=[repr(c[0]) for c in CASES])
def test_parse_money_follows_the_shared_table(typed, expected):
    if expected == "refused":
        with pytest.raises(ValidationError) as exc:
            parse_money(typed)
        assert any("金额" in m or "数字" in m for m in exc.value.messages)  # a Chinese message
    elif expected is None:
        assert parse_money(typed) is None
    else:
        assert parse_money(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["١٢٣", "1e2", "0.1e1", "1_000", "+5", ".5"])
def test_the_inputs_the_page_refused_are_refused_at_the_field(typed):
    """The issue's examples, which the server used to accept, answer the field's Chinese message."""
    with pytest.raises(ValidationError) as exc:
        parse_money(typed)
    assert exc.value.messages == [f"“{typed}”不是数字，请填写以万元为单位的金额，例如 1304.57。"]
