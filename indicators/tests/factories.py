"""Build a small, complete indicator table for unit A and put its year in any flow state."""

from __future__ import annotations

from decimal import Decimal as D

from budgets.models import ProjectLine, SpendingLine
from departments.models import YearStatus
from indicators import services
from indicators.models import Indicator

TABLE = [
    # (fund category, tier1, tier2, name, target, weight)
    ("basic", "output", "quantity", "会议次数", "≥20次", "25"),
    ("project", "output", "timeliness", "完成时限", "2024年12月底之前完成", "25"),
    ("project", "benefit", "social", "社会效益", "有效促进", "30"),
    ("project", "satisfaction", "service_satisfaction", "群众满意度", "≥90%", "10"),
]


def build_table(unit_year) -> list[Indicator]:
    rows = []
    for fund_category, tier1, tier2, name, target, weight in TABLE:
        rows.append(
            services.indicator_create(
                unit_year=unit_year,
                fund_category=fund_category,
                tier1=tier1,
                tier2=tier2,
                name=name,
                target=target,
                weight=D(weight),
                grading_standard="按工作总结和佐证材料评定" if tier2 in ("social", "timeliness") else "",
            )
        )
    SpendingLine.objects.create(unit_year=unit_year, kind="total", full_year_budget=D("100"), actual=D("76"))
    return rows


def score_all(unit_year, member) -> None:
    for ind in Indicator.objects.select_related("unit_year").filter(unit_year=unit_year):
        if ind.target_kind == "quantitative":
            services.member_score_save(indicator=ind, member=member, actual=str(ind.target_value))
        else:
            services.member_score_save(indicator=ind, member=member, band="achieved", score=str(ind.weight))


def ready_year(unit_year, *, status: str, leader, lead, confirmed: bool = True):
    """The year with a complete table and a group (``lead`` alone), set to ``status``; under
    evaluation it carries the lead's scores, confirmed unless ``confirmed`` is False."""
    build_table(unit_year)
    services.evaluation_group_name(unit_year=unit_year, user=leader, members=[lead], lead=lead)
    if status in (YearStatus.EVALUATING, YearStatus.FINALISED):
        unit_year.status = YearStatus.EVALUATING
        unit_year.save()
        services.year_scoring_start(unit_year=unit_year)
        score_all(unit_year, lead)
        if confirmed:
            services.group_result_confirm(unit_year=unit_year, user=lead)
    unit_year.status = status
    unit_year.save()
    return unit_year


PROJECT_TABLE = [
    ("project", "output", "quantity", "培训人次", "≥200人次", "30"),
    ("project", "output", "timeliness", "完成时限", "2024年12月底之前完成", "20"),
    ("project", "benefit", "social", "履职能力提升", "有效提升", "30"),
    ("project", "satisfaction", "service_satisfaction", "参训人员满意度", "≥90%", "10"),
]


def add_project(unit_year, name="代表培训经费", *, budget="20", actual="18", order=1) -> ProjectLine:
    return ProjectLine.objects.create(
        unit_year=unit_year,
        order=order,
        name=name,
        initial_budget=D(budget),
        full_year_budget=D(budget),
        actual=D(actual),
    )


def build_project_table(unit_year, project) -> list[Indicator]:
    return [
        services.indicator_create(
            unit_year=unit_year,
            project=project,
            fund_category=fund,
            tier1=t1,
            tier2=t2,
            name=name,
            target=target,
            weight=D(weight),
        )
        for fund, t1, t2, name, target, weight in PROJECT_TABLE
    ]
