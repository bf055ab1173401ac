"""The permission matrix, driven by the URL list (issue 9, item 3).

Every URL pattern of the project (``get_resolver()``, through every include) × every persona ×
GET and POST answers the status its row in ``MATRIX`` says, and a refused request (403 / 404 /
405 / a redirect to the login page) writes nothing. A pattern without a row fails the test, and
so does a row whose pattern is gone: a new URL cannot ship without saying who may use it.

The expectations follow the access policy (``departments.access.RULES``): another unit's officer
gets 404 (the year's existence is not revealed), a role the policy refuses gets 403, a method
the view does not serve gets 405, the anonymous visitor is sent to the login page.

Not walked here:
- the Django admin (the ``admin`` namespace): tests/test_admin_flow.py walks every admin model;
- ``favicon.ico``: a permanent redirect to a static file, the same for everyone;
- static files: WhiteNoise serves them before any URL pattern (with DEBUG off, as in the test
  settings, no static pattern is added to the URL list).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from budgets.models import ProjectLine
from conftest import make_user
from departments.models import Role, Unit, UnitYear, YearStatus
from indicators import services as indicator_services
from indicators.tests.factories import build_table
from overview.charts import CHARTS
from reports.models import BatchItem, BatchJob, BatchStatus, ItemStatus

D, S, E, F = YearStatus.DRAFT, YearStatus.SUBMITTED, YearStatus.EVALUATING, YearStatus.FINALISED
YEAR = 2024

# The columns of every row, in this order.
PERSONAS = ("anonymous", "officer_a", "officer_b", "evaluator", "group_lead", "leader_a", "admin")

# What a response may be. Refusals: 403, 404, 405 and LOGIN (302 to the login page).
LOGIN = "login"  # 302 to the login page: the anonymous visitor is refused
DONE = "done"  # 302 elsewhere: the POST was accepted (saved, or refused with a message shown)
LOGGED_OUT = "logged out"  # 302 to the login page after logging out (not a refusal)
OK = frozenset({200, DONE})  # an allowed POST with an empty body: the form again, or a redirect
REFUSALS = frozenset({403, 404, 405, LOGIN})

# Patterns not walked (see the module docstring): by namespace, and by route for unnamed ones.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_ROUTES = {"favicon.ico"}


@dataclass(frozen=True)
class Row:
    """One URL: the year status its scenario runs in, and per persona (``PERSONAS`` order) what
    a GET and an empty-bodied POST answer. ``why`` notes a row that is not what one expects."""

    status: str
    get: tuple
    post: tuple
    why: str = ""

    def __post_init__(self) -> None:
        assert len(self.get) == len(self.post) == len(PERSONAS), self


# Shorthands for the usual lines. A unit-year page that everyone of the unit may read:
READ = (LOGIN, 200, 404, 200, 200, 200, 200)
# …and the same for a page only the administrators see (the finance bureau's overview):
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 403, 200)
# A page that only shows: POST answers 405 once logged in (login_required is the outer decorator).
NO_POST = (LOGIN, 405, 405, 405, 405, 405, 405)
# A POST-only endpoint: GET answers 405 once logged in.
NO_GET = NO_POST
# What the unit's finance officer (and the administrator, who holds every role) may change in a
# draft: "edit" / "edit_indicators" / "submit" / "create_next_year" / "save_to_library".
OFFICER_WRITES = (LOGIN, OK, 404, 403, 403, 403, OK)

#     persona order:  anonymous officer_a officer_b evaluator group_lead leader_a admin
MATRIX: dict[str, Row] = {
    # -- accounts: the same for everyone --------------------------------------------------------
    "login": Row(D, get=(200,) * 7, post=(200,) * 7),  # an empty form: shown again with errors
    "logout": Row(D, get=(405,) * 7, post=(LOGGED_OUT,) * 7),  # Django logs out on POST only
    # Every signed-in user changes their own password (an empty form is shown again with errors).
    "password_change": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=(LOGIN, 200, 200, 200, 200, 200, 200)),
    "password_change_done": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=(LOGIN,) + (405,) * 6),
    # Every signed-in user sets their own text size (大字号); an empty POST means 标准字号.
    "departments:text_size": Row(D, get=(LOGIN,) + (405,) * 6, post=(LOGIN,) + (DONE,) * 6),
    # 填报说明: the same page for everyone signed in.
    "flow:help": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=NO_POST),
    # -- 我的工作 and a year's pages ----------------------------------------------------------------
    "flow:home": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=NO_POST),
    "flow:year_detail": Row(D, get=READ, post=NO_POST),
    "flow:history": Row(D, get=READ, post=NO_POST),
    "flow:next_year": Row(F, get=NO_GET, post=(LOGIN, DONE, 404, 403, 403, 403, DONE)),
    # A 数据校验 finding is explained by the officer in a draft (at 送审) and by the leader during
    # the evaluation (at 定稿): here a draft; an empty form goes back to the flow page.
    "flow:explain": Row(D, get=NO_GET, post=(LOGIN, DONE, 404, 403, 403, 403, DONE)),
    "departments:profile": Row(D, get=READ, post=OFFICER_WRITES),
    "reports:texts": Row(D, get=READ, post=OFFICER_WRITES),
    "indicators:goals": Row(D, get=READ, post=OFFICER_WRITES),
    # -- money ----------------------------------------------------------------------------------
    "budgets:figures": Row(D, get=READ, post=OFFICER_WRITES),
    "budgets:checks": Row(D, get=READ, post=NO_POST),
    "budgets:excel": Row(D, get=READ, post=OFFICER_WRITES),
    "budgets:excel_download": Row(D, get=READ, post=NO_POST),
    # -- indicators -----------------------------------------------------------------------------
    "indicators:library": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=NO_POST),
    "indicators:table": Row(D, get=READ, post=OFFICER_WRITES),
    "indicators:weights_default": Row(D, get=NO_GET, post=OFFICER_WRITES),
    # A project's goal, inclusion, own weights and money by source: the officer, in a draft.
    "indicators:project_goal": Row(D, get=NO_GET, post=OFFICER_WRITES),
    # The projects' indicator tables in Excel: everyone of the unit downloads; the officer uploads.
    "indicators:projects_xlsx": Row(D, get=READ, post=NO_POST),
    "indicators:projects_upload": Row(D, get=NO_GET, post=OFFICER_WRITES),
    # A project's 实际完成情况: whoever may score (the group's members), while it is evaluated.
    "indicators:project_outcome": Row(E, get=NO_GET, post=(LOGIN, 403, 404, OK, OK, 403, 403)),
    "indicators:add_from_library": Row(D, get=NO_GET, post=OFFICER_WRITES),
    "indicators:confirm_directions": Row(D, get=NO_GET, post=OFFICER_WRITES),
    "indicators:move": Row(D, get=NO_GET, post=OFFICER_WRITES),
    # Saving to the library is allowed in every status: a finalised year's indicator here.
    "indicators:to_library": Row(F, get=NO_GET, post=OFFICER_WRITES),
    # -- the evaluation group and scoring -------------------------------------------------------
    # Everyone of the unit sees the group; the leader (and the administrator) names it.
    "indicators:group": Row(D, get=READ, post=(LOGIN, 403, 404, 403, 403, OK, OK)),
    # Scoring is the group's own: not the officer, the leader or the administrator (who sits on
    # a group only when named to it).
    "indicators:scoring": Row(E, get=(LOGIN, 403, 404, 200, 200, 403, 403), post=NO_POST),
    "indicators:scoring_save": Row(E, get=NO_GET, post=(LOGIN, 403, 404, OK, OK, 403, 403)),
    # The group's result is shown to the whole unit (the leader finalises from it); the lead
    # confirms it, and the administrator may.
    "indicators:group_result": Row(
        E,
        get=READ,
        post=NO_POST,
        why="QUESTION: the page shows each member's scores; it asks no capability (see_scoring is the"
        " group's), so the officer whose year is being scored sees them during the evaluation",
    ),
    "indicators:group_result_confirm": Row(E, get=NO_GET, post=(LOGIN, 403, 404, 403, DONE, 403, DONE)),
    # -- the flow -------------------------------------------------------------------------------
    "flow:page": Row(D, get=READ, post=NO_POST),
    "flow:submit": Row(D, get=NO_GET, post=(LOGIN, DONE, 404, 403, 403, 403, DONE)),
    "flow:start": Row(S, get=NO_GET, post=(LOGIN, 403, 404, 403, 403, DONE, DONE)),
    "flow:send_back": Row(E, get=NO_GET, post=(LOGIN, 403, 404, 403, DONE, DONE, DONE)),
    "flow:finalise": Row(E, get=NO_GET, post=(LOGIN, 403, 404, 403, 403, DONE, DONE)),
    "flow:reopen": Row(F, get=NO_GET, post=(LOGIN, 403, 404, 403, 403, 403, DONE)),
    # -- the finance bureau's overview ----------------------------------------------------------
    "overview:index": Row(D, get=ADMIN_ONLY, post=NO_POST),
    "overview:export": Row(D, get=ADMIN_ONLY, post=NO_POST),
    "overview:unit": Row(D, get=ADMIN_ONLY, post=NO_POST),
    "overview:unit_chart": Row(D, get=ADMIN_ONLY, post=NO_POST),
    # -- reports: require_GET / require_POST sit outside login_required here (the other apps put
    # login_required outside), so the anonymous visitor gets 405 for the wrong method, not the
    # login page: harmless (nothing is shown or written), only inconsistent. -------------------
    "reports:index": Row(D, get=(LOGIN, 200, 200, 200, 200, 200, 200), post=(405,) * 7),
    "reports:report": Row(D, get=READ, post=(405,) * 7),
    "reports:report_pdf": Row(D, get=READ, post=(405,) * 7),
    "reports:report_docx": Row(D, get=READ, post=(405,) * 7),
    "reports:report_xlsx": Row(D, get=READ, post=(405,) * 7),
    # Batches: leaders (for the units they lead) and administrators start them; a batch is seen
    # by whoever started it (here the leader) and the administrators, 404 for anyone else.
    "reports:batch_start": Row(D, get=(405,) * 7, post=(LOGIN, 403, 403, 403, 403, DONE, DONE)),
    "reports:batch_detail": Row(D, get=(LOGIN, 404, 404, 404, 404, 200, 200), post=(405,) * 7),
    "reports:batch_progress": Row(D, get=(LOGIN, 404, 404, 404, 404, 200, 200), post=(405,) * 7),
    "reports:batch_zip": Row(D, get=(LOGIN, 404, 404, 404, 404, 200, 200), post=(405,) * 7),
    "reports:batch_retry": Row(D, get=(405,) * 7, post=(LOGIN, 404, 404, 404, 404, DONE, DONE)),
}

# What a ``pk`` in a URL names (the other arguments come from their names, see ``url_kwargs``).
PK_OF = {
    "indicators:move": "indicator",
    "indicators:to_library": "indicator",
    "indicators:scoring_save": "indicator",
    "indicators:project_goal": "project",
    "indicators:project_outcome": "project",
    "reports:batch_detail": "batch",
    "reports:batch_progress": "batch",
    "reports:batch_zip": "batch",
    "reports:batch_retry": "batch",
}

# POST bodies where an empty one would be refused by the form before anyone asked who is posting.
POST_DATA = {
    "reports:batch_start": {"year": str(YEAR)},
}


# -- the URL list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    converters: tuple[str, ...] = field(default=())


def walk(patterns: Iterable, namespace: str = "", prefix: str = "") -> Iterator[Pattern]:
    """Every pattern under ``patterns``, through includes, with its full name and route."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if inner.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = route
            yield Pattern(name, route, tuple(entry.pattern.converters))


