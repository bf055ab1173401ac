"""Benchmark: the demo report's PDF — warm WeasyPrint (in-process) against warm headless
Chromium (Playwright driving /usr/bin/chromium) printing the same HTML, side by side in one
run, and the cached repeat download. A benchmark, not a test.

    .venv/bin/python bench/report_pdf.py [--runs 5]

Sets up Django itself with a throwaway SQLite database and the demo data (load_demo).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PERFEVAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def setup_django(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "perfeval.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["PERFEVAL_VAR_DIR"] = str(tmp)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--no-county", verbosity=0)


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per engine (median is printed)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as tmpdir:
        setup_django(Path(tmpdir))
        from django.core.cache import cache
        from playwright.sync_api import sync_playwright

        from demo.data import UNIT, YEAR
        from reports import pdf as pdf_engine
        from reports import services
        from reports.data import report_queryset

        unit_year = report_queryset().get(unit__code=UNIT["code"], year=YEAR)
        html = services.report_render_html(unit_year=unit_year)
        # Chromium gets the very same document with the same print stylesheet inlined.
        chromium_html = services.report_render_html(unit_year=unit_year, inline_css=True)

        # Warm both: WeasyPrint's stylesheet and fonts, Chromium's process and page.
        pdf_engine.warm_engine()
        pdf_engine.html_to_pdf(html)
        weasy_time, weasy_pdf = timed(lambda: pdf_engine.html_to_pdf(html), args.runs)

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def chromium_print() -> bytes:
                page.set_content(chromium_html, wait_until="load")
                return page.pdf(format="A4", prefer_css_page_size=True, print_background=True)

            chromium_print()
            chromium_time, chromium_pdf = timed(chromium_print, args.runs)
            browser.close()

        cache.clear()
        services.report_render_pdf(unit_year=unit_year)  # fills the cache
        cached_time, cached_pdf = timed(lambda: services.report_render_pdf(unit_year=unit_year), args.runs)
        assert cached_pdf == services.report_render_pdf(unit_year=unit_year)

        print(f"demo report: {pages(weasy_pdf)} pages (WeasyPrint), {pages(chromium_pdf)} pages (Chromium)")
        print(f"WeasyPrint warm (in-process):      {weasy_time:.3f} s  (median of {args.runs})")
        print(f"Chromium warm (Playwright print):  {chromium_time:.3f} s  (median of {args.runs})")
        print(f"ratio WeasyPrint / Chromium:       {weasy_time / chromium_time:.2f}")
        print(f"cached repeat download:            {cached_time * 1000:.1f} ms  (HTML render + cache hit)")


if __name__ == "__main__":
    main()
