"""Read-side queries for the year's money."""

from __future__ import annotations

from django.db.models import QuerySet

from departments.models import UnitYear

from .figures import FIGURE_PREFETCH


def unit_years_with_figures() -> QuerySet[UnitYear]:
    """Unit-years with every line ``year_figures`` reads prefetched (one query per kind)."""
    return UnitYear.objects.select_related("updated_by", "unit__parent").prefetch_related(*FIGURE_PREFETCH)