def project_patterns(resolver: URLResolver | None = None) -> list[Pattern]:
    """The patterns the matrix covers (the admin, the favicon and static files excepted)."""
    resolver = resolver or get_resolver()
    static_prefix = (settings.STATIC_URL or "").lstrip("/")
    return [
        p
        for p in walk(resolver.url_patterns)
        if p.route not in SKIPPED_ROUTES and not (static_prefix and p.route.startswith(static_prefix))
    ]


def check_rows(patterns: list[Pattern], matrix: dict[str, Row]) -> None:
    """Fail, naming them, on patterns without a row and rows without a pattern."""
    names = [p.name for p in patterns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"URL names used twice (the matrix keys by name): {duplicates}"
    missing = [p for p in patterns if p.name not in matrix]
    assert not missing, "URL patterns without a row in MATRIX (tests/test_permission_matrix.py): " + ", ".join(
        f"{p.name!r} ({p.route})" for p in missing
    )
    stale = sorted(set(matrix) - set(names))
    assert not stale, f"rows in MATRIX for patterns that no longer exist: {stale}"


PATTERNS = project_patterns()


# -- the scenario -----------------------------------------------------------------------------


@dataclass
class Scenario:
    unit_a: Unit
    year_a: UnitYear
    year_b: UnitYear
    users: dict
    indicator_pk: int
    batch_pk: int
    project_pk: int


@pytest.fixture
def scenario(db, settings, tmp_path, monkeypatch) -> Scenario:
    """Unit A with every persona, unit B with its own officer; A's year has a small indicator
    table and an evaluation group (the lead and a plain member, both evaluators of A), and the
    leader has started a batch for 2024 whose one item failed."""
    from reports import pdf as pdf_module

    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Rendering a PDF (about a second) says nothing about permissions: a stand-in answers.
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html, **kwargs: b"%PDF-1.7\n%%EOF\n")
    cache.clear()

    unit_a = Unit.objects.create(code="A001", name="甲单位", region="甲县")
    unit_b = Unit.objects.create(code="B001", name="乙单位", region="乙县")
    year_a = UnitYear.objects.create(unit=unit_a, year=YEAR, contact_name="张三")
    year_b = UnitYear.objects.create(unit=unit_b, year=YEAR, contact_name="李四")
    users = {
        "anonymous": None,
        "officer_a": make_user("officer_a", role=Role.OFFICER, unit=unit_a),
        "officer_b": make_user("officer_b", role=Role.OFFICER, unit=unit_b),
        "evaluator": make_user("evaluator_a", role=Role.EVALUATOR, unit=unit_a),
        "group_lead": make_user("lead_a", role=Role.EVALUATOR, unit=unit_a),
        "leader_a": make_user("leader_a", role=Role.LEADER, unit=unit_a),
        "admin": make_user("admin_x", role=Role.ADMIN, is_staff=True),
    }
    indicators = build_table(year_a)
    indicator_services.evaluation_group_name(
        unit_year=year_a,
        user=users["leader_a"],
        members=[users["evaluator"], users["group_lead"]],
        lead=users["group_lead"],
    )
    job = BatchJob.objects.create(year=YEAR, requested_by=users["leader_a"], status=BatchStatus.DONE)
    BatchItem.objects.create(job=job, unit_year=year_a, status=ItemStatus.FAILED, attempts=1, error="模拟的渲染故障")
    BatchJob.objects.filter(pk=job.pk).update(finished_at=job.created_at)
    project = ProjectLine.objects.create(unit_year=year_a, order=1, name="专项经费", full_year_budget=10, actual=9)
    return Scenario(unit_a, year_a, year_b, users, indicators[0].pk, job.pk, project.pk)


