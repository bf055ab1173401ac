"""The app's one template library for figures (built in: no ``{% load %}`` needed).

Each filter's name says how a missing value is shown: ``…_dash`` shows "—" (pages and forms),
``…_blank`` shows nothing (report tables, where an empty cell is the convention). The
formatting itself is ``perfeval.formatting``.
"""

from __future__ import annotations

from django import template

from perfeval import formatting

register = template.Library()


@register.filter
def money_dash(value) -> str:
    return formatting.money_or(value, formatting.DASH)


@register.filter
def money_blank(value) -> str:
    return formatting.money_or(value)


@register.filter
def percent_dash(value) -> str:
    return formatting.percent_or(value, formatting.DASH)


@register.filter
def percent_blank(value) -> str:
    return formatting.percent_or(value)


@register.filter
def score_dash(value) -> str:
    return formatting.score_or(value, formatting.DASH)


@register.filter
def score_blank(value) -> str:
    return formatting.score_or(value)


@register.filter
def change_dash(change) -> str:
    """The signed amount of a ``budgets.figures.Change``."""
    return formatting.DASH if change is None else formatting.money_or(change.amount, formatting.DASH)


@register.filter
def change_percent_dash(change) -> str:
    return formatting.DASH if change is None else formatting.percent_or(change.percent, formatting.DASH)


@register.filter
def person(user) -> str:
    return formatting.display_name(user)
