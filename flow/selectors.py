"""Read side of the flow: 我的工作 (the years a user may see, with their next step) and 修改记录
(every recorded change of a year)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from budgets.checks import year_checks
from budgets.figures import YearFigures, year_figures
from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.access import Access, YearAccess
from departments.models import Duty, Organ, Role, UnitYear, YearStatus
from indicators.models import EvaluationGroup, Goal, Indicator, department_only
from perfeval.formatting import display_name
from perfeval.jsonrows import from_row_json, json_row, row_json
from perfeval.paging import page_by_keys
from perfeval.urlfill import url_filler

from .findings import year_findings
from .models import CheckExplanation, StatusChange
from .services import ACTION_LABELS

NEXT_STEP: dict[tuple[str, str], str] = {
    (YearStatus.DRAFT, Role.OFFICER): "填报数据并送审",
    (YearStatus.SUBMITTED, Role.LEADER): "审核后交评价小组评分或退回",
    (YearStatus.SUBMITTED, Role.EVALUATOR): "等待开始评价",
    (YearStatus.EVALUATING, Role.EVALUATOR): "对绩效指标评分",
    (YearStatus.EVALUATING, Role.LEADER): "评分确认后定稿或退回",
    (YearStatus.FINALISED, Role.LEADER): "下载自评报告",
}


# Who acts next, by status (the flow page and 概况 say it instead of "nothing to do").
WHO_ACTS_NEXT: dict[str, str] = {
    YearStatus.DRAFT: "本单位财务人员填报收支与项目、文字说明和绩效指标后送审。",
    YearStatus.SUBMITTED: "单位领导审核：指定评价小组后交评价小组评分，或退回财务人员修改。",
    YearStatus.EVALUATING: "评价小组成员对绩效指标评分，组长确认小组评分结果后由单位领导定稿（或退回）。",
    YearStatus.FINALISED: "已定稿：可下载自评报告；如需修改，由管理员重新开启。",
}


def who_acts_next(unit_year: UnitYear) -> str:
    return WHO_ACTS_NEXT.get(str(unit_year.status), "")


class YearUrls:
    """The pages a list links a unit-year to, each URL name reversed once per list
    (``perfeval.urlfill``): ``urls.get("flow:page", unit_year)``."""

    def __init__(self) -> None:
        self._fillers: dict[str, Callable[..., str]] = {}

    def get(self, name: str, unit_year: UnitYear) -> str:
        filler = self._fillers.get(name)
        if filler is None:
            filler = self._fillers[name] = url_filler(name, "slug", "int")
        return filler(unit_year.unit.code, unit_year.year)


def next_url_name(can: YearAccess, unit_year: UnitYear, *, has_group: bool) -> str:
    """The URL name of the page where this person acts on the year now (我的工作 → 下一步): it
    depends on the year's status, the person's roles and seats, and whether the year has its
    evaluation group."""
    status = unit_year.status
    if can.edit:
        return "budgets:figures"
    if status == YearStatus.SUBMITTED and can.start_evaluation:
        return "flow:page" if has_group else "indicators:group"
    if status == YearStatus.EVALUATING:
        if can.confirm and not can.role_allows("finalise"):
            return "indicators:group_result"
        if can.score:
            return "indicators:scoring"
        if can.finalise:
            return "flow:page"
    if status == YearStatus.FINALISED:
        return "reports:report"
    return "flow:year_detail"


@dataclass(frozen=True)
class HomeRow:
    unit_year: UnitYear
    roles: tuple[str, ...]
    next_step: str
    next_url: str = ""
    can_create_next: bool = False
    detail_url: str = ""  # 概况, the unit's name links there
    next_year_url: str = ""  # the 创建下一年度 form's action (when offered)


HOME_PAGE_SIZE = 50
# What a row shows and its 下一步 asks: the years' long texts stay unread.
HOME_FIELDS = (
    "unit",
    "year",
    "status",
    "updated_at",
    "unit__code",
    "unit__name",
    "updated_by__username",
    "updated_by__first_name",
    "updated_by__last_name",
)


def home_page(access: Access, number: str | int | None = None, *, per_page: int = HOME_PAGE_SIZE) -> Page[Any]:
    """One page of 我的工作: the unit-years the user may see, newest years first, with what they
    should do next. Paged in SQL: a count, the page's keys, then the page's years with the
    user's seats on their evaluation groups and each unit's newest year (for 创建下一年度) — three
    queries whatever the number of units and years."""
    newest = UnitYear.objects.filter(unit_id=OuterRef("unit_id")).order_by("-year").values("year")[:1]
    page = page_by_keys(
        access.visible_years().order_by("-year", "unit__code", "pk"),
        number,
        per_page,
        fetch=lambda keys: access.with_group_roles(
            UnitYear.objects.filter(pk__in=keys)
            .select_related("unit", "updated_by")
            .only(*HOME_FIELDS)
            .annotate(
                newest_year=Subquery(newest),
                has_group=Exists(EvaluationGroup.objects.filter(unit_year=OuterRef("pk"))),
            )
        ),
    )
    urls = YearUrls()
    plans: dict[tuple[Any, ...], _HomePlan] = {}
    page.object_list = [_home_row(access, uy, urls, plans) for uy in page.object_list]
    return page


@dataclass(frozen=True)
class _HomePlan:
    """What a row of 我的工作 offers, the same for every year of one status, the same roles and
    seats, with or without a group, newest of its unit or not: decided once per page."""

    roles: tuple[str, ...]
    next_step: str
    next_url_name: str
    can_create_next: bool


def _home_row(access: Access, uy: UnitYear, urls: YearUrls, plans: dict[tuple[Any, ...], _HomePlan]) -> HomeRow:
    can = access.year(uy)
    has_group = bool(getattr(uy, "has_group", False))
    newest = uy.year == getattr(uy, "newest_year", uy.year)
    key = (uy.status, can.unit_roles, can.group_roles, has_group, newest)
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _home_plan(can, uy, has_group=has_group, newest=newest)
    return HomeRow(
        unit_year=uy,
        roles=plan.roles,
        next_step=plan.next_step,
        next_url=urls.get(plan.next_url_name, uy),
        can_create_next=plan.can_create_next,
        detail_url=urls.get("flow:year_detail", uy),
        next_year_url=urls.get("flow:next_year", uy) if plan.can_create_next else "",
    )


def _home_plan(can: YearAccess, uy: UnitYear, *, has_group: bool, newest: bool) -> _HomePlan:
    roles = can.roles
    step = next((NEXT_STEP[(uy.status, r)] for r in roles if (uy.status, r) in NEXT_STEP), "")
    officer = can.role_allows("edit")
    if not step:
        step = "查看" if uy.status != YearStatus.DRAFT or not officer else "填报数据并送审"
    # Offered on a unit's newest year only (so the next one does not exist yet), once it has
    # left the draft stage.
    create_next = can.create_next_year and newest and uy.status != YearStatus.DRAFT
    return _HomePlan(
        roles=roles,
        next_step=step,
        next_url_name=next_url_name(can, uy, has_group=has_group),
        can_create_next=create_next,
    )


# ---------------------------------------------------------------- 修改记录

SKIP_FIELDS = {"id", "unit_year", "updated_by", "updated_at", "version"}


@dataclass
class HistoryEntry:
    at: datetime
    user: str
    action: str  # 新增 / 修改 / 删除 / 流程
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def _show(model_field: models.Field, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d"))
    return str(value)


def _describe(model_name: str, record: Any) -> str:
    describe = {
        "unityear": lambda r: "基本信息与文字说明",
        "duty": lambda r: f"职责 第{r.order}条",
        "organ": lambda r: f"机构设置 · {r.name}",
        "incomeline": lambda r: f"收入 · {r.get_source_display()}",
        "spendingline": lambda r: f"支出 · {r.get_kind_display()}",
        "threepublicline": lambda r: f"三公经费 · {r.get_kind_display()}",
        "projectline": lambda r: f"项目支出 · {r.name}",
        "goal": lambda r: "绩效目标",
        "indicator": lambda r: f"绩效指标 · {getattr(r, 'name', '')}",
        "checkexplanation": lambda r: "数据校验说明",
    }
    return describe.get(model_name, lambda r: model_name)(record)


HISTORY_MODELS = (
    (UnitYear, "id"),
    (Duty, "unit_year_id"),
    (Organ, "unit_year_id"),
    (IncomeLine, "unit_year_id"),
    (SpendingLine, "unit_year_id"),
    (ThreePublicLine, "unit_year_id"),
    (ProjectLine, "unit_year_id"),
    (Goal, "unit_year_id"),
    (Indicator, "unit_year_id"),
    (CheckExplanation, "unit_year_id"),
)
FLOW_KIND = "flow"
# What kind of record (the 修改记录 filter): the tracked models, then the flow steps.
HISTORY_KINDS = (
    ("unityear", "基本信息与文字说明"),
    ("duty", "职责"),
    ("organ", "机构设置"),
    ("incomeline", "收入"),
    ("spendingline", "支出"),
    ("threepublicline", "三公经费"),
    ("projectline", "项目支出"),
    ("goal", "绩效目标"),
    ("indicator", "绩效指标"),
    ("checkexplanation", "数据校验说明"),
    (FLOW_KIND, "流程"),
)
HISTORY_PAGE_SIZE = 50


def _history_model(model: Any) -> Any:
    """simple-history's record model of ``model``. Read once: every ``model.history`` builds a new
    manager class (``from_queryset``, ~0.1 ms), 21 of them a page before."""
    found = _HISTORY_MODELS.get(model)
    if found is None:
        found = _HISTORY_MODELS[model] = model.history.model
    return found


_HISTORY_MODELS: dict[Any, Any] = {}


@dataclass(frozen=True)
class HistoryFilter:
    """Which records 修改记录 lists: by whom, what kind, from / to a date (inclusive)."""

    user_id: int | None = None
    kind: str = ""
    since: date | None = None
    until: date | None = None


def _history_tables(flt: HistoryFilter) -> Iterator[tuple[str, str, str, str, str, str]]:
    """(kind, table, year column, record id column, date column, user column), quoted, of every
    history table (and the flow steps) the filter's kind keeps."""
    qn = connection.ops.quote_name
    for model, key in HISTORY_MODELS:
        kind = model.__name__.lower()
        if flt.kind and flt.kind != kind:
            continue
        meta = _history_model(model)._meta
        column = {name: _column(meta, name) for name in (key, "history_id", "history_date", "history_user")}
        yield kind, qn(meta.db_table), column[key], column["history_id"], column["history_date"], column["history_user"]
    if not flt.kind or flt.kind == FLOW_KIND:
        meta = StatusChange._meta
        column = {name: _column(meta, name) for name in ("unit_year", "id", "at", "user")}
        yield FLOW_KIND, qn(meta.db_table), column["unit_year"], column["id"], column["at"], column["user"]