def scenario_in_status(scenario: Scenario, status: str) -> None:
    """Put A's year in ``status`` (scoring under way from evaluation on, as the flow leaves it)."""
    UnitYear.objects.filter(pk=scenario.year_a.pk).update(status=status)
    if status in (E, F):
        indicator_services.year_scoring_start(unit_year=scenario.year_a)


def url_kwargs(name: str, pattern: Pattern, scenario: Scenario) -> dict:
    values = {"unit_code": scenario.unit_a.code, "year": YEAR, "direction": "up", "kind": next(iter(CHARTS))}
    kwargs = {}
    for arg in pattern.converters:
        if arg == "pk":
            assert name in PK_OF, f"say in PK_OF what the pk of {name!r} names"
            kwargs[arg] = {
                "indicator": scenario.indicator_pk,
                "batch": scenario.batch_pk,
                "project": scenario.project_pk,
            }[PK_OF[name]]
        else:
            assert arg in values, f"no value for the URL argument {arg!r} of {name!r}: add it to url_kwargs"
            kwargs[arg] = values[arg]
    return kwargs


def _tables() -> dict[str, str]:
    """{model label: table} for every table of the project's models (many-to-many ones too)."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in tables.values():
            tables[model._meta.label] = model._meta.db_table
    return tables


def fingerprint(scenario: Scenario) -> dict:
    """What any write would change: the row count of every table (one query for all), and the
    unit-years' version, status and last change."""
    tables = _tables()
    # Table names come from the models, quoted: nothing from outside reaches this SQL.
    counts_sql = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables.values())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts_sql}")
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    years = list(UnitYear.objects.order_by("pk").values_list("pk", "version", "status", "updated_at"))
    return {"counts": counts, "years": years}


