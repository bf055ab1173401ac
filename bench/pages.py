"""Page benchmark: every page and export, in one process, at 10 and at 1,000 units.

    .venv/bin/python bench/pages.py [--small 10] [--large 1000] [--repeats 20]

Production settings (DEBUG off, cached template loaders, sessions through the cache), a
locmem cache (Redis when REDIS_URL is set) and a throwaway SQLite database (PostgreSQL when
DATABASE_URL is set — the database is migrated and filled, so give it an empty one). The data
come from ``bench/scale.py``'s generator (3 years × 40 indicators per unit). For every URL
name of the app the arguments are filled with the focus unit U00000 (2023 a draft, 2024 being
scored), and each page is fetched by the first of admin / officer / evaluator that gets a 200.
For each page it prints the CPU ms per request (``time.thread_time`` — the request's thread
only, not the background pre-render a save schedules — over ``--repeats``
requests after two warm-up requests), the number of queries, and the ratio to a logged-in
50-row page with one query (a tiny view registered only here) measured in the same run;
then the issue's goals next to the measured ratios. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BASELINE = "— 50-row page (baseline)"
FOCUS = "U00000"
# URL names whose pages only answer POST: measured as what a GET costs would be meaningless.
POST_ONLY_STATUS = 405

# Goals of issue 14 as (pages, limit of the ratio to the 50-row page).
FORM_PAGES = ("budgets:figures", "departments:profile", "indicators:scoring")
EDITOR_PAGES = ("indicators:table",)
PRERENDER_DELAY = 0.5  # seconds after a change before the report is pre-rendered (bench only)
SETTLED_DOWNLOADS = 10
ONLY = ""  # --only: a regular expression of the URL names to measure (while working on a page)
LIST_PAGES = ("flow:home", "reports:index", "overview:index", "overview:export", "flow:history")
# Files made on request: the overview export writes every matching row by design (streamed), the
# two workbooks are written from the year's figures. Measured, without a page's ratio goal (the
# Excel goal is the styles' share below).
EXPORTS = ("overview:export", "budgets:excel_download", "indicators:projects_xlsx")
SELF_EVAL_WRITTEN = "自评表 workbook written"
HISTORY_RECORDS = 5000  # 修改记录 at this many records of one year against its ten (goal ≤ 1.5×)
HISTORY_GROWN = f"flow:history ({HISTORY_RECORDS:,} records)"


def configure(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["AXES_ENABLED"] = "0"
    os.environ["PERFEVAL_VAR_DIR"] = str(tmp)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    import django
    from django.conf import settings

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the POST-only pages' 405s
    if not os.environ.get("REDIS_URL"):
        # production.py falls back to the database cache for several workers; one process here.
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Static files from the finders: nothing collected, same {% static %} cost as the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ROOT_URLCONF = bench_urlconf()
    settings.REPORTS_PRERENDER = "thread"
    settings.REPORTS_PRERENDER_DELAY = PRERENDER_DELAY


def rows_view(request):
    """The baseline: a logged-in page of 50 rows of three columns from one query, in the app's
    layout — 50 at either size: indicators (40 a year), not units (15 at 10 units), read as the
    three values shown (no model instance: lighter than a row of units, so the ratios are if
    anything stricter)."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    from indicators.models import Indicator

    @login_required
    def view(request):
        rows = Indicator.objects.order_by("pk").values("pk", "name", "target_unit")[:50]
        return render(request, "bench_rows.html", {"rows": list(rows)})

    return view(request)


def bench_urlconf() -> str:
    from django.urls import path

    import perfeval.urls

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("__bench__/rows/", rows_view, name="bench_rows"), *perfeval.urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


BENCH_ROWS_TEMPLATE = """{% extends "base.html" %}{% block content %}
<table class="table table-sm"><thead><tr><th>序号</th><th>三级指标</th><th>计量单位</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.pk }}</td><td><a href="#{{ row.pk }}">{{ row.name }}</a></td>
<td>{{ row.target_unit }}</td></tr>{% endfor %}</tbody></table>{% endblock content %}"""


def install_rows_template(tmp: Path) -> None:
    from django.conf import settings

    folder = tmp / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "bench_rows.html").write_text(BENCH_ROWS_TEMPLATE, encoding="utf-8")
    settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], str(folder)]


# --- data ------------------------------------------------------------------------------------


