"""Keeping the overview's read model (``YearSummary``) fresh.

``year_summaries_refresh`` is the only writer: it computes each summary with the one-place
functions (``budgets.figures.year_figures``, ``indicators.selectors.year_score`` with
``rules_for_year``, ``indicators.selectors.year_quality``) and upserts the rows, a constant number
of queries per batch of unit-years.

Freshness is a cross-cutting side effect, so it is done with signals (not in each service): a
save or delete of anything a summary is computed from records the unit-year's id; the ids are
refreshed once, after the transaction commits (``transaction.on_commit``), however many lines
the transaction changed. Bulk loads that bypass signals (``bulk_create``, ``QuerySet.update``)
call ``year_summaries_refresh`` themselves or run ``manage.py refresh_year_summaries``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db import connection, models, transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

from budgets.figures import FIGURE_PREFETCH, year_figures
from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import UnitYear
from flow.models import StatusChange
from indicators.models import Indicator, ProjectEvaluation, RuleSet, RuleSetAssignment, UnitYearWeights, YearScoring
from indicators.scoring import Rules
from indicators.selectors import (
    RuleBook,
    default_rules,
    project_tables,
    rules_for_year,
    year_quality,
    year_score,
)

from .models import YearSummary

BATCH_SIZE = 500
# What ``summary_values`` reads, one query per relation (plus ``select_related("scoring")``).
SUMMARY_PREFETCH: tuple[str | Prefetch, ...] = (*FIGURE_PREFETCH, "indicators", "project_lines__evaluation")


@dataclass(frozen=True)
class SummaryValues:
    """A unit-year's figures as the overview and the unit page show them."""

    total_score: Decimal | None  # none until an indicator is scored (as on the leadership page)
    grade: str  # only once scoring is complete
    score_complete: bool
    execution_rate: Decimal | None
    three_public_actual: Decimal | None
    three_public_previous: Decimal | None
    three_public_change: Decimal | None
    three_public_change_percent: Decimal | None
    findings: int  # the indicator table's current quality findings
    projects_evaluated: int  # projects marked for evaluation that have a table
    projects_average: Decimal | None  # their mean total, over those with a total
    income_total: Decimal | None  # 收入合计 (全年执行数, else 全年预算数)
    spending_budget: Decimal | None  # 支出合计 全年预算数
    spending_actual: Decimal | None  # 支出合计 全年执行数


# The values stored in ``YearSummary``: all of them (the overview filters and sorts by the
# first ones; the unit page and its charts show them all).
STORED = tuple(field.name for field in fields(SummaryValues))


def summary_values(unit_year: UnitYear, *, default: RuleBook | Rules | None) -> SummaryValues:
    """Everything from the one-place functions: ``year_figures`` (money), ``year_score`` with
    ``rules_for_year`` (total, grade), ``year_quality`` (findings). No queries when the unit-year
    comes with ``SUMMARY_PREFETCH`` and its scoring record; ``default`` is ``default_rules()``."""
    rules = rules_for_year(unit_year, default=default)
    figures = year_figures(unit_year)
    score = year_score(unit_year, rules=rules)
    three_public = figures.three_public_total
    change = three_public.change
    projects = [t for t in project_tables(unit_year, rules=rules) if t.evaluated]
    totals = [t.score.total for t in projects if t.score.total is not None and t.score.scored]
    return SummaryValues(
        total_score=score.total if score.total is not None and score.scored else None,
        grade=score.grade,
        score_complete=score.complete,
        execution_rate=figures.execution_rate,
        three_public_actual=three_public.actual,
        three_public_previous=three_public.previous_year,
        three_public_change=change.amount if change else None,
        three_public_change_percent=change.percent if change else None,
        findings=len(year_quality(unit_year, rules=rules)),
        projects_evaluated=len(projects),
        projects_average=(
            (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if totals
            else None
        ),
        income_total=figures.income_total.current,
        spending_budget=figures.spending_total.full_year_budget,
        spending_actual=figures.spending_total.actual,
    )


_pending = threading.local()


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def year_summaries_refresh(*, unit_year_ids: Iterable[int], batch_size: int = BATCH_SIZE) -> int:
    """Recompute the summaries of these unit-years (ids that no longer exist are skipped).

    Per batch: the unit-years with their scoring record (1), the four kinds of money lines (4),
    the indicators (1) and one upsert (1); plus one query for the default rule set. Returns the
    number of summaries written."""
    ids = sorted({int(i) for i in unit_year_ids if i is not None})
    if not ids:
        return 0
    default = default_rules()
    written = 0
    # One upsert per batch: on SQLite (at most 999 parameters a query) that caps the batch.
    fields = YearSummary._meta.concrete_fields
    batch_size = min(batch_size, connection.ops.bulk_batch_size(fields, [None] * batch_size) or batch_size)
    for batch in _batches(ids, batch_size):
        years = UnitYear.objects.filter(pk__in=batch).select_related("scoring").prefetch_related(*SUMMARY_PREFETCH)
        rows = []
        for unit_year in years:
            values = summary_values(unit_year, default=default)
            rows.append(
                YearSummary(
                    unit_year=unit_year,
                    year=unit_year.year,
                    status=unit_year.status,
                    **{name: getattr(values, name) for name in STORED},
                )
            )
        if not rows:
            continue
        YearSummary.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["unit_year"],
            update_fields=[
                f.name
                for f in YearSummary._meta.concrete_fields
                if not f.primary_key  # every computed column, and the time of the refresh
            ],
        )
        written += len(rows)
    return written


