"""Default weights, the rule set as data, per-member scoring and the group's result."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import services
from indicators.models import Indicator, LibraryIndicator, MemberScore, RuleSet, YearScoring
from indicators.scoring import NATIONAL_RULES
from indicators.selectors import group_results, rules_for_year, year_score


def test_default_rule_set_is_the_national_rules(db):
    rule_set = RuleSet.objects.default()
    assert rule_set.name == "全国通用规则（财预〔2020〕10号）"
    assert rule_set.to_rules() == NATIONAL_RULES


def test_rule_set_must_add_up_to_100(db):
    rs = RuleSet(name="某省规则", execution_weight=D("20"))
    with pytest.raises(ValidationError) as exc:
        rs.full_clean()
    assert "合计须为 100" in str(exc.value)
    rs.output_weight = D("40")
    rs.full_clean()


def test_library_ships_common_and_reference_indicators(db):
    names = set(LibraryIndicator.objects.filter(unit__isnull=True).values_list("name", flat=True))
    for name in ["预算完成率", "预算调整率", "结转结余率", "公用经费控制率", "“三公经费”变动率", "政府采购执行率"]:
        assert name in names
    assert LibraryIndicator.objects.filter(source="reference").count() == 19
    assert LibraryIndicator.objects.get(name="代表工作站运行个数").suggested_target == "=17个"


def test_default_weights_spread_evenly_with_remainder_on_last(demo_year):
    services.indicator_weights_default(unit_year=demo_year)
    rows = list(demo_year.indicators.ordered())
    by_tier = {}
    for r in rows:
        by_tier.setdefault(r.tier1, []).append(r.weight)
    assert by_tier["output"] == [D("3.57")] * 13 + [D("3.59")]  # 14 output indicators, 50 points
    assert by_tier["benefit"] == [D("7.50")] * 4
    assert by_tier["satisfaction"] == [D("10.00")]
    assert sum(by_tier["output"]) == D("50") and sum(r.weight for r in rows) == D("90")


def test_default_weights_follow_the_administrators_rule_set(demo_year):
    RuleSet.objects.filter(is_default=True).update(
        output_weight=D("40"), benefit_weight=D("30"), satisfaction_weight=D("10"), execution_weight=D("20")
    )
    services.indicator_weights_default(unit_year=demo_year)
    assert sum(i.weight for i in demo_year.indicators.filter(tier1="output")) == D("40")


def test_library_add_and_save(demo_year, demo_people):
    entry = LibraryIndicator.objects.get(name="政府采购执行率", unit__isnull=True)
    ind = services.indicator_add_from_library(unit_year=demo_year, entry=entry, fund_category="basic")
    assert (ind.tier1, ind.tier2, ind.target_display, ind.order) == ("process", "budget_execution", "=100%", 7)
    saved = services.library_save_indicator(
        indicator=demo_year.indicators.get(name="人大资讯"), user=demo_people["officer"]
    )
    assert (saved.unit_id, saved.suggested_target, saved.source) == (demo_year.unit_id, "≥20篇", "unit")
    assert saved in LibraryIndicator.objects.for_unit(demo_year.unit_id)
    assert saved not in LibraryIndicator.objects.for_unit(None)


def test_move_reorders_within_group(demo_year):
    second = demo_year.indicators.get(name="人大资讯")
    services.indicator_move(indicator=second, up=True)
    assert list(demo_year.indicators.filter(fund_category="basic").order_by("order").values_list("name", flat=True))[
        :2
    ] == [
        "人大资讯",
        "人大会议次数",
    ]


def test_start_of_evaluation_records_the_rule_set(demo_evaluating):
    scoring = YearScoring.objects.get(unit_year=demo_evaluating)
    assert scoring.rule_set.is_default
    # A later edit of the rule set does not rescore a year already under evaluation.
    RuleSet.objects.filter(is_default=True).update(execution_weight=D("20"), output_weight=D("40"))
    assert rules_for_year(demo_evaluating).execution_weight == D("10")


def save(ind, member, **kw):
    return services.member_score_save(indicator=ind, member=member, **kw)


def get(uy, name):
    return Indicator.objects.select_related("unit_year").get(unit_year=uy, name=name)


def test_quantitative_score_is_proposed_by_the_engine(demo_evaluating, demo_people):
    ev = demo_people["evaluator"]
    rec = save(get(demo_evaluating, "人大会议次数"), ev, actual="20")  # ≥20次 met exactly → full
    assert (rec.proposed_score, rec.score, rec.over_achieved) == (D("3.57"), D("3.57"), False)
    rec = save(get(demo_evaluating, "年度项目经费总额"), ev, actual="275.61万元")  # ≤280万元
    assert rec.score == D("3.59")


def test_missed_target_needs_a_deviation_reason_and_scores_proportionally(demo_evaluating, demo_people):
    ev = demo_people["evaluator"]
    ind = get(demo_evaluating, "人大资讯")
    with pytest.raises(ValidationError) as exc:
        save(ind, ev, actual="10")
    assert "偏差原因" in str(exc.value)
    rec = save(ind, ev, actual="10", deviation_reason="宣传稿件减少")
    assert rec.score == D("1.79")  # 10 ÷ 20 × 3.57


def test_override_only_downwards_and_with_a_reason(demo_evaluating, demo_people):
    ev = demo_people["evaluator"]
    ind = get(demo_evaluating, "人大会议次数")
    with pytest.raises(ValidationError) as exc:
        save(ind, ev, actual="15", score="3.57", deviation_reason="x")
    assert "不能高于建议得分" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        save(ind, ev, actual="20", score="3")
    assert "调整理由" in str(exc.value)
    rec = save(ind, ev, actual="20", score="3", override_reason="会议质量一般")
    assert (rec.score, rec.proposed_score, rec.override_reason) == (D("3.00"), D("3.57"), "会议质量一般")


def test_over_achievement_is_flagged_and_needs_an_explanation(demo_evaluating, demo_people):
    ind = get(demo_evaluating, "代表联系群众次数")  # ≥50次
    with pytest.raises(ValidationError) as exc:
        save(ind, demo_people["evaluator"], actual="80")
    assert "130%" in str(exc.value)
    rec = save(
        ind,
        demo_people["evaluator"],
        actual="80",
        deviation_reason="指标值设置偏低，明年提高",
        score="3",
        override_reason="指标值偏低，扣分",
    )
    assert rec.over_achieved and rec.score == D("3.00")


def test_qualitative_band_and_out_of_band_refused(demo_evaluating, demo_people):
    ind = get(demo_evaluating, "促进本县经济发展")  # weight 7.50
    with pytest.raises(ValidationError) as exc:
        save(ind, demo_people["evaluator"], band="partial", score="6.38", deviation_reason="x")  # 85 %
    assert "“部分达成并具有一定效果”档的得分须在 4.50 分（含）至 6.00 分（不含）之间" in str(exc.value)
    with pytest.raises(ValidationError) as exc:  # exactly 80 % belongs to 达成, not 部分达成
        save(ind, demo_people["evaluator"], band="partial", score="6.00", deviation_reason="x")
    assert "6.00 分超出范围" in str(exc.value)
    rec = save(ind, demo_people["evaluator"], band="partial", score="4.50", deviation_reason="x")  # 60 %: 部分达成
    assert (rec.band, rec.score) == ("partial", D("4.50"))
    with pytest.raises(ValidationError) as exc:
        save(ind, demo_people["evaluator"], score="7")
    assert "请选择评价档次" in str(exc.value)
    rec = save(ind, demo_people["evaluator"], band="achieved", score="7", actual="有效促进了本县经济发展")
    assert (rec.band, rec.score, rec.actual_text) == ("achieved", D("7.00"), "有效促进了本县经济发展")


def test_only_group_members_score_and_only_under_evaluation(demo_evaluating, demo_people, demo_year):
    ind = get(demo_evaluating, "人大会议次数")
    with pytest.raises(PermissionDenied):
        save(ind, demo_people["leader"], actual="20")
    demo_year.status = "draft"
    demo_year.save()
    with pytest.raises(PermissionDenied):
        save(get(demo_year, "人大会议次数"), demo_people["evaluator"], actual="20")


def score_everything(uy, member, *, shift=D("0")):
    for ind in Indicator.objects.select_related("unit_year").filter(unit_year=uy):
        if ind.target_kind == "quantitative":
            actual = ind.target_value if ind.comparator != "gt" else ind.target_value + 1
            save(
                ind,
                member,
                actual=str(actual),
                score=str(ind.weight - shift) if shift else None,
                override_reason="小组讨论扣分" if shift else "",
            )
        else:
            save(ind, member, band="achieved", score=str(ind.weight - shift), actual="已完成")


def test_group_mean_spread_and_lead_confirms(demo_evaluating, demo_people, demo_second_evaluator):
    leader, ev, ev2 = demo_people["leader"], demo_people["evaluator"], demo_second_evaluator
    services.evaluation_group_name(unit_year=demo_evaluating, user=leader, members=[ev, ev2], lead=ev)
    score_everything(demo_evaluating, ev)
    with pytest.raises(ValidationError) as exc:
        services.group_result_confirm(unit_year=demo_evaluating, user=ev)
    assert "尚有成员未评分" in str(exc.value)
    score_everything(demo_evaluating, ev2, shift=D("0.5"))
    rows = {r.indicator.name: r for r in group_results(demo_evaluating)}
    assert rows["群众满意度"].mean == D("9.75") and rows["群众满意度"].spread == D("0.50")
    with pytest.raises(PermissionDenied):
        services.group_result_confirm(unit_year=demo_evaluating, user=ev2)  # not the lead
    services.group_result_confirm(unit_year=demo_evaluating, user=ev)
    ind = demo_evaluating.indicators.get(name="群众满意度")
    assert (ind.score, ind.actual_display) == (D("9.75"), "97%")
    result = year_score(demo_evaluating)
    # 90 − 19 × 0.25 = 85.25 points + execution 10 (1304.57 of 1304.57 spent)
    assert (result.total, result.grade, result.execution_score) == (D("95.25"), "优", D("10.00"))
    assert YearScoring.objects.get(unit_year=demo_evaluating).confirmed_by == ev
    # A later change by a member makes the confirmation stale.
    save(get(demo_evaluating, "人大会议次数"), ev2, actual="20")
    assert YearScoring.objects.get(unit_year=demo_evaluating).confirmed_at is None


def test_member_scores_keep_history(demo_evaluating, demo_people):
    ind = get(demo_evaluating, "人大会议次数")
    save(ind, demo_people["evaluator"], actual="20")
    save(ind, demo_people["evaluator"], actual="18", deviation_reason="会议减少")
    rec = MemberScore.objects.get(indicator=ind)
    assert [h.score for h in rec.history.order_by("history_date")] == [D("3.57"), D("3.21")]


def test_naming_the_group(demo_year, demo_people):
    p = demo_people
    with pytest.raises(PermissionDenied):
        services.evaluation_group_name(
            unit_year=demo_year, user=p["evaluator"], members=[p["evaluator"]], lead=p["evaluator"]
        )
    with pytest.raises(ValidationError) as exc:
        services.evaluation_group_name(
            unit_year=demo_year, user=p["leader"], members=[p["evaluator"]], lead=p["leader"]
        )
    assert "组长须是小组成员之一" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_group_name(unit_year=demo_year, user=p["leader"], members=[p["officer"]], lead=p["officer"])
    assert "小组成员须为本单位的评价小组成员或单位领导" in str(exc.value)
    group = services.evaluation_group_name(
        unit_year=demo_year, user=p["admin"], members=[p["evaluator"], p["leader"]], lead=p["leader"]
    )
    assert group.lead == p["leader"] and group.named_by == p["admin"]


@pytest.mark.django_db
def test_scoring_starts_with_the_national_rules_when_no_default_is_marked(year_a):
    from indicators.models import RuleSet
    from indicators.scoring import NATIONAL_RULES
    from indicators.services import year_scoring_start

    RuleSet.objects.all().delete()
    scoring = year_scoring_start(unit_year=year_a)
    assert scoring.rule_set.is_default
    assert scoring.rules.tier1_weights == NATIONAL_RULES.tier1_weights
    assert scoring.rules.execution_weight == NATIONAL_RULES.execution_weight
