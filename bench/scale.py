"""Scale benchmark: 10 units against 1,000 units (× 3 years × 40 indicators) on PostgreSQL.

    .venv/bin/python bench/scale.py [--small 10] [--large 1000] [--duration 10] [--connections 8]

Builds the database (bulk inserts, then the overview's summaries), serves the app with gunicorn
(production settings), and measures with wrk — a second process, loopback only — p50/p95
latency and requests/s of the overview, a unit's 收支与项目 form, the scoring page and the
report HTML; then batch PDF throughput with 1 and 2 Celery workers (Redis broker). It prints
the figures at both sizes side by side. A benchmark, not a test: it changes nothing in the
project and uses its own database (perfeval_bench) and Redis database numbers.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal as D
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = "perfeval_bench"
PG = os.environ.get("BENCH_PG", "postgres://perfeval:perfeval@127.0.0.1:5432")
YEARS = (2022, 2023, 2024)
INDICATORS_PER_YEAR = 40
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway benchmark database


def bench_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "perfeval.settings.production",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "PERFEVAL_VAR_DIR": str(tmp),
        "AXES_ENABLED": "0",
        "GUNICORN_ACCESSLOG": "",
        "LOG_LEVEL": "WARNING",
    }


def recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    conn.close()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ------------------------------------------------------------------------------------


def build_units(start: int, stop: int) -> None:
    """Units ``start`` … ``stop - 1``, each with three years of figures, goals and 40 scored
    (earlier years) or weighted (this year) indicators. Bulk inserts: no history rows."""
    from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
    from departments.models import Duty, Unit, UnitYear, YearStatus
    from indicators.models import Goal, Indicator

    rng = random.Random(start)  # noqa: S311 - benchmark data
    regions = ["安化县", "桃江县", "南县", "沅江市", "赫山区"]
    parents = list(Unit.objects.filter(parent__isnull=True, code__startswith="P"))
    units = Unit.objects.bulk_create(
        Unit(code=f"U{i:05d}", name=f"测试单位{i:05d}", region=regions[i % 5], parent=parents[i % len(parents)])
        for i in range(start, stop)
    )
    years = []
    for unit in units:
        for year in YEARS:
            status = YearStatus.FINALISED if year < YEARS[-1] else rng.choice(list(YearStatus.values))
            years.append(
                UnitYear(
                    unit=unit,
                    year=year,
                    status=status,
                    headcount_authorized=40,
                    headcount_actual=rng.randint(30, 45),
                    contact_name="联系人",
                    contact_phone="13800000000",
                    function_summary="履行本单位法定职责",
                    problems="一是……\n二是……",
                    measures="一是……\n二是……",
                )
            )
    years = UnitYear.objects.bulk_create(years, batch_size=2000)

    duties, goals, income, spending, three, projects, indicators = [], [], [], [], [], [], []
    for uy in years:
        base = D(rng.randint(500, 2000))
        project = D(rng.randint(100, 400))
        total = base + project
        spent = (total * D(rng.randint(80, 100)) / 100).quantize(D("0.01"))
        duties += [Duty(unit_year=uy, order=i, text=f"职责{i}") for i in range(1, 6)]
        goals += [Goal(unit_year=uy, kind="annual", order=i, text=f"年度目标{i}") for i in range(1, 4)]
        income += [
            IncomeLine(unit_year=uy, source="appropriation", initial_budget=total, full_year_budget=total),
            IncomeLine(
                unit_year=uy, source="total", initial_budget=total, full_year_budget=total, previous_year=total - 10
            ),
        ]
        spending += [
            SpendingLine(unit_year=uy, kind="basic", full_year_budget=base),
            SpendingLine(unit_year=uy, kind="project", full_year_budget=project),
            SpendingLine(unit_year=uy, kind="total", full_year_budget=total, actual=spent, previous_year=total - 5),
        ]
        three += [
            ThreePublicLine(
                unit_year=uy, kind="reception", budget=D("10.00"), actual=D("9.50"), previous_year=D("11.00")
            ),
            ThreePublicLine(unit_year=uy, kind="vehicle", budget=D("5.00"), actual=D("4.00"), previous_year=D("4.00")),
        ]
        projects += [
            ProjectLine(unit_year=uy, order=i, name=f"项目{i}", initial_budget=project / 5, actual=project / 5)
            for i in range(1, 6)
        ]
        scored = uy.status == YearStatus.FINALISED
        # 25 output × 2 + 10 benefit × 3 + 5 satisfaction × 2 = 90 points in 40 indicators.
        layout = [("output", "quantity", D(2))] * 25 + [("benefit", "social", D(3))] * 10
        layout += [("satisfaction", "service_satisfaction", D(2))] * 5
        for order, (tier1, tier2, weight) in enumerate(layout, start=1):
            indicators.append(
                Indicator(
                    unit_year=uy,
                    fund_category="basic" if order <= 20 else "project",
                    order=order,
                    tier1=tier1,
                    tier2=tier2,
                    name=f"指标{order}",
                    target_kind="quantitative",
                    comparator="ge",
                    target_value=D(20),
                    target_unit="次",
                    actual_value=D(rng.randint(15, 25)) if scored else None,
                    weight=weight,
                    score=(weight * D(rng.randint(80, 100)) / 100).quantize(D("0.01")) if scored else None,
                )
            )
    for model, rows in (
        (Duty, duties),
        (Goal, goals),
        (IncomeLine, income),
        (SpendingLine, spending),
        (ThreePublicLine, three),
        (ProjectLine, projects),
        (Indicator, indicators),
    ):
        model.objects.bulk_create(rows, batch_size=5000)


def build_people_and_focus() -> dict[str, str]:
    """The admin, the officer and evaluator of unit U00000, whose 2024 year is scored online."""
    from django.contrib.auth import get_user_model

    from departments.models import Membership, Role, Unit, UnitYear, YearStatus
    from indicators.models import EvaluationGroup, RuleSet, YearScoring

    User = get_user_model()
    unit = Unit.objects.get(code="U00000")
    admin = User.objects.create_superuser("bench_admin", password=BENCH_PASSWORD)
    officer = User.objects.create_user("bench_officer", password=BENCH_PASSWORD)
    evaluator = User.objects.create_user("bench_evaluator", password=BENCH_PASSWORD)
    Membership.objects.create(user=admin, unit=None, role=Role.ADMIN)
    Membership.objects.create(user=officer, unit=unit, role=Role.OFFICER)
    Membership.objects.create(user=evaluator, unit=unit, role=Role.EVALUATOR)
    draft = UnitYear.objects.get(unit=unit, year=2023)
    UnitYear.objects.filter(pk=draft.pk).update(status=YearStatus.DRAFT)
    evaluating = UnitYear.objects.get(unit=unit, year=2024)
    UnitYear.objects.filter(pk=evaluating.pk).update(status=YearStatus.EVALUATING)
    rule_set = RuleSet.objects.default_or_national()
    YearScoring.objects.update_or_create(
        unit_year=evaluating, defaults={"rule_set": rule_set, "rules_snapshot": rule_set.snapshot()}
    )
    group = EvaluationGroup.objects.create(unit_year=evaluating, lead=evaluator, named_by=admin)
    group.members.set([evaluator])
    return {"admin": admin.username, "officer": officer.username, "evaluator": evaluator.username}


def refresh_summaries() -> None:
    """The overview's read model after bulk inserts, then fresh planner statistics (as a
    production database would have; autovacuum would otherwise run during the measurement)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("refresh_year_summaries", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def session_cookie(username: str) -> str:
    """A signed-in session for ``username``, created the way the login view creates one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- serving and measuring ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int = 3):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}

    def __enter__(self):
        self.proc = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "-c", "perfeval/gunicorn.conf.py", "perfeval.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.env["PERFEVAL_VAR_DIR"] + "/gunicorn.log", "w"),  # noqa: SIM115
            start_new_session=True,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/accounts/login/", timeout=2)  # noqa: S310
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.env['PERFEVAL_VAR_DIR']}/gunicorn.log")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def check_page(url: str, cookie: str, expect: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = response.read().decode()
        if response.status != 200 or expect not in body:
            raise RuntimeError(f"{url} did not show {expect!r} (status {response.status})")


def wrk(url: str, cookie: str, *, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {cookie}",
            "-s",
            str(ROOT / "bench" / "wrk_summary.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    requests, duration_us, p50, p95, errors = (float(x) for x in line.split()[1:])
    return {"p50": p50 / 1000, "p95": p95 / 1000, "rps": requests / (duration_us / 1e6), "errors": errors}


def measure_pages(env: dict[str, str], people: dict[str, str], args) -> dict[str, dict[str, float]]:
    from django.urls import reverse

    pages = {
        # 20 rows a page at both sizes (10 units have only 30 rows), so the page does the same work.
        "总览 overview": (people["admin"], reverse("overview:index") + "?per_page=20", "测试单位00000"),
        "收支与项目 form": (people["officer"], reverse("budgets:figures", args=["U00000", 2023]), "收支与项目"),
        "评分 scoring": (people["evaluator"], reverse("indicators:scoring", args=["U00000", 2024]), "指标1"),
        "报告 report HTML": (people["admin"], reverse("reports:report", args=["U00000", 2023]), "部门整体支出绩效"),
    }
    results = {}
    with Gunicorn(env, workers=args.workers) as server:
        base = f"http://127.0.0.1:{server.port}"
        for name, (user, path, expect) in pages.items():
            cookie = session_cookie(user)
            check_page(base + path, cookie, expect)
            results[name] = wrk(base + path, cookie, duration=args.duration, connections=args.connections)
    return results


def wait_for(job, timeout: float) -> None:
    from reports.models import BatchJob

    deadline = time.monotonic() + timeout
    while BatchJob.objects.filter(pk=job.pk, finished_at__isnull=True).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"batch {job.pk} did not finish in {timeout} s")
        time.sleep(0.2)


def measure_batch(env: dict[str, str], sample: int) -> dict[int, float]:
    """PDFs per second for ``sample`` unit-years (2023), with 1 and then 2 Celery workers.

    A leader of the first ``sample`` units starts the batch, as on the 自评报告 page."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from departments.models import Membership, Role, Unit
    from reports.batch import batch_start

    leader, created = get_user_model().objects.get_or_create(username="bench_leader")
    if created:
        Membership.objects.bulk_create(
            Membership(user=leader, unit=unit, role=Role.LEADER)
            for unit in Unit.objects.filter(code__startswith="U").order_by("code")[:sample]
        )
    results = {}
    for concurrency in (1, 2):
        worker = subprocess.Popen(
            [PY, "-m", "celery", "-A", "perfeval", "worker", f"--concurrency={concurrency}", "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            # Warm the worker children (fonts, first render) on another year, outside the timing.
            wait_for(batch_start(year=2022, user=leader), timeout=900)
            cache.clear()  # rendered PDFs are cached by content: measure real renders
            job = batch_start(year=2023, user=leader)
            begin = time.perf_counter()
            wait_for(job, timeout=1800)
            results[concurrency] = job.items.count() / (time.perf_counter() - begin)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (8–16)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--batch-sample", type=int, default=12, help="unit-years per batch throughput run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run([str(ROOT / "scripts" / "system-deps.sh"), "wrk"], check=True)

    tmp = Path(tempfile.mkdtemp(prefix="perfeval-bench-"))
    env = bench_env(tmp)
    recreate_database()
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    setup_django(env)
    from departments.models import Unit

    Unit.objects.bulk_create(Unit(code=f"P{i:02d}", name=f"主管部门{i:02d}", region="益阳市") for i in range(5))

    table: dict[int, dict] = {}
    built = 0
    for size in (args.small, args.large):
        t0 = time.perf_counter()
        build_units(built, size)
        if built == 0:
            people = build_people_and_focus()
        refresh_summaries()
        built = size
        print(
            f"built {size} units × {len(YEARS)} years × {INDICATORS_PER_YEAR} indicators in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        table[size] = {"pages": measure_pages(env, people, args), "batch": measure_batch(env, args.batch_sample)}

    small, large = args.small, args.large
    print()
    print(f"wrk: {args.connections} concurrent clients, {args.duration} s per page, gunicorn {args.workers} workers")
    print(f"{'page':<22}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>9}   |{'p50 ms':>10}{'p95 ms':>10}{'req/s':>9}")
    print(f"{'':<22}{f'— {small} units —':>29}   |{f'— {large} units —':>29}")
    for name in table[small]["pages"]:
        a, b = table[small]["pages"][name], table[large]["pages"][name]
        print(
            f"{name:<22}{a['p50']:>10.1f}{a['p95']:>10.1f}{a['rps']:>9.1f}   |"
            f"{b['p50']:>10.1f}{b['p95']:>10.1f}{b['rps']:>9.1f}"
            + ("   (errors!)" if a["errors"] or b["errors"] else "")
        )
    print(f"\nbatch PDF throughput ({args.batch_sample} reports, Celery + Redis):")
    for workers in (1, 2):
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: "
            f"{table[small]['batch'][workers]:6.2f} PDF/s at {small} units"
            f"   | {table[large]['batch'][workers]:6.2f} PDF/s at {large} units"
        )


if __name__ == "__main__":
    main()
