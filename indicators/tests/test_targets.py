from datetime import date
from decimal import Decimal as D

import pytest

from indicators.targets import parse_target


@pytest.mark.parametrize(
    "text,kind,comparator,value,unit",
    [
        ("≥20次", "quantitative", "ge", D("20"), "次"),
        ("≤760万元", "quantitative", "le", D("760"), "万元"),
        ("=17个", "quantitative", "eq", D("17"), "个"),
        ("100%", "quantitative", "", D("100"), "%"),
        ("＞5个", "quantitative", "gt", D("5"), "个"),
        ("＜0.5%", "quantitative", "lt", D("0.5"), "%"),
        ("＝3项", "quantitative", "eq", D("3"), "项"),
        (">=98％", "quantitative", "ge", D("98"), "%"),
        ("≥0%", "quantitative", "ge", D("0"), "%"),
    ],
)
def test_quantitative(text, kind, comparator, value, unit):
    parsed = parse_target(text)
    assert (parsed.kind, parsed.comparator, parsed.value, parsed.unit) == (kind, comparator, value, unit)


@pytest.mark.parametrize("text", ["有效促进", "长期有效", "效果明显", "有所促进"])
def test_qualitative(text):
    parsed = parse_target(text)
    assert parsed.kind == "qualitative"
    assert parsed.text == text


def test_deadline():
    parsed = parse_target("2024年12月底之前完成")
    assert parsed.kind == "deadline"
    assert parsed.deadline == date(2024, 12, 31)
    assert parsed.text == "2024年12月底之前完成"


def test_empty_is_refused():
    with pytest.raises(ValueError):
        parse_target("  ")
