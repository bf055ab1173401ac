"""Read-side queries for goals, indicators and scores."""

from __future__ import annotations

from budgets.figures import year_figures

from .scoring import NATIONAL_RULES, IndicatorScore, Rules, YearScore, score_total


def year_score(unit_year, *, rules: Rules | None = None) -> YearScore:
    """The year's total and grade from the stored indicator scores and the budget figures.

    Prefetch ``indicators`` and the ``budgets.figures.FIGURE_PREFETCH`` relations to keep this
    free of queries.
    """
    rules = rules or NATIONAL_RULES
    spending = year_figures(unit_year).spending_total
    return score_total(
        indicators=[
            IndicatorScore(weight=i.weight, score=i.score, not_applicable=i.not_applicable)
            for i in unit_year.indicators.all()
        ],
        execution_actual=spending.actual,
        execution_budget=spending.full_year_budget,
        rules=rules,
    )
