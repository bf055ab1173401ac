"""Quality checks (docs/domain.md §5) on the reference's own table and on constructed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from indicators import services
from indicators.quality import ERROR, WARNING, check_indicators
from indicators.scoring import NATIONAL_RULES
from indicators.selectors import year_quality
from indicators.targets import parse_target

REFERENCE_BENEFIT = [
    "促进本县经济发展",
    "促进社会和谐，充分发挥桥梁作用",
    "将环保意识、绿色发展要求贯穿人大各项工作中",
    "加强同各级代表的联系，为县委决策提供依据",
]


def codes(findings):
    return sorted((f.code, f.subject) for f in findings)


def test_reference_table_findings_exactly(demo_year):
    findings = year_quality(demo_year)
    names = [i.name for i in demo_year.indicators.ordered()]
    weight_finding = next(f for f in findings if f.code == "weights_missing")
    assert weight_finding.severity == ERROR
    assert weight_finding.problem.startswith("19 个指标未设分值")
    assert all(name in weight_finding.problem for name in names)
    assert "按默认权重分配" in weight_finding.fix
    assert codes(f for f in findings if f.code != "weights_missing") == sorted(
        [("no_grading_standard", n) for n in REFERENCE_BENEFIT]
        + [("trivial_target", "项目支出成本节约率"), ("old_tier2", "将环保意识、绿色发展要求贯穿人大各项工作中")]
        + [("bare_target", "代表工作站建设质量合格率")]
    )
    assert len(findings) == 8
    # The bare "100%" comes first, with the reading the app proposes.
    assert (findings[0].code, findings[0].subject) == ("bare_target", "代表工作站建设质量合格率")
    assert "按下限理解（≥100%）" in findings[0].problem
    # The 时效 indicators pass: one has a deadline, the other an on-time rate.
    assert not [f for f in findings if f.subject in ("完成及时性", "工作按时完成率")]
    # Every finding names its indicator and a fix.
    assert all(f.subject and f.fix for f in findings)
    by_subject = {f.subject: f for f in findings if f.code == "no_grading_standard"}
    assert "有效促进" in by_subject["促进本县经济发展"].problem
    assert "评分标准" in by_subject["促进本县经济发展"].fix


def test_reference_table_after_default_weights_has_no_weight_findings(demo_year):
    services.indicator_weights_default(unit_year=demo_year)
    findings = year_quality(demo_year)
    assert not [f for f in findings if f.severity == ERROR]
    assert len(findings) == 7


def ind(name, tier1, tier2, target, weight=None, standard="", na=False):
    p = parse_target(target)
    return SimpleNamespace(
        pk=None,
        name=name,
        tier1=tier1,
        tier2=tier2,
        target_kind=p.kind,
        comparator=p.comparator,
        target_value=p.value,
        target_unit=p.unit,
        target_text=p.text,
        deadline=p.deadline,
        target_display=target,
        grading_standard=standard,
        weight=None if weight is None else D(weight),
        not_applicable=na,
    )


def directed(row, direction):
    row.direction = direction
    return row


def good_table():
    return [
        ind("会议次数", "output", "quantity", "≥20次", "25"),
        ind("完成时限", "output", "timeliness", "2024年12月底之前完成", "25"),
        ind("社会效益", "benefit", "social", "有效促进", "30", standard="按年度工作总结评定"),
        ind("满意度", "satisfaction", "service_satisfaction", "≥90%", "10"),
    ]


def test_a_well_built_table_passes():
    assert check_indicators(good_table(), rules=NATIONAL_RULES, year=2024) == []


@pytest.mark.parametrize(
    "row,code,severity",
    [
        (ind("资讯篇数", "output", "quantity", "较多", standard="x"), "not_quantified", WARNING),
        (ind("资讯篇数", "output", "quantity", "≥20"), "no_unit", WARNING),
        (ind("按时完成", "output", "timeliness", "及时", standard="x"), "timeliness_mismatch", WARNING),
        (ind("按时完成", "output", "timeliness", "≥3次"), "timeliness_mismatch", WARNING),
        (ind("资讯篇数", "output", "quantity", "2024年6月底之前完成"), "deadline_mismatch", WARNING),
        (ind("完成时限", "output", "timeliness", "2023年12月底之前完成"), "deadline_other_year", WARNING),
        (ind("工资福利支出", "output", "cost", "≥760万元"), "cost_direction", WARNING),
        (ind("节约率", "output", "cost", "≥0%"), "trivial_target", WARNING),
        (ind("环保", "benefit", "environmental", "有效改善", standard="x"), "old_tier2", WARNING),
        (ind("安全事故", "output", "quality", "＜0次"), "impossible_target", WARNING),
        # Bare targets: with a proposal, or none to be had from the wording.
        (ind("预算调整率", "process", "budget_execution", "3%"), "bare_target", WARNING),
        (ind("宣传报道", "benefit", "social", "2200篇"), "bare_target_unknown", WARNING),
        # Once confirmed, a bare target is checked like the comparator it stands for.
        (directed(ind("节约率", "output", "cost", "0%"), "floor"), "trivial_target", WARNING),
        (directed(ind("工资福利支出", "output", "cost", "760万元"), "floor"), "cost_direction", WARNING),
    ],
)
def test_single_indicator_findings(row, code, severity):
    row.weight = D("0")
    found = [f for f in check_indicators([row], rules=NATIONAL_RULES, year=2024) if f.subject == row.name]
    assert [(f.code, f.severity) for f in found] == [(code, severity)]


def test_missing_tier1_is_reported():
    rows = [r for r in good_table() if r.tier1 != "satisfaction"]
    rows[0].weight = D("35")
    found = check_indicators(rows, rules=NATIONAL_RULES, year=2024)
    assert [(f.code, f.subject) for f in found if f.code == "missing_tier1"] == [("missing_tier1", "满意度指标")]
    assert "满意度" in found[0].problem


def test_weights_not_adding_up_name_the_tier_and_total():
    rows = good_table()
    rows[0].weight = D("20")  # 产出 20 + 25 = 45, should be 50; total 85, should be 90
    found = check_indicators(rows, rules=NATIONAL_RULES, year=2024)
    assert [(f.code, f.subject, f.severity) for f in found] == [
        ("tier1_weight_sum", "产出指标", ERROR),
        ("weight_total", "全部指标", ERROR),
    ]
    assert "45" in found[0].problem and "50" in found[0].problem
    assert "85" in found[1].problem and "90" in found[1].problem


def test_no_indicators_blocks():
    found = check_indicators([], rules=NATIONAL_RULES, year=2024)
    assert [(f.code, f.severity) for f in found] == [("no_indicators", ERROR)]


def test_deadline_parsed_for_check():
    row = ind("完成时限", "output", "timeliness", "2024年6月底之前完成", "0")
    assert row.deadline == date(2024, 6, 30)