def _column(meta: Any, name: str) -> str:
    """The quoted column of the field ``name`` (or its attname) of a model's ``_meta``."""
    found = meta.get_field(name)
    assert isinstance(found, models.Field) and found.column  # noqa: S101 - a concrete field, for mypy
    return str(connection.ops.quote_name(found.column))


def _history_union(unit_year_id: int, flt: HistoryFilter) -> tuple[str, str, list[Any]]:
    """The SQL of the union of the kept records as (kind_, rid_, at_), the SQL of their number
    (a sum of each table's count: each counted on its index, not through the union), and their
    parameters (the same for both).

    Written from the models' table and column names rather than composed by the ORM: composing
    and compiling eleven querysets cost more than the rest of the page, twice (the count, then
    the page). Every condition is a plain comparison — the dates as the bounds of the local days
    (what ``history_date__date__gte`` means) — so the same SQL runs on SQLite and PostgreSQL."""
    bounds = []
    if flt.user_id:
        bounds.append(("{user} = %s", flt.user_id))
    if flt.since:
        bounds.append(("{at} >= %s", _day_start(flt.since)))
    if flt.until:
        bounds.append(("{at} < %s", _day_start(flt.until + timedelta(days=1))))
    parts, counts, params = [], [], []
    for kind, table, year, rid, at, user in _history_tables(flt):
        where = " AND ".join([f"{year} = %s", *(cond.format(user=user, at=at) for cond, _ in bounds)])
        parts.append(f"SELECT '{kind}' AS kind_, {rid} AS rid_, {at} AS at_ FROM {table} WHERE {where}")  # noqa: S608 - names from the models' metadata, quoted; values are parameters
        counts.append(f"(SELECT COUNT(*) FROM {table} WHERE {where})")  # noqa: S608 - as above
        params += [unit_year_id, *(value for _, value in bounds)]
    return " UNION ALL ".join(parts), " + ".join(counts), params


