"""Money display, identical to static/js/budgets/figures.js: 2 decimals, "—" when not stated."""

from decimal import Decimal

from django import template

from budgets.figures import execution_rate

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


@register.filter
def change_amount(change) -> str:
    return "—" if change is None else f"{change.amount:.2f}"


@register.filter
def change_pct(change) -> str:
    return "—" if change is None or change.percent is None else f"{change.percent:.2f}%"


@register.filter
def project_rate(line) -> Decimal | None:
    """预算执行率 of a stored project line (via ``budgets.figures``)."""
    return execution_rate(getattr(line, "actual", None), getattr(line, "full_year_budget", None))
