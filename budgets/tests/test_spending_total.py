"""Scoring reads 支出合计 alone (``year_spending_total``, spending lines only); it is the same
figure ``year_figures`` gives, stated total or the sum of the parts."""

from __future__ import annotations

from decimal import Decimal as D

from budgets.figures import year_figures, year_spending_total
from budgets.models import SpendingKind


def test_spending_total_alone_is_the_figures_spending_total(demo_year):
    assert year_spending_total(demo_year) == year_figures(demo_year).spending_total
    assert year_spending_total(demo_year).execution_rate == year_figures(demo_year).execution_rate
    # Without a stated total: 基本支出 + 项目支出, in both.
    demo_year.spending_lines.filter(kind=SpendingKind.TOTAL).delete()
    alone = year_spending_total(demo_year)
    assert alone == year_figures(demo_year).spending_total
    assert alone.full_year_budget is not None and alone.full_year_budget > D("0")