def _day_start(day: date) -> Any:
    """The first instant of ``day`` in the current time zone, as the database stores dates."""
    start = datetime.combine(day, time.min)
    if settings.USE_TZ:
        start = timezone.make_aware(start)
    return connection.ops.adapt_datetimefield_value(start)


def history_people(unit_year: UnitYear) -> Any:
    """The users who changed anything of the year (the 修改人 filter): one query."""
    from django.contrib.auth import get_user_model

    parts, params = [], []
    for _kind, table, year, _rid, _at, user in _history_tables(HistoryFilter()):
        parts.append(f"SELECT {user} FROM {table} WHERE {year} = %s")  # noqa: S608 - names from the models' metadata, quoted; values are parameters
        params.append(unit_year.pk)
    users = RawSQL(" UNION ".join(parts), params)  # noqa: S611 - built above from names and parameters
    return get_user_model().objects.filter(pk__in=users).order_by("username")


class _UnionRows:
    """The union's rows for the ``Paginator``: a count, then the page's slice (the database
    keeps only the top rows while it sorts: a window count beside the page would make it sort
    and number every record, twice the page's cost at 5,000 records)."""

    def __init__(self, union: str, total: str, params: list[Any]) -> None:
        self.union, self.total, self.params = union, total, params

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {self.total}", self.params)  # noqa: S608 - the sum above
            return int(cursor.fetchone()[0])

    def __getitem__(self, page: slice) -> list[tuple[str, int, Any]]:
        sql = f"{self.union} ORDER BY at_ DESC, rid_ DESC LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, page.stop - page.start, page.start])
            return [tuple(row) for row in cursor.fetchall()]