def diff(before: dict, after: dict) -> list[str]:
    changed = [
        f"{k}: {before['counts'][k]} → {after['counts'][k]}"
        for k in before["counts"]
        if before["counts"][k] != after["counts"][k]
    ]
    if before["years"] != after["years"]:
        changed.append(f"unit-years {before['years']} → {after['years']}")
    return changed


def outcome(response) -> int | str:
    """The response as the matrix writes it."""
    if response.status_code != 302:
        return response.status_code
    to_login = response["Location"].startswith(reverse("login"))
    return LOGIN if to_login else DONE


def matches(expected, got: int | str) -> bool:
    if expected == LOGGED_OUT:
        return got == LOGIN
    if isinstance(expected, frozenset):
        return got in expected
    return got == expected


def clients(scenario: Scenario) -> dict[str, Client]:
    out = {}
    for persona in PERSONAS:
        client = Client()
        user = scenario.users[persona]
        if user is not None:
            client.force_login(user)
        out[persona] = client
    return out


# -- the tests ----------------------------------------------------------------------------------


def test_every_pattern_has_a_row_and_every_row_a_pattern():
    check_rows(PATTERNS, MATRIX)


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_matrix(scenario, pattern):
    name = pattern.name
    assert name in MATRIX, f"no row in MATRIX for the URL {name!r} ({pattern.route}): say who may use it"
    row = MATRIX[name]
    scenario_in_status(scenario, row.status)
    url = reverse(name, kwargs=url_kwargs(name, pattern, scenario))
    by_persona = clients(scenario)
    failures = []
    for method, expectations in (("GET", row.get), ("POST", row.post)):
        for persona, expected in zip(PERSONAS, expectations, strict=True):
            client = by_persona[persona]
            # Each request runs in a savepoint rolled back after it: an allowed POST (a flow
            # step, a save) leaves the scenario as it was for the next persona.
            with transaction.atomic():
                before = fingerprint(scenario)
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, POST_DATA.get(name, {}))
                after = fingerprint(scenario)
                transaction.set_rollback(True)
            got = outcome(response)
            if not matches(expected, got):
                failures.append(f"{method} as {persona}: expected {expected}, got {got}")
            refused = got in REFUSALS and expected != LOGGED_OUT
            if (method == "GET" or refused) and (changes := diff(before, after)):
                failures.append(f"{method} as {persona} ({got}) wrote: {'; '.join(changes)}")
    note = f"\n  (row note: {row.why})" if row.why else ""
    assert not failures, f"{name} ({url}, year {row.status}):\n  " + "\n  ".join(failures) + note


