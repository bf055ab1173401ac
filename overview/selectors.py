"""The finance bureau's overview (全部单位总览) and a unit's years side by side: read queries.

One selector (``overview_queryset`` and the values of ``COLUMNS``) feeds both the page
(``overview.rows``) and its Excel export (``overview.services``), so they show the same rows and
columns. Filtering, sorting and paging happen in the
database over the ``YearSummary`` read model (see ``overview.summaries``); the unit page reads
a single unit's few years straight from the one-place functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django import forms
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from departments.models import Unit, UnitYear, YearStatus

from .models import YearSummary
from .summaries import STORED, SummaryValues

PAGE_SIZE = 50
PAGE_SIZES = (20, 50, 100)
GRADES = ("优", "良", "中", "差")
NO_GRADE = "none"
STATUS_LABELS = dict(YearStatus.choices)  # get_status_display() rebuilds this dict on every call


@dataclass(frozen=True)
class Column:
    key: str  # the ``sort`` parameter
    label: str
    kind: str  # text / int / score / percent / money
    value: Callable[[YearSummary], object]
    order: str | Callable[[], Case]  # a field path to sort by, or what builds the expression


def _status_rank() -> Case:
    return Case(
        *(When(status=value, then=Value(i)) for i, value in enumerate(YearStatus.values)),
        output_field=IntegerField(),
    )


def _grade_rank() -> Case:
    # 优 first; a year without a grade (scoring not finished) has no rank and sorts last.
    return Case(*(When(grade=g, then=Value(i)) for i, g in enumerate(GRADES)), output_field=IntegerField())


def _parent_name(s: YearSummary) -> str:
    parent = s.unit_year.unit.parent
    return parent.name if parent is not None else ""


COLUMNS: tuple[Column, ...] = (
    Column("code", "单位编码", "text", lambda s: s.unit_year.unit.code, "unit_year__unit__code"),
    Column("name", "单位名称", "text", lambda s: s.unit_year.unit.name, "unit_year__unit__name"),
    Column("region", "所属地区", "text", lambda s: s.unit_year.unit.region, "unit_year__unit__region"),
    Column(
        "parent",
        "上级单位",
        "text",
        _parent_name,
        "unit_year__unit__parent__name",
    ),
    Column("year", "年度", "int", lambda s: s.year, "year"),
    Column("status", "状态", "text", lambda s: STATUS_LABELS.get(s.status, s.status), _status_rank),
    Column("score", "总分", "score", lambda s: s.total_score, "total_score"),
    Column("grade", "等级", "text", lambda s: s.grade, _grade_rank),
    Column("rate", "预算执行率", "percent", lambda s: s.execution_rate, "execution_rate"),
    Column("tp_change", "三公经费增减（万元）", "money", lambda s: s.three_public_change, "three_public_change"),
    Column(
        "tp_percent",
        "三公经费增减率",
        "percent",
        lambda s: s.three_public_change_percent,
        "three_public_change_percent",
    ),
    Column("findings", "指标质量问题", "int", lambda s: s.findings, "findings"),
    Column("projects", "自评项目数", "int", lambda s: s.projects_evaluated, "projects_evaluated"),
    Column("projects_avg", "项目平均得分", "score", lambda s: s.projects_average, "projects_average"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "code"


class OverviewFilterForm(forms.Form):
    """The overview's filters and sort, read from the query string. Invalid values are ignored
    (the field is left out), so a stale bookmark still shows a page."""

    q = forms.CharField(label="单位名称或代码", required=False, max_length=100)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label="所属地区", required=False)
    parent = forms.ChoiceField(label="上级单位", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(YearStatus.choices))
    grade = forms.ChoiceField(
        label="等级", required=False, choices=[("", "全部")] + [(g, g) for g in GRADES] + [(NO_GRADE, "未评定")]
    )
    per_page = forms.TypedChoiceField(
        label="每页行数", required=False, coerce=int, empty_value=None, choices=[(n, str(n)) for n in PAGE_SIZES]
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        years: Iterable[int],
        regions: Iterable[str],
        parents: Iterable[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        self._choice_field("year").choices = [("", "全部")] + [(y, f"{y}年度") for y in years]
        self._choice_field("region").choices = [("", "全部")] + [(r, r) for r in regions]
        self._choice_field("parent").choices = [("", "全部")] + list(parents)

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # declared above
        return field

    def values(self) -> dict:
        """The valid filters (a field with an invalid value counts as not given)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        out = {name: data.get(name) for name in ("q", "year", "region", "parent", "status", "grade")}
        if out.get("q"):
            out["q"] = str(out["q"]).strip()
        out = {k: v for k, v in out.items() if v not in (None, "") and k not in self.errors}
        sort = (data.get("sort") or "").strip()
        out["sort"] = sort if sort.lstrip("-") in COLUMN_BY_KEY else DEFAULT_SORT
        out["per_page"] = data.get("per_page") if "per_page" not in self.errors and data.get("per_page") else PAGE_SIZE
        return out