def history_page(unit_year: UnitYear, number: str | int | None = None, flt: HistoryFilter | None = None) -> Page[Any]:
    """One page of the year's recorded changes, newest first: who, when, old → new.

    Paged in SQL over the union of the history tables and the flow steps (a count, then the
    page's (kind, id, date) triples); then only the shown records are fetched — one query per
    kind of record on the page, each record with its previous version (for the old values) in
    the same query. Whatever the number of records, the page costs the
    same."""
    flt = flt or HistoryFilter()
    rows = _UnionRows(*_history_union(unit_year.pk, flt))
    page: Page[Any] = Paginator(cast(Any, rows), HISTORY_PAGE_SIZE).get_page(number)
    page.object_list = _history_build(list(page.object_list))
    return page


# Who made a record, with the record: the names ``display_name`` shows.
_USER_COLUMNS = ("username", "first_name", "last_name")


def _history_build(keys: list[tuple[str, int, datetime]]) -> list[HistoryEntry]:
    """The entries of the page's (kind, id, date) keys, from one query whatever the kinds on the
    page: each kind's shown records and the version before each (for the old values), with the
    user who made them, as JSON rows of one UNION (``perfeval.jsonrows``)."""
    by_kind: dict[str, list[int]] = {}
    for kind, rid, _at in keys:
        by_kind.setdefault(kind, []).append(rid)
    models_ = {model.__name__.lower(): model for model, _key in HISTORY_MODELS}
    branches: list[Any] = []
    readers: dict[str, tuple[Any, Any, Any]] = {}
    for kind, ids in by_kind.items():
        if kind == FLOW_KIND:
            model, user_name, shown = StatusChange, "user", StatusChange.objects.filter(pk__in=ids)
            befores = None
        else:
            model, user_name = _history_model(models_[kind]), "history_user"
            previous = Subquery(
                model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                .order_by("-history_id")
                .values("history_id")[:1]
            )
            before_ids = model.objects.filter(history_id__in=ids).order_by().annotate(before=previous).values("before")
            # Two branches, each found by its key (one OR of the two would read the whole table).
            befores = model.objects.filter(history_id__in=before_ids).exclude(history_id__in=ids)
            shown = model.objects.filter(history_id__in=ids)
        fields = model._meta.concrete_fields
        user = {f"user_{name}_": F(f"{user_name}__{name}") for name in _USER_COLUMNS}
        branches.append(shown.order_by().values_list(Value(kind), row_json(fields, **user)))
        if befores is not None:
            branches.append(befores.order_by().values_list(Value(kind), row_json(fields, **user)))
        readers[kind] = (model, fields, model._meta.get_field(user_name))
    records: dict[str, list[Any]] = {kind: [] for kind in by_kind}
    rows = branches[0].union(*branches[1:], all=True) if branches else []
    for kind, text in rows:
        model, fields, user_field = readers[kind]
        data = json_row(text) or {}
        record = from_row_json(model, fields, data)
        user_id = getattr(record, user_field.attname)
        user_field.set_cached_value(
            record,
            None
            if user_id is None
            else user_field.related_model(pk=user_id, **{name: data[f"user_{name}_"] for name in _USER_COLUMNS}),
        )
        records[kind].append(record)
    built: dict[tuple[str, int], HistoryEntry | None] = {}
    for kind, ids in by_kind.items():
        if kind == FLOW_KIND:
            for step in records[kind]:
                built[(kind, step.pk)] = HistoryEntry(
                    at=step.at,
                    user=display_name(step.user),
                    action="流程",
                    what=ACTION_LABELS.get(step.action, step.action),
                    changes=[("状态", step.get_from_status_display(), step.get_to_status_display())]
                    + ([("意见", "", step.comment)] if step.comment else []),
                )
            continue
        shown_ids = set(ids)
        by_object: dict[int, list] = {}
        for record in sorted(records[kind], key=lambda r: r.history_id):
            by_object.setdefault(record.id, []).append(record)
        for versions in by_object.values():
            for before, record in zip([None, *versions], versions, strict=False):
                if record.history_id in shown_ids:
                    built[(kind, record.history_id)] = _history_entry(models_[kind], kind, record, before)
    return [entry for kind, rid, _at in keys if (entry := built.get((kind, rid))) is not None]


