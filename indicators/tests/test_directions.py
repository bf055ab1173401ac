"""Targets written without a comparator ("3%", "100%", "2200篇"): the direction proposed from the
indicator's meaning, shown at entry, flagged until confirmed, and used for scoring once confirmed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from departments.models import YearStatus
from indicators import services
from indicators.directions import propose_direction
from indicators.models import Indicator, LibraryIndicator
from indicators.selectors import year_quality


# Name, tier 2, unit, library entry's direction → proposed direction, and why.
@pytest.mark.parametrize(
    "name,tier2,unit,library,direction,why",
    [
        ("预算调整率", "budget_execution", "%", "", "ceiling", "名称含“调整率”"),
        ("公用经费控制率", "budget_execution", "%", "", "ceiling", "名称含“控制率”"),
        ("结转结余率", "budget_execution", "%", "", "ceiling", "名称含“结转结余率”"),
        ("下发文件差错率", "quality", "%", "", "ceiling", "名称含“差错率”"),
        ("群众投诉率", "quality", "%", "", "ceiling", "名称含“投诉率”"),
        ("工资福利支出", "cost", "万元", "", "ceiling", "名称含“支出”"),
        ("会议费用", "cost", "万元", "", "ceiling", "名称含“费用”"),
        ("“三公经费”变动率", "budget_allocation", "%", "", "ceiling", "名称含“变动率”"),
        ("工作任务完成率", "quantity", "%", "", "floor", "名称含“完成率”"),
        ("政策覆盖率", "social", "%", "", "floor", "名称含“覆盖率”"),
        ("固定资产利用率", "asset_management", "%", "", "floor", "名称含“利用率”"),
        ("群众满意度", "service_satisfaction", "%", "", "floor", "名称含“满意度”"),
        ("培训人员数量", "quantity", "人", "", "floor", "名称含“数量”"),
        ("督查次数", "quantity", "次", "", "floor", "名称含“次数”"),
        # The head of the compound comes last: a 节约率 of a 成本, a 完成率 of 支出.
        ("项目支出成本节约率", "cost", "%", "", "floor", "名称含“节约率”"),
        ("预算支出完成率", "budget_execution", "%", "", "floor", "名称含“完成率”"),
        ("公用经费控制率（不含人员支出）", "budget_execution", "%", "", "ceiling", "名称含“支出”"),
        # No telling word: the tier 2 or the unit.
        ("办公楼维修", "cost", "万元", "", "ceiling", "成本指标"),
        ("宣传报道", "quantity", "篇", "", "floor", "数量指标"),
        ("宣传报道", "social", "篇", "", "", ""),
        # The library entry's direction comes first; "=" only from there (or the officer).
        ("代表工作站运行个数", "quantity", "个", "exact", "exact", "指标库"),
        ("公用经费控制率", "budget_execution", "%", "floor", "floor", "指标库"),
    ],
)
def test_proposed_direction(name, tier2, unit, library, direction, why):
    proposal = propose_direction(name=name, tier2=tier2, unit=unit, library_direction=library)
    assert (proposal.direction, proposal.why) == (direction, why)


@pytest.mark.parametrize(
    "name,direction",
    [
        ("预算调整率", "ceiling"),
        ("公用经费控制率", "ceiling"),
        ("“三公经费”支出控制", "ceiling"),
        ("群众满意度", "floor"),
        ("代表工作站建设质量合格率", "floor"),
        ("政府采购执行率", "exact"),  # shipped as "=100%"
        ("促进本县经济发展", ""),  # qualitative
    ],
)
def test_shipped_library_entries_carry_their_direction(db, name, direction):
    assert LibraryIndicator.objects.get(name=name, unit__isnull=True).direction == direction


def test_a_library_direction_must_agree_with_its_comparator(db):
    entry = LibraryIndicator(tier1="output", tier2="quality", name="差错率", suggested_target="≤1%", direction="floor")
    with pytest.raises(ValidationError) as exc:
        entry.full_clean()
    assert "比较符与方向" in str(exc.value)


def test_library_direction_follows_the_indicator(year_a, personas):
    LibraryIndicator.objects.create(
        tier1="output", tier2="quantity", name="站点运行个数", suggested_target="17个", direction="exact"
    )
    entry = LibraryIndicator.objects.get(name="站点运行个数")
    ind = services.indicator_add_from_library(unit_year=year_a, entry=entry, fund_category="basic")
    assert (ind.target_display, ind.direction_proposed, ind.direction) == ("17个", "exact", "")
    assert ind.target_reading == "=17个（按等于理解，待确认）"
    # Typed by hand with the same name, the library's direction is found by name.
    typed = services.indicator_create(
        unit_year=year_a, fund_category="basic", tier1="output", tier2="quantity", name="站点运行个数", target="18个"
    )
    assert typed.direction_proposed == "exact"
    # Saved back into the library, the confirmed direction goes with it.
    typed.direction = "floor"
    typed.save()
    saved = services.library_save_indicator(indicator=typed, user=personas["officer_a"])
    assert saved.direction == "floor"


def test_a_written_comparator_clears_the_direction(year_a):
    ind = services.indicator_create(
        unit_year=year_a, fund_category="basic", tier1="output", tier2="quality", name="差错率", target="1%"
    )
    ind.direction = "ceiling"
    services.indicator_set_target(indicator=ind, text="≤1%")
    assert (ind.comparator, ind.direction, ind.direction_proposed, ind.is_bare) == ("le", "", "", False)
    assert ind.target_reading == "≤1%"


# A department table typed in exactly as the unit published it: bare targets included.
PUBLISHED = [
    # name, tier1, tier2, target, weight, actual, score unconfirmed ("="), score once confirmed
    ("预算调整率", "output", "quality", "3%", "2", "0", "0.00", "2.00"),
    ("公用经费控制率", "output", "cost", "100%", "2", "97", "1.94", "2.00"),
    ("结转结余率", "output", "quality", "5%", "2", "3.2", "1.28", "2.00"),
    ("下发文件差错率", "output", "quality", "0%", "2", "0", "2.00", "2.00"),
    ("工作任务完成率", "output", "quantity", "100%", "10", "100", "10.00", "10.00"),
    ("宣传报道", "output", "quantity", "2200篇", "12", "2300", "11.45", "12.00"),
    ("会议次数", "output", "quantity", "≥20次", "20", "22", "20.00", "20.00"),
    ("社会效益", "benefit", "social", "有效促进", "30", None, None, None),
    ("群众满意度", "satisfaction", "service_satisfaction", "95%", "10", "98", "9.68", "10.00"),
]
BARE = ["预算调整率", "公用经费控制率", "结转结余率", "下发文件差错率", "工作任务完成率", "宣传报道", "群众满意度"]


def _enter_published(unit_year):
    for name, tier1, tier2, target, weight, *_ in PUBLISHED:
        services.indicator_create(
            unit_year=unit_year,
            fund_category="basic",
            tier1=tier1,
            tier2=tier2,
            name=name,
            target=target,
            weight=D(weight),
            grading_standard="按年度工作总结评定" if tier1 == "benefit" else "",
        )


def _score(unit_year, personas) -> dict[str, D]:
    services.evaluation_group_name(
        unit_year=unit_year,
        user=personas["leader_a"],
        members=[personas["evaluator_a"]],
        lead=personas["evaluator_a"],
    )
    unit_year.status = YearStatus.EVALUATING
    unit_year.save()
    services.year_scoring_start(unit_year=unit_year)
    scores = {}
    for name, *_rest, actual, _before, _after in PUBLISHED:
        ind = Indicator.objects.select_related("unit_year").get(unit_year=unit_year, name=name)
        if actual is None:
            continue
        record = services.member_score_save(
            indicator=ind, member=personas["evaluator_a"], actual=actual, deviation_reason="见说明"
        )
        scores[name] = record.score
    return scores


def test_quality_checks_list_every_bare_target_first(year_a):
    _enter_published(year_a)
    findings = year_quality(year_a)
    bare = [f for f in findings if f.code == "bare_target"]
    assert [f.subject for f in findings[: len(BARE)]] == BARE
    assert [f.subject for f in bare] == BARE
    by_name = {f.subject: f.problem for f in bare}
    assert by_name["预算调整率"] == "指标值“3%”没有比较符，系统建议按上限理解（≤3%），尚未确认；确认前按“=”评分。"
    assert "按下限理解（≥2200篇）" in by_name["宣传报道"]
    assert not [f for f in findings if f.blocking]


def test_unconfirmed_bare_targets_score_literally(year_a, personas):
    _enter_published(year_a)
    scores = _score(year_a, personas)
    assert scores == {name: D(before) for name, *_r, before, _after in PUBLISHED if before is not None}


def test_confirmed_directions_give_the_rules_scores(year_a, personas):
    _enter_published(year_a)
    assert services.indicator_confirm_directions(unit_year=year_a) == len(BARE)
    assert not [f for f in year_quality(year_a) if f.code.startswith("bare_target")]
    reading = {i.name: i.target_reading for i in year_a.indicators.all()}
    assert reading["预算调整率"] == "≤3%（按上限理解）"
    assert reading["公用经费控制率"] == "≤100%（按上限理解）"
    assert reading["宣传报道"] == "≥2200篇（按下限理解）"
    scores = _score(year_a, personas)
    assert scores == {name: D(after) for name, *_r, after in PUBLISHED if after is not None}


def test_the_officer_may_change_a_direction_instead(year_a, personas):
    _enter_published(year_a)
    ind = year_a.indicators.get(name="结转结余率")
    ind.direction = "floor"  # the officer's reading wins over the proposal
    ind.save()
    services.indicator_confirm_directions(unit_year=year_a)
    ind.refresh_from_db()
    assert ind.direction == "floor"
    assert _score(year_a, personas)["结转结余率"] == D("1.28")  # 3.2 of ≥5: proportional


def test_entry_shows_the_reading_and_the_officer_confirms(client, personas, year_a):
    _enter_published(year_a)
    client.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year_a.unit.code, year_a.year])
    page = client.get(url).content.decode()
    assert "≤3%（按上限理解，待确认）" in page
    assert "≥100%（按下限理解，待确认）" in page  # 工作任务完成率
    assert "确认全部建议方向（7 项）" in page
    year_a.refresh_from_db()
    response = client.post(
        reverse("indicators:confirm_directions", args=[year_a.unit.code, year_a.year]),
        {"version": year_a.version},
        follow=True,
    )
    page = response.content.decode()
    assert "已确认 7 个未写比较符的指标值的理解方向" in page
    assert "≤3%（按上限理解）" in page and "待确认）" not in page
    assert "确认全部建议方向" not in page