def year_summaries_refresh_all(*, year: int | None = None) -> int:
    """Rebuild every summary (or one year's), e.g. after a bulk load."""
    qs = UnitYear.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    return year_summaries_refresh(unit_year_ids=qs.values_list("pk", flat=True).order_by("pk").iterator())


# ---------------------------------------------------------------- keeping it fresh


def discard_pending() -> None:
    """Forget the ids waiting for a commit (tests: a test transaction never commits)."""
    _pending.ids = set()


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    year_summaries_refresh(unit_year_ids=ids)


def schedule_refresh(unit_year_ids: Iterable[int]) -> None:
    """Refresh these unit-years once the current transaction commits (at once in autocommit).

    Ids collect in one set per thread; every registration flushes the whole set, so the first
    callback after a commit does the work and the others find nothing left. A rolled-back
    transaction's ids stay in the set and are refreshed with the next commit, which is harmless:
    a refresh only ever recomputes from committed data."""
    ids = {i for i in unit_year_ids if i is not None}
    if not ids:
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids |= ids
    transaction.on_commit(_flush)


class _UnitYearRow(Protocol):
    """A row that belongs to one unit-year (a money line, an indicator, a flow step, ...)."""

    @property
    def unit_year_id(self) -> int: ...


def _on_unit_year(sender: type[UnitYear], instance: UnitYear, **kwargs: object) -> None:
    # (A deleted unit-year's summary goes with it: CASCADE.)
    schedule_refresh([instance.pk])


def _on_line(sender: type[models.Model], instance: _UnitYearRow, **kwargs: object) -> None:
    schedule_refresh([instance.unit_year_id])


def _on_project_evaluation(sender: type[models.Model], instance: ProjectEvaluation, **kwargs: object) -> None:
    # A project's inclusion and own weights change its total (a deleted project refreshes itself).
    schedule_refresh(ProjectLine.objects.filter(pk=instance.project_id).values_list("unit_year_id", flat=True))


def _on_rule_set(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    """A changed rule set, rule-set assignment or unit-year's own weights re-scores the years
    that have no snapshot of their own (years in evaluation keep theirs)."""
    schedule_refresh(UnitYear.objects.filter(scoring__isnull=True).values_list("pk", flat=True))


def connect() -> None:
    """Called from ``OverviewConfig.ready``."""
    # UnitYear: its status and year are copied. StatusChange: the flow changes the status with a
    # conditional UPDATE (no save signal) and records the step right after. Money lines: the
    # execution rate and 三公经费. Indicator: scores, weights, findings. YearScoring: the rules
    # snapshot that scores the year. Goals and member scores feed no summary column (a member's
    # score reaches the total only when the group result is confirmed, which saves Indicator).
    post_save.connect(_on_unit_year, sender=UnitYear, dispatch_uid="summary_unityear")
    for model in (StatusChange, IncomeLine, SpendingLine, ThreePublicLine, ProjectLine, Indicator, YearScoring):
        for signal in (post_save, post_delete):
            signal.connect(_on_line, sender=model, dispatch_uid=f"summary_{model.__name__}_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_project_evaluation, sender=ProjectEvaluation, dispatch_uid=f"summary_projecteval_{id(signal)}"
        )
        for rule_model in (RuleSet, RuleSetAssignment, UnitYearWeights):
            signal.connect(_on_rule_set, sender=rule_model, dispatch_uid=f"summary_{rule_model.__name__}_{id(signal)}")