def _history_entry(model: Any, kind: str, record: Any, before: Any) -> HistoryEntry | None:
    fields = [f for f in model._meta.fields if f.name not in SKIP_FIELDS]
    if record.history_type == "+":
        action = "新增"
        changes = [
            (str(f.verbose_name), "", _show(f, getattr(record, f.attname)))
            for f in fields
            if getattr(record, f.attname) not in (None, "")
        ]
    elif record.history_type == "-":
        action, changes = "删除", []
    elif before is None:
        # Created without history (bulk-loaded): the earlier values are unknown.
        action = "修改"
        changes = [
            (str(f.verbose_name), "（此前无记录）", _show(f, getattr(record, f.attname)))
            for f in fields
            if getattr(record, f.attname) not in (None, "")
        ]
    else:
        action = "修改"
        changes = [
            (str(f.verbose_name), _show(f, getattr(before, f.attname)), _show(f, getattr(record, f.attname)))
            for f in fields
            if getattr(before, f.attname) != getattr(record, f.attname)
        ]
        if not changes:
            return None  # saved without a visible change
    return HistoryEntry(
        at=record.history_date,
        user=display_name(record.history_user),
        action=action,
        what=_describe(kind, record),
        changes=changes,
    )


# ---------------------------------------------------------------- notes for the report


