"""Builds a county's worth of units with figures and scored indicators (overview tests)."""

from __future__ import annotations

from decimal import Decimal as D

from budgets.models import SpendingKind, SpendingLine, ThreePublicKind, ThreePublicLine
from departments.models import Unit, UnitYear, YearStatus
from indicators.models import Indicator, TargetKind, Tier1, Tier2
from overview.summaries import year_summaries_refresh

STATUSES = list(YearStatus.values)


def build_units(count: int, *, years=(2023, 2024), prefix: str = "U") -> list[UnitYear]:
    """``count`` units under two parent bureaus in two regions, each with ``years``: spending
    lines (execution rate varies by unit), 三公经费 with last year's figure, and three scored
    indicators (output 50, benefit 30, satisfaction 10). Bulk-created, then summarised once."""
    parents = [
        Unit.objects.get_or_create(code=f"{prefix}P{i}", defaults={"name": f"主管局{i}", "region": region})[0]
        for i, region in ((1, "东区"), (2, "西区"))
    ]
    units = Unit.objects.bulk_create(
        Unit(
            code=f"{prefix}{n:04d}",
            name=f"单位{n:04d}",
            region=parents[n % 2].region,
            parent=parents[n % 2],
        )
        for n in range(count)
    )
    unit_years = UnitYear.objects.bulk_create(
        UnitYear(unit=unit, year=year, status=STATUSES[(n + i) % len(STATUSES)])
        for n, unit in enumerate(units)
        for i, year in enumerate(years)
    )
    spending, three_public, indicators = [], [], []
    for k, uy in enumerate(unit_years):
        actual = D(60 + (k * 7) % 41)  # 60..100 of a budget of 100: execution rate 60–100 %
        spending.append(
            SpendingLine(unit_year=uy, kind=SpendingKind.TOTAL, full_year_budget=D("100.00"), actual=actual)
        )
        three_public.append(
            ThreePublicLine(
                unit_year=uy,
                kind=ThreePublicKind.RECEPTION,
                budget=D("5.00"),
                actual=D(k % 9) + D("0.50"),
                previous_year=D("4.00"),
            )
        )
        share = D(k % 5) / 10 + D("0.5")  # 50 %..90 % of each weight
        for order, (tier1, tier2, weight) in enumerate(
            (
                (Tier1.OUTPUT, Tier2.QUANTITY, 50),
                (Tier1.BENEFIT, Tier2.SOCIAL, 30),
                (Tier1.SATISFACTION, Tier2.SERVICE_SATISFACTION, 10),
            )
        ):
            indicators.append(
                Indicator(
                    unit_year=uy,
                    fund_category="basic",
                    order=order,
                    tier1=tier1,
                    tier2=tier2,
                    name=f"指标{order}",
                    target_kind=TargetKind.QUANTITATIVE,
                    comparator="ge",
                    target_value=D("10"),
                    target_unit="次" if k % 3 else "",  # every third year: a quality finding per indicator
                    weight=D(weight),
                    score=(D(weight) * share).quantize(D("0.01")),
                )
            )
    SpendingLine.objects.bulk_create(spending)
    ThreePublicLine.objects.bulk_create(three_public)
    Indicator.objects.bulk_create(indicators)
    year_summaries_refresh(unit_year_ids=[uy.pk for uy in unit_years])
    return unit_years