def build(start: int, stop: int, people: dict | None) -> dict:
    import scale
    from django.core.management import call_command

    if start == 0:
        from departments.models import Unit

        Unit.objects.bulk_create(Unit(code=f"P{i:02d}", name=f"主管部门{i:02d}", region="益阳市") for i in range(5))
    scale.build_units(start, stop)
    if people is None:
        people = scale.build_people_and_focus()
        make_batch(people)
        make_history()
    call_command("refresh_year_summaries", verbosity=0)
    analyze()
    return people


def make_batch(people: dict) -> None:
    """A finished batch of three reports, so the batch pages have something to show."""
    from django.contrib.auth import get_user_model

    from reports.models import BatchJob

    admin = get_user_model().objects.get(username=people["admin"])
    BatchJob.objects.create(year=2024, requested_by=admin, status="finished")


def grow_history(total: int) -> None:
    """Bring the focus draft's history to ``total`` records, each a further change of its texts
    (written in bulk: saving 5,000 times through the model measures nothing more)."""
    from datetime import timedelta

    from departments.models import UnitYear

    draft = UnitYear.objects.get(unit__code=FOCUS, year=2023)
    Historical = UnitYear.history.model
    last = draft.history.order_by("-history_date", "-history_id").first()
    count = draft.history.count()
    base = {f.attname: getattr(last, f.attname) for f in Historical._meta.concrete_fields if f.attname != "history_id"}
    rows = [
        Historical(**{**base, "problems": f"问题第{n}稿", "history_date": last.history_date + timedelta(seconds=n)})
        for n in range(count, total)
    ]
    Historical.objects.bulk_create(rows, batch_size=500)
    analyze()


def analyze() -> None:
    """Bring the planner's statistics up to date after a bulk load, as PostgreSQL's autovacuum
    does by itself (SQLite's stay as the last ANALYZE left them: a table it believes holds ten
    rows is scanned rather than searched)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def make_history() -> None:
    """Ten saves of the focus draft's texts through the models: 修改记录 has records to show."""
    from departments.models import UnitYear

    draft = UnitYear.objects.get(unit__code=FOCUS, year=2023)
    for n in range(10):
        draft.problems = f"问题第{n}稿"
        draft.save()


# --- measuring -------------------------------------------------------------------------------


