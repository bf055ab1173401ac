"""Read side of the leadership page (the report's own data is ``reports.data``, its batch reads
``reports.batch_reads``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page

from departments.access import Access
from departments.models import UnitYear
from overview.models import YearSummary
from perfeval.paging import page_by_keys


@dataclass(frozen=True)
class SummaryRow:
    """A line of the leadership page: the year and its stored summary (None until computed)."""

    unit_year: UnitYear
    summary: YearSummary | None

    @property
    def total(self):
        return self.summary.total_score if self.summary else None

    @property
    def grade(self) -> str:
        return self.summary.grade if self.summary else ""

    @property
    def execution_rate(self):
        return self.summary.execution_rate if self.summary else None


LEADERSHIP_PAGE_SIZE = 50
# What a row shows: the years' long texts and the summaries' other figures stay unread.
LEADERSHIP_FIELDS = (
    "year",
    "status",
    "unit__code",
    "unit__name",
    "summary__total_score",
    "summary__grade",
    "summary__execution_rate",
)


def leadership_rows(access: Access, page=None, *, per_page: int = LEADERSHIP_PAGE_SIZE) -> Page:
    """One page of the unit-years the user may see, newest years first, with status, score,
    grade and execution rate: a count, the page's keys and one query for the page's rows,
    whatever the number of units and years. The figures come from ``overview.YearSummary``, computed by the same
    ``year_figures`` / ``year_score`` as the report and kept fresh on every committed change —
    not recomputed here for each visible year on each request. The page iterates as its rows."""
    shown = page_by_keys(
        access.visible_years().order_by("-year", "unit__code", "pk"),
        page,
        per_page,
        fetch=lambda keys: (
            UnitYear.objects.filter(pk__in=keys).select_related("unit", "summary").only(*LEADERSHIP_FIELDS)
        ),
    )
    rows = []
    for unit_year in shown.object_list:
        try:
            summary = unit_year.summary
        except YearSummary.DoesNotExist:
            summary = None
        rows.append(SummaryRow(unit_year=unit_year, summary=summary))
    shown.object_list = rows
    return shown