@dataclass(frozen=True)
class CheckNote:
    code: str  # the check's code: where in the report the note belongs
    finding: str
    explanation: str


def report_check_notes(unit_year: UnitYear, *, figures: YearFigures | None = None) -> list[CheckNote]:
    """Every current 数据校验 finding the unit explained in writing — the notes the report prints
    where a reader meets the figures. Explanations of findings that are gone (the figures were
    corrected) are not printed. One query when the year's ``figures`` are given."""
    return [
        CheckNote(f.code, f.message, f.explanation.explanation)
        for f in year_findings(unit_year, figures=figures)
        if f.explanation is not None
    ]


def check_notes(unit_year: UnitYear) -> list[tuple[str, str]]:
    """(finding, explanation) pairs of ``report_check_notes``."""
    return [(n.finding, n.explanation) for n in report_check_notes(unit_year)]


# ---------------------------------------------------------------- 概况: the year's checklist


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    detail: str
    url: str


def year_checklist(unit_year: UnitYear) -> list[ChecklistItem]:
    """What is done and what is missing in the year, step by step, each with its page."""
    args = [unit_year.unit.code, unit_year.year]
    status = unit_year.status
    figures = year_figures(unit_year)
    checks = year_checks(figures, unit_year)
    indicators = department_only(unit_year.indicators.all())
    unweighted = sum(1 for i in indicators if i.weight is None and not i.not_applicable)
    texts_missing = [
        str(getattr(f, "verbose_name", f.name))
        for f in UnitYear._meta.get_fields()
        if getattr(f, "get_internal_type", lambda: "")() == "TextField"
        and f.name in ("income_change_note", "spending_change_note", "evaluation_purpose", "problems", "measures")
        and not getattr(unit_year, f.name)
    ]
    group = getattr(unit_year, "evaluation_group", None)
    scoring = getattr(unit_year, "scoring", None)
    after_submit = status != YearStatus.DRAFT
    return [
        ChecklistItem(
            "基本信息",
            bool(unit_year.function_summary and unit_year.headcount_actual is not None),
            "职能概述和实有人数" if not unit_year.function_summary else "已填写",
            reverse("departments:profile", args=args),
        ),
        ChecklistItem(
            "收支与项目",
            figures.income_total.actual is not None or figures.spending_total.actual is not None,
            f"数据校验 {len(checks)} 条提示" if checks else "已填写，数据校验无提示",
            reverse("budgets:figures", args=args),
        ),
        ChecklistItem(
            "文字说明",
            not texts_missing,
            "未填：" + "、".join(str(t) for t in texts_missing) if texts_missing else "已填写",
            reverse("reports:texts", args=args),
        ),
        ChecklistItem(
            "绩效指标",
            bool(indicators) and not unweighted,
            f"{len(indicators)} 个指标" + (f"，{unweighted} 个未设分值" if unweighted else ""),
            reverse("indicators:table", args=args),
        ),
        ChecklistItem(
            "送审", after_submit, "已送审" if after_submit else "由财务人员送审", reverse("flow:page", args=args)
        ),
        ChecklistItem(
            "评价小组",
            group is not None,
            "已指定" if group is not None else "由单位领导指定",
            reverse("indicators:group", args=args),
        ),
        ChecklistItem(
            "小组评分确认",
            bool(scoring and scoring.confirmed_at),
            "组长已确认" if scoring and scoring.confirmed_at else "评价小组评分后由组长确认",
            reverse("indicators:group_result", args=args),
        ),
        ChecklistItem(
            "定稿",
            status == YearStatus.FINALISED,
            "已定稿" if status == YearStatus.FINALISED else "由单位领导定稿",
            reverse("flow:page", args=args),
        ),
    ]
