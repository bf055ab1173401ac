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


# Every target written in docs/domain.md and in the reference report, with its parts; rendering
# the parts gives the same string back.
REFERENCE_TARGETS = [
    ("≥20次", "quantitative", "ge", D("20"), "次"),
    ("≥20篇", "quantitative", "ge", D("20"), "篇"),
    ("≤1%", "quantitative", "le", D("1"), "%"),
    ("≥98%", "quantitative", "ge", D("98"), "%"),
    ("≤760万元", "quantitative", "le", D("760"), "万元"),
    ("≤440万元", "quantitative", "le", D("440"), "万元"),
    ("≥3个", "quantitative", "ge", D("3"), "个"),
    ("≥50次", "quantitative", "ge", D("50"), "次"),
    ("=17个", "quantitative", "eq", D("17"), "个"),
    ("≥95%", "quantitative", "ge", D("95"), "%"),
    ("100%", "quantitative", "", D("100"), "%"),
    ("2024年12月底之前完成", "deadline", "", None, ""),
    ("≥0%", "quantitative", "ge", D("0"), "%"),
    ("≤280万元", "quantitative", "le", D("280"), "万元"),
    ("有效促进", "qualitative", "", None, ""),
    ("有所促进", "qualitative", "", None, ""),
    ("有效改善", "qualitative", "", None, ""),
    ("长期有效", "qualitative", "", None, ""),
    ("≥97%", "quantitative", "ge", D("97"), "%"),
    # docs/domain.md §3 adds:
    ("效果明显", "qualitative", "", None, ""),
]


@pytest.mark.parametrize("text,kind,comparator,value,unit", REFERENCE_TARGETS)
def test_reference_and_domain_targets_parse_and_render_back(text, kind, comparator, value, unit):
    from indicators.models import Indicator

    parsed = parse_target(text)
    assert (parsed.kind, parsed.comparator, parsed.value, parsed.unit) == (kind, comparator, value, unit)
    indicator = Indicator(
        target_kind=parsed.kind,
        comparator=parsed.comparator,
        target_value=parsed.value,
        target_unit=parsed.unit,
        target_text=parsed.text,
        deadline=parsed.deadline,
    )
    assert indicator.target_display == text


def test_every_reference_target_is_covered():
    from demo.data import INDICATORS

    assert {row[4] for row in INDICATORS} <= {t[0] for t in REFERENCE_TARGETS}


@pytest.mark.parametrize(
    "text,comparator,value,unit,rendered",
    [
        ("不低于95%", "ge", D("95"), "%", "≥95%"),
        ("不超过760万元", "le", D("760"), "万元", "≤760万元"),
        ("≥ 20 次", "ge", D("20"), "次", "≥20次"),
        ("≥２０次", "ge", D("20"), "次", "≥20次"),
        ("≤0.50%", "le", D("0.50"), "%", "≤0.5%"),
    ],
)
def test_variant_spellings_are_normalised(text, comparator, value, unit, rendered):
    from indicators.models import Indicator

    parsed = parse_target(text)
    assert (parsed.comparator, parsed.value, parsed.unit) == (comparator, value, unit)
    shown = Indicator(
        target_kind=parsed.kind, comparator=parsed.comparator, target_value=parsed.value, target_unit=parsed.unit
    ).target_display
    assert shown == rendered


@pytest.mark.parametrize(
    "text,deadline",
    [
        ("2024年12月底之前完成", date(2024, 12, 31)),
        ("2024年6月底前完成", date(2024, 6, 30)),
        ("2024年2月底", date(2024, 2, 29)),
        ("2024年10月15日前", date(2024, 10, 15)),
        ("2024年内完成", date(2024, 12, 31)),
    ],
)
def test_deadlines(text, deadline):
    parsed = parse_target(text)
    assert (parsed.kind, parsed.deadline, parsed.text) == ("deadline", deadline, text)