def overview_filter_form(data: Mapping[str, Any] | None) -> OverviewFilterForm:
    """The filter form with its choices: the years present (1 query), the regions (1) and the
    units that have sub-units (1)."""
    years = YearSummary.objects.order_by("-year").values_list("year", flat=True).distinct()
    regions = Unit.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    parents = Unit.objects.filter(children__isnull=False).distinct().order_by("code").values_list("code", "name")
    return OverviewFilterForm(data, years=list(years), regions=list(regions), parents=list(parents))


# What a row shows of its unit-year and unit (``COLUMNS``): the year's own long texts stay unread.
_UNIT_VALUES = {
    "code": "unit_year__unit__code",
    "name": "unit_year__unit__name",
    "region": "unit_year__unit__region",
}
_PARENT_NAME = "unit_year__unit__parent__name"
ROW_FIELDS = (*(f.name for f in YearSummary._meta.concrete_fields), *_UNIT_VALUES.values(), _PARENT_NAME)


def summaries_with_units() -> QuerySet[YearSummary]:
    """Summaries with the unit-year, unit and parent unit a row shows, in the same query."""
    return YearSummary.objects.select_related("unit_year__unit__parent").only(*ROW_FIELDS)


_SUMMARY_VALUES = tuple(f.attname for f in YearSummary._meta.concrete_fields)


def summary_rows(keys: list[int]) -> list[SimpleNamespace]:
    """The summaries of ``keys`` as a page's rows read them (``COLUMNS``: ``s.total_score``,
    ``s.unit_year.unit.code``, …), from one query of values: a page builds no model instances
    (four a row with the unit-year, unit and parent unit)."""
    rows = []
    found = YearSummary.objects.filter(pk__in=keys).values(*_SUMMARY_VALUES, *_UNIT_VALUES.values(), _PARENT_NAME)
    for values in found:
        parent_name = values.pop(_PARENT_NAME)
        unit = SimpleNamespace(
            **{key: values.pop(path) for key, path in _UNIT_VALUES.items()},
            parent=None if parent_name is None else SimpleNamespace(name=parent_name),
        )
        rows.append(SimpleNamespace(**values, pk=values["unit_year_id"], unit_year=SimpleNamespace(unit=unit)))
    return rows


def overview_queryset(filters: dict) -> QuerySet[YearSummary]:
    """The summaries matching ``filters`` (from ``OverviewFilterForm.values``), sorted. One query
    when evaluated; paging adds a COUNT."""
    qs = summaries_with_units()
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(unit_year__unit__name__icontains=q) | Q(unit_year__unit__code__icontains=q))
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("region"):
        qs = qs.filter(unit_year__unit__region=filters["region"])
    if filters.get("parent"):
        qs = qs.filter(unit_year__unit__parent__code=filters["parent"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    grade = filters.get("grade")
    if grade == NO_GRADE:
        qs = qs.filter(grade="")
    elif grade:
        qs = qs.filter(grade=grade)
    sort = filters.get("sort") or DEFAULT_SORT
    column = COLUMN_BY_KEY[sort.lstrip("-")]
    expression = column.order() if callable(column.order) else F(column.order)
    ordered = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    # Ties (and the default) read unit by unit, newest year first; the key makes paging stable.
    return qs.order_by(ordered, "unit_year__unit__code", "-year", "pk")


def overview_status_counts(filters: dict) -> list[tuple[str, str, int]]:
    """(status, label, count) of the unit-years matching every filter but the status: one query."""
    others = {k: v for k, v in filters.items() if k != "status"}
    counts = dict(
        overview_queryset(others)
        .select_related(None)
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in YearStatus.choices]


# ---------------------------------------------------------------- one unit, its years side by side


@dataclass(frozen=True)
class UnitYearColumn:
    unit_year: UnitYear
    values: SummaryValues

    @property
    def year(self) -> int:
        return self.unit_year.year


def unit_years_side_by_side(unit: Unit) -> list[UnitYearColumn]:
    """The unit's years, oldest first, from the read model (one query, whatever the number of
    years): the values ``overview.summaries`` computed with the one-place functions."""
    summaries = YearSummary.objects.filter(unit_year__unit=unit).select_related("unit_year").order_by("year")
    return [
        UnitYearColumn(s.unit_year, SummaryValues(**{name: getattr(s, name) for name in STORED})) for s in summaries
    ]