def test_a_pattern_without_a_row_fails():
    """The guard: an extra URL (here inside a namespaced include, as an app would add it) without
    a row fails the check, naming it; so does a row left behind by a removed URL."""
    from django.urls import include, path

    def view(request):  # pragma: no cover - never requested
        raise AssertionError

    extra = path("extra/", include(([path("new/<int:pk>/", view, name="brand_new")], "extra")))
    resolver = URLResolver(get_resolver().pattern, [*get_resolver().url_patterns, extra])
    patterns = project_patterns(resolver)
    assert [p.name for p in patterns if p.name.startswith("extra:")] == ["extra:brand_new"]
    with pytest.raises(AssertionError, match=r"without a row.*'extra:brand_new' \(extra/new/<int:pk>/\)"):
        check_rows(patterns, MATRIX)

    check_rows(patterns, {**MATRIX, "extra:brand_new": MATRIX["flow:home"]})  # with its row: fine
    with pytest.raises(AssertionError, match=r"no longer exist: \['flow:gone'\]"):
        check_rows(PATTERNS, {**MATRIX, "flow:gone": MATRIX["flow:home"]})


def test_the_walk_reaches_every_app_and_skips_only_the_admin_and_the_favicon():
    routes = {p.route for p in PATTERNS}
    assert not any(route.startswith("admin/") for route in routes)
    assert "favicon.ico" not in routes
    namespaces = {p.name.split(":")[0] for p in PATTERNS if ":" in p.name}
    assert namespaces == {"departments", "budgets", "indicators", "flow", "overview", "reports"}
    assert {"login", "logout"} <= {p.name for p in PATTERNS}


def test_the_fingerprint_sees_a_write(scenario):
    """The "nothing written" check can fail: an accepted step changes the fingerprint (a new
    status record, the year's status and version), and so does a change of one text alone."""
    before = fingerprint(scenario)
    response = clients(scenario)["officer_a"].post(reverse("flow:submit", args=[scenario.unit_a.code, YEAR]))
    assert outcome(response) == DONE
    changes = diff(before, fingerprint(scenario))
    assert any(change.startswith("flow.StatusChange: 0 → 1") for change in changes), changes
    assert any(change.startswith("unit-years") for change in changes), changes

    before = fingerprint(scenario)
    UnitYear.objects.filter(pk=scenario.year_b.pk).update(contact_name="王五", updated_at=timezone.now())
    assert diff(before, fingerprint(scenario)) != []
