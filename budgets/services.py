"""Actions that write the year's money. The browser form and the Excel import both end in
``figures_replace``: one transaction, version claimed first, and only lines that really change
are written, so the history (修改记录) shows true changes only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models, transaction

from departments.models import UnitYear
from departments.services import unit_year_claim

from .figures import year_figures
from .models import (
    AmountsMixin,
    IncomeLine,
    ProjectFunds,
    ProjectFundSource,
    ProjectKind,
    ProjectLine,
    SpendingLine,
    ThreePublicLine,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

AMOUNT_FIELDS = AmountsMixin.AMOUNT_FIELDS
THREE_PUBLIC_FIELDS = ("budget", "actual", "previous_year")
PROJECT_FIELDS = ("name", "kind", "initial_budget", "full_year_budget", "actual", "usage")


@dataclass
class ProjectData:
    name: str
    initial_budget: Decimal | None = None
    full_year_budget: Decimal | None = None
    actual: Decimal | None = None
    usage: str = ""
    kind: str = ProjectKind.PROJECT
    # The existing line this row edits: the browser form's hidden id, or the workbook's hidden
    # 编号 column. ``by_name``: a row from Excel without a valid id may be matched by its name.
    pk: int | None = None
    by_name: bool = False


@dataclass
class YearData:
    """Everything the year's money consists of, as the user gave it.

    ``income`` / ``spending``: {source or kind: {field: amount}}; ``three_public``: {kind:
    {field: amount}}; ``projects`` in the order they are listed."""

    income: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)
    spending: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)
    three_public: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)
    projects: list[ProjectData] = field(default_factory=list)


def year_data_of(unit_year: UnitYear) -> YearData:
    """The stored figures as ``YearData`` (what the Excel export writes)."""
    return YearData(
        income={line.source: {f: getattr(line, f) for f in AMOUNT_FIELDS} for line in unit_year.income_lines.all()},
        spending={line.kind: {f: getattr(line, f) for f in AMOUNT_FIELDS} for line in unit_year.spending_lines.all()},
        three_public={
            line.kind: {f: getattr(line, f) for f in THREE_PUBLIC_FIELDS} for line in unit_year.three_public_lines.all()
        },
        projects=[
            ProjectData(
                name=p.name,
                initial_budget=p.initial_budget,
                full_year_budget=p.full_year_budget,
                actual=p.actual,
                usage=p.usage,
                kind=p.kind,
                pk=p.pk,
            )
            for p in sorted(unit_year.project_lines.all(), key=lambda p: (p.order, p.pk))
        ],
    )


def _apply(obj: models.Model, values: Mapping[str, object]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sync_keyed(
    model: type[IncomeLine] | type[SpendingLine] | type[ThreePublicLine],
    *,
    unit_year: UnitYear,
    key: str,
    rows: Mapping[str, Mapping[str, Decimal | None]],
    fields: tuple[str, ...],
) -> None:
    existing = {getattr(line, key): line for line in model.objects.filter(unit_year=unit_year)}
    for value, old in existing.items():
        if value not in rows:
            old.delete()
    for value, amounts in rows.items():
        values = {f: amounts.get(f) for f in fields}
        line = existing.get(value)
        if line is None:
            if all(v is None for v in values.values()):
                continue  # nothing stated: no line
            line = model(unit_year=unit_year, **{key: value}, **values)
        elif not _apply(line, values):
            continue
        line.full_clean()
        line.save()


class ProjectsInUse(Exception):  # noqa: N818
    """Saving would delete projects that other records hang on (indicators, goals, scores):
    nothing was saved; the page asks, and saves again with ``confirm_delete``."""

    def __init__(self, names: list[str]):
        self.names = names
        joined = "、".join(f"“{n}”" for n in names)
        self.message = (
            f"项目 {joined} 已有绩效目标、指标或评分。删除项目将同时删除这些内容（修改记录中保留原值）。"
            "请确认后再保存。"
        )
        super().__init__(self.message)


def project_dependents(line: ProjectLine) -> bool:
    """Whether records of the apps above (a project's indicators, goal, scores) hang on ``line``.
    Asked through the model's reverse relations, so this layer does not import those apps; the
    project's own money rows and next year's link do not count."""
    for rel in ProjectLine._meta.related_objects:
        model = rel.related_model
        if isinstance(model, str):  # pragma: no cover - unresolved lazy reference
            continue
        if model._meta.app_label == ProjectLine._meta.app_label:
            continue
        if model._default_manager.filter(**{rel.field.name: line}).exists():
            return True
    return False


def _sync_projects(*, unit_year: UnitYear, projects: list[ProjectData], confirm_delete: bool = False) -> None:
    existing = list(ProjectLine.objects.filter(unit_year=unit_year).order_by("order", "id"))
    by_pk = {p.pk: p for p in existing}
    unmatched = list(existing)
    targets: list[tuple[ProjectLine | None, ProjectData]] = []
    # Rows carrying a valid id claim their line first, so a renamed project keeps its identity
    # and a new row of the same name cannot take it.
    claimed = {data.pk for data in projects if data.pk in by_pk}
    for data in projects:
        line = by_pk.get(data.pk) if data.pk is not None else None
        if line is None and data.by_name:
            # A new row from Excel: the first remaining line of the same name no other row claims.
            line = next((p for p in unmatched if p.name == data.name and p.pk not in claimed), None)
        if line is not None and line in unmatched:
            unmatched.remove(line)
        elif line is not None:
            line = None  # the same line listed twice: treat the second as new
        targets.append((line, data))
    if not confirm_delete:
        in_use = [line.name for line in unmatched if project_dependents(line)]
        if in_use:
            raise ProjectsInUse(in_use)
    for line in unmatched:
        line.delete()
    for order, (line, data) in enumerate(targets, start=1):
        values = {f: getattr(data, f) for f in PROJECT_FIELDS} | {"order": order}
        if line is None:
            line = ProjectLine(unit_year=unit_year, **values)
        elif not _apply(line, values):
            continue
        line.full_clean()
        line.save()


@transaction.atomic
def figures_replace(
    *, unit_year: UnitYear, user: User, expected_version: int, data: YearData, confirm_delete: bool = False
) -> UnitYear:
    """Replace the year's income, spending, 三公经费 and project lines with ``data``.

    Raises ``EditConflict`` (nothing saved) when someone saved the year in between, and
    ``ProjectsInUse`` (nothing saved) when it would delete a project with indicators or a goal
    unless ``confirm_delete``."""
    unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)
    _sync_keyed(IncomeLine, unit_year=unit_year, key="source", rows=data.income, fields=AMOUNT_FIELDS)
    _sync_keyed(SpendingLine, unit_year=unit_year, key="kind", rows=data.spending, fields=AMOUNT_FIELDS)
    _sync_keyed(ThreePublicLine, unit_year=unit_year, key="kind", rows=data.three_public, fields=THREE_PUBLIC_FIELDS)
    _sync_projects(unit_year=unit_year, projects=data.projects, confirm_delete=confirm_delete)
    return unit_year


def figures_seed_next_year(*, source: UnitYear, target: UnitYear) -> None:
    """Next year's starting figures: project names (amounts blank) and, as 上年数, this year's
    figure (全年执行数 where stated, else 全年预算数 — the figure the report compares)."""
    figures = year_figures(source)
    for source_key, amounts in figures.income.items():
        if amounts.current is not None:
            IncomeLine.objects.create(unit_year=target, source=source_key, previous_year=amounts.current)
    for kind, amounts in figures.spending.items():
        if amounts.current is not None:
            SpendingLine.objects.create(unit_year=target, kind=kind, previous_year=amounts.current)
    for tp in figures.three_public:
        if tp.actual is not None:
            ThreePublicLine.objects.create(unit_year=target, kind=tp.kind, previous_year=tp.actual)
    # The unitemised mid-year addition is this year's own; next year starts with the named
    # projects, each linked to this year's line (``previous``): the same project, one identity.
    for order, project in enumerate(figures.itemised_projects, start=1):
        ProjectLine.objects.create(unit_year=target, order=order, name=project.name, previous_id=project.pk)


def project_funds_write(*, project: ProjectLine, funds: Mapping[str, Mapping[str, Decimal | None]]) -> None:
    """A project's money by source ({source: {initial_budget, full_year_budget, actual}}): only
    changed rows are written; a source left wholly blank has no row. The caller claims the
    year's version (the project page saves this with the project's goal in one transaction)."""
    fields = ("initial_budget", "full_year_budget", "actual")
    existing = {row.source: row for row in ProjectFunds.objects.filter(project=project)}
    for source in ProjectFundSource:
        values = {f: (funds.get(source.value) or {}).get(f) for f in fields}
        row = existing.get(source.value)
        if all(v is None for v in values.values()):
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ProjectFunds(project=project, source=source.value, **values)
        elif not _apply(row, values):
            continue
        row.full_clean()
        row.save()