def url_candidates():
    """(name, [url, …]) for every URL name of the app, arguments filled for the focus unit."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    from reports.models import BatchJob

    batch = BatchJob.objects.order_by("pk").first()
    fills = {
        "unit_code": [FOCUS],
        "year": [2023, 2024],
        "pk": [batch.pk if batch else 1],
        "kind": None,  # filled per name below
    }

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or ""
                if ns == "admin":
                    continue
                yield from walk(pattern, f"{namespace}{ns}:" if ns else namespace)
            elif pattern.name:
                yield f"{namespace}{pattern.name}", pattern

    seen = {}
    for name, pattern in walk(get_resolver()):
        if name in seen or name in {"login", "logout", "bench_rows"}:
            continue
        params = list(pattern.pattern.converters) or _named_groups(pattern)
        if "kind" in params:
            from overview import charts

            kinds = list(charts.CHARTS)
            urls = [reverse(name, kwargs={"unit_code": FOCUS, "kind": kind}) for kind in kinds]
            for kind, url in zip(kinds, urls, strict=True):
                seen[f"{name}:{kind}"] = [url]
            continue
        combos: list[dict] = [{}]
        for param in params:
            combos = [{**c, param: value} for c in combos for value in fills.get(param) or []]
        urls = []
        for kwargs in combos:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(name, kwargs=kwargs))
        if urls:
            seen[name] = urls
    return seen


def _named_groups(pattern) -> list[str]:
    regex = getattr(pattern.pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def consume(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def settle(seconds: float = 600) -> None:
    """Wait until this process's background pre-render has nothing queued or running: a PDF
    rendered beside the requests being timed (after the data were built or changed) would slow
    them and the 50-row page unevenly."""
    from reports import prerender

    deadline = time.monotonic() + seconds
    while not prerender.idle() and time.monotonic() < deadline:
        time.sleep(0.05)


def _cpu_ms(client, url: str) -> float:
    t0 = time.thread_time()
    consume(client.get(url))
    return (time.thread_time() - t0) * 1000


def measure(client, url: str, repeats: int, baseline: tuple | None = None) -> dict:
    """CPU ms of ``url`` (median of ``repeats``) and its queries; with ``baseline`` (a client and
    the 50-row page's URL), that page's CPU ms measured in turn with it (``base_ms``): this
    machine's speed drifts by up to half within a run, so each ratio is taken between requests
    made side by side."""
    from django.db import connection

    settle()
    for _ in range(2):
        consume(client.get(url))
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        size = consume(client.get(url))
    times, base_times = [], []
    for _ in range(repeats):
        times.append(_cpu_ms(client, url))
        if baseline is not None:
            base_times.append(_cpu_ms(*baseline))
    row = {"ms": statistics.median(times), "queries": len(queries), "bytes": size}
    if base_times:
        row["base_ms"] = statistics.median(base_times)
    return row


def pick_client(clients: dict, urls: list[str]):
    """The first (user, url) whose GET answers 200; or the last status seen."""
    status = None
    for url in urls:
        for who, client in clients.items():
            response = client.get(url)
            consume(response)
            status = response.status_code
            if status == 200:
                return who, client, url, status
            if status == POST_ONLY_STATUS:
                return None, None, url, status
    return None, None, urls[-1], status


def measure_all(people: dict, repeats: int, grow: bool = False) -> dict[str, dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    clients = {}
    for role in ("admin", "officer", "evaluator"):
        client = Client()
        client.force_login(User.objects.get(username=people[role]))
        clients[role] = client
    baseline = (clients["admin"], "/__bench__/rows/")
    results = {BASELINE: {**measure(*baseline, repeats), "who": "admin", "url": ""}}
    for name, urls in url_candidates().items():
        if ONLY and not re.search(ONLY, name):
            continue
        who, client, url, status = pick_client(clients, urls)
        if client is None:
            results[name] = {"skip": f"GET → {status}", "url": url}
            continue
        n = max(3, repeats // 5) if url.endswith(".pdf") or url.endswith(".zip") else repeats
        results[name] = {**measure(client, url, n, baseline), "who": who, "url": url}
    if not ONLY or re.search(ONLY, "excel"):
        results.update(measure_excel(clients, repeats))
    if grow and "flow:history" in results and "ms" in results["flow:history"]:
        grow_history(HISTORY_RECORDS)
        history = results["flow:history"]
        results[HISTORY_GROWN] = {**history, **measure(clients[history["who"]], history["url"], repeats, baseline)}
    if not ONLY or re.search(ONLY, "pdf"):
        results.update(measure_pdf(clients, repeats))
    return results


def measure_excel(clients: dict, repeats: int) -> dict[str, dict]:
    """The Excel goal, in this run: each workbook written with cached cell styles and with every
    cell styled by assignment (as before ``perfeval.xlsx.CellStyles``). The 收支与项目 workbook is
    downloaded; the 自评表 is stored under the year's stamp once made, so its download is a cache
    read — it is measured as written (``reports.excel.workbook_bytes`` on the year's report data)."""
    from django.urls import reverse

    from perfeval.xlsx import CellStyles
    from reports import excel
    from reports.data import report_data, report_queryset

    data = report_data(report_queryset().get(unit__code=FOCUS, year=2024))
    out = {}
    suffix = " (styles assigned per cell)"
    CellStyles.cached = False
    try:
        out[f"budgets:excel_download{suffix}"] = {
            **measure(clients["officer"], reverse("budgets:excel_download", args=[FOCUS, 2023]), repeats),
            "who": "officer",
        }
    finally:
        CellStyles.cached = True
    # The 自评表 both ways in turn, so that the share compares writes made side by side.
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for n in range(repeats + 2):
            for cached in (True, False):
                CellStyles.cached = cached
                t0 = time.thread_time()
                excel.workbook_bytes(data)
                if n >= 2:  # two warm-ups
                    times[cached].append((time.thread_time() - t0) * 1000)
    finally:
        CellStyles.cached = True
    out[SELF_EVAL_WRITTEN] = {"ms": statistics.median(times[True]), "queries": 0}
    out[f"{SELF_EVAL_WRITTEN}{suffix}"] = {"ms": statistics.median(times[False]), "queries": 0}
    return out


def measure_pdf(clients: dict, repeats: int) -> dict[str, dict]:
    """Wall-clock ms (the user's wait): the report PDF rendered with an empty cache, and the PDF
    downloaded after a change to the year has settled (pre-rendered in the background)."""
    from django.core.cache import cache
    from django.urls import reverse

    url = reverse("reports:report_pdf", args=[FOCUS, 2024])
    client = clients["admin"]
    walls = []
    for _ in range(max(2, repeats // 10)):
        cache.clear()
        t0 = time.perf_counter()
        consume(client.get(url))
        walls.append((time.perf_counter() - t0) * 1000)
    out = {"reports:report_pdf (cache empty, wall ms)": {"ms": statistics.median(walls), "queries": 0}}
    settled = settled_downloads(client, url)
    out["reports:report_pdf (after a change has settled, p95 wall ms)"] = {
        "ms": statistics.quantiles(settled, n=20)[-1],
        "queries": 0,
    }
    return out


def settled_downloads(client, url: str) -> list[float]:
    """Change the year, wait until its report is pre-rendered, then time the download."""
    from departments.models import Duty, UnitYear
    from reports.services import report_cached_pdf

    unit_year = UnitYear.objects.get(unit__code=FOCUS, year=2024)
    duty = Duty.objects.filter(unit_year=unit_year).order_by("order").first()
    walls = []
    for n in range(SETTLED_DOWNLOADS):
        duty.text = f"职责（第{n}次修改）"
        duty.save()  # autocommit: the pre-render is scheduled at once, due after the delay
        deadline = time.monotonic() + 120
        while report_cached_pdf(unit_year=unit_year) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        t0 = time.perf_counter()
        consume(client.get(url))
        walls.append((time.perf_counter() - t0) * 1000)
    return walls


def cold_pdf(database_url: str, var_dir: Path) -> tuple[float, float]:
    """A fresh process on the same database and VAR_DIR (the font subsets prepared, as
    ``manage.py prepare_report_fonts`` does at deploy): (seconds from its start until the
    start-up warm-up is done, seconds of its first report PDF after that)."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run(
        [sys.executable, __file__, "--cold-pdf", str(var_dir)], env=env, check=True, capture_output=True, text=True
    ).stdout
    start_up, first = out.strip().splitlines()[-1].split()
    return float(start_up), float(first)


def cold_pdf_child(var_dir: Path) -> None:
    t0 = time.perf_counter()
    configure(var_dir)
    from departments.models import UnitYear
    from reports.data import report_queryset
    from reports.pdf import warm_up
    from reports.services import report_render_pdf

    warm_up()  # what the app's start-up thread does (REPORTS_WARM_FONTS)
    t1 = time.perf_counter()
    unit_year = report_queryset().get(pk=UnitYear.objects.get(unit__code=FOCUS, year=2024).pk)
    report_render_pdf(unit_year=unit_year, use_cache=False)
    print(f"{t1 - t0:.3f} {time.perf_counter() - t1:.3f}")


# --- report ----------------------------------------------------------------------------------


def print_table(table: dict[int, dict[str, dict]], small: int, large: int) -> None:
    base = {size: table[size][BASELINE]["ms"] for size in (small, large)}
    print()
    print(f"{'page':<44}{'CPU ms':>9}{'queries':>9}{'× 50-row':>10}   |{'CPU ms':>9}{'queries':>9}{'× 50-row':>10}")
    print(f"{'':<44}{f'— {small} units —':>28}   |{f'— {large} units —':>28}")
    for name in table[small]:
        cells = []
        for size in (small, large):
            row = table[size].get(name, {"skip": "—"})
            if "skip" in row:
                cells.append(f"{row['skip']:>28}")
            else:
                cells.append(f"{row['ms']:>9.1f}{row['queries']:>9}{row['ms'] / row.get('base_ms', base[size]):>9.1f}×")
        print(f"{name:<44}{cells[0]}   |{cells[1]}")


def print_goals(table: dict[int, dict[str, dict]], small: int, large: int) -> None:
    print("\nGoals of issue 14 (ratios measured in this run):")
    base = table[large][BASELINE]["ms"]

    small_base = table[small][BASELINE]["ms"]

    def ratio_of(row: dict, fallback: float = base) -> float:
        """The row's CPU ÷ the 50-row page's, measured side by side with it."""
        return float(row["ms"] / row.get("base_ms", fallback))

    for name, row in table[large].items():
        if name in (BASELINE, SELF_EVAL_WRITTEN) or "skip" in row or "(" in name:
            continue
        if name in EXPORTS:
            what = "streams every matching row" if name == "overview:export" else "a workbook made on request"
            print(f"  {name:<42} {row['ms']:6.1f} ms, {ratio_of(row):5.1f}× 50-row: {what} (no page goal)")
            continue
        limit = 5 if name in FORM_PAGES else 8 if name in EDITOR_PAGES else 4
        ratio = ratio_of(row)
        small_row = table[small].get(name, {})
        # Its cost at the large size ÷ at the small, each as a multiple of the 50-row page then.
        growth = ratio / ratio_of(small_row, small_base) if small_row.get("ms") else float("nan")
        line = f"  {name:<42} {ratio:6.1f}× 50-row (goal ≤ {limit}×) {'ok' if ratio <= limit else 'MISSED'}"
        if name in LIST_PAGES or name.startswith("overview:unit"):
            line += f"; {large}/{small} units {growth:4.2f}× (goal ≤ 1.2×) {'ok' if growth <= 1.2 else 'MISSED'}"
        print(line)
    for name in ("budgets:excel_download", SELF_EVAL_WRITTEN):
        before = table[large].get(f"{name} (styles assigned per cell)")
        after = table[large].get(name)
        if before and after and "ms" in after:
            share = after["ms"] / before["ms"]
            goal = " (no goal)"
            if name == SELF_EVAL_WRITTEN:
                goal = f" (goal ≤ 0.75) {'ok' if share <= 0.75 else 'MISSED'}"
            print(
                f"  {name:<42} {after['ms']:6.1f} ms with cached styles / {before['ms']:6.1f} ms assigned per cell"
                f" = {share:4.2f}{goal}"
            )
    grown, history = table[large].get(HISTORY_GROWN), table[large].get("flow:history")
    if grown and history:
        share = ratio_of(grown) / ratio_of(history)
        print(
            f"  {HISTORY_GROWN:<42} {ratio_of(grown):4.1f}× / {ratio_of(history):4.1f}× 50-row at 10 records"
            f" = {share:4.2f}× (goal ≤ 1.5×) {'ok' if share <= 1.5 else 'MISSED'}"
        )
    empty = table[large].get("reports:report_pdf (cache empty, wall ms)")
    if empty:
        print(f"  PDF rendered on request (warm process)     {empty['ms']:7.0f} ms (wall)")
    settled = table[large].get("reports:report_pdf (after a change has settled, p95 wall ms)")
    if settled:
        ok = "ok" if settled["ms"] <= 50 else "MISSED"
        print(f"  PDF download after a change has settled    {settled['ms']:7.1f} ms p95 (goal ≤ 50 ms) {ok}")
    cold = table.get("cold")
    if cold:
        start_up, first = cold  # type: ignore[misc]
        ok = "ok" if first <= 2 else "MISSED"
        print(f"  fresh process: start-up with warm-up       {start_up * 1000:7.0f} ms (fonts prepared at deploy)")
        print(f"  cold first PDF in a fresh process          {first * 1000:7.0f} ms (goal ≤ 2000 ms) {ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--only", default="", help="measure only URL names matching this regex")
    parser.add_argument("--cold-pdf", help=argparse.SUPPRESS)  # the child process: the VAR_DIR
    args = parser.parse_args()
    if args.cold_pdf:
        cold_pdf_child(Path(args.cold_pdf))
        return
    global ONLY
    ONLY = args.only
    tmp = Path(tempfile.mkdtemp(prefix="perfeval-pages-"))
    configure(tmp)
    install_rows_template(tmp)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    table: dict[int, dict[str, dict]] = {}
    people = None
    built = 0
    for size in (args.small, args.large) if args.large else (args.small,):
        t0 = time.perf_counter()
        people = build(built, size, people)
        built = size
        print(f"built {size} units in {time.perf_counter() - t0:.1f} s; measuring …", flush=True)
        table[size] = measure_all(people, args.repeats, grow=size == args.large)

    if not args.large:
        args.large = args.small
    elif not ONLY:
        table["cold"] = cold_pdf(os.environ["DATABASE_URL"], tmp)  # type: ignore[assignment]
    print_table(table, args.small, args.large)
    print_goals(table, args.small, args.large)


if __name__ == "__main__":
    main()
