"""Read side of the leadership page (the report's own data is ``reports.data``, its batch reads
``reports.batch_reads``)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.paginator import Page

from departments.access import Access
from departments.models import UnitYear
from perfeval.paging import page_by_keys


@dataclass(frozen=True)
class SummaryRow:
    """A line of the leadership page: the year and its stored summary (None until computed).
    ``leadership_rows`` gives them as values (``year``, ``status``, ``unit.code``, ``unit.name``;
    ``total_score``, ``grade``, ``execution_rate``), not as model instances."""

    unit_year: Any  # a UnitYear, or its values as a row reads them
    summary: Any  # a YearSummary, its values, or None

    @property
    def pk(self) -> int:
        return int(self.unit_year.pk)

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
LEADERSHIP_VALUES = (
    "pk",
    "year",
    "status",
    "unit__code",
    "unit__name",
    "summary__unit_year_id",
    "summary__total_score",
    "summary__grade",
    "summary__execution_rate",
)


def leadership_rows(access: Access, page=None, *, per_page: int = LEADERSHIP_PAGE_SIZE) -> Page:
    """One page of the unit-years the user may see, newest years first, with status, score,
    grade and execution rate: a count, the page's keys and one query for the page's rows,
    whatever the number of units and years. The figures come from ``overview.YearSummary``, computed by the same
    ``year_figures`` / ``year_score`` as the report and kept fresh on every committed change —
    not recomputed here for each visible year on each request. The page iterates as its rows,
    read as values (no model instances: three a row with the unit and the summary)."""
    return page_by_keys(
        access.visible_years().order_by("-year", "unit__code", "pk"),
        page,
        per_page,
        fetch=_summary_rows,
    )


def _summary_rows(keys: list[int]) -> list[SummaryRow]:
    rows = []
    for v in UnitYear.objects.filter(pk__in=keys).values(*LEADERSHIP_VALUES):
        unit = SimpleNamespace(code=v["unit__code"], name=v["unit__name"])
        unit_year = SimpleNamespace(pk=v["pk"], year=v["year"], status=v["status"], unit=unit)
        summary = None
        if v["summary__unit_year_id"] is not None:
            summary = SimpleNamespace(
                total_score=v["summary__total_score"],
                grade=v["summary__grade"],
                execution_rate=v["summary__execution_rate"],
            )
        rows.append(SummaryRow(unit_year=unit_year, summary=summary))
    return rows
