"""One number format everywhere (issue 11, "What was seen" 6: "1,304.57" on one page and
"1304.57" on another): no figure of the demo is written with thousands separators — not in a
page's text, not in a workbook cell (its value or its number format, which is what Excel shows)
and not in the PDF's text. Every GET page of the year is walked, as the administrator (who sees
every tab), for the draft demo year (inputs) and the finalised one (read-only tables, report)."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from overview.charts import CHARTS

# 1,304.57 · 12,000 · 1,304 — ASCII digits grouped by commas (a Chinese list uses "、" or "，").
GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S)


def year_routes() -> list[tuple[str, str]]:
    """(namespace:name, route) of every pattern that takes exactly a unit code and a year."""

    def walk(resolver, prefix: str = "", ns: str | None = None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name and ns != "admin":
                yield f"{ns}:{p.name}" if ns else p.name, prefix + str(p.pattern)

    return [
        (name, route)
        for name, route in walk(get_resolver())
        if "<slug:unit_code>/<int:year>/" in route and route.count("<") == 2
    ]


def grouped_in(response) -> list[str]:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        found = []
        for ws in load_workbook(BytesIO(body)).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if "#,##" in (cell.number_format or ""):
                        found.append(f"{ws.title}!{cell.coordinate} number format {cell.number_format}")
                    if isinstance(cell.value, str):
                        found += GROUPED.findall(cell.value)
        return found
    if "pdf" in kind:
        return GROUPED.findall(pdf_text(body))
    if "html" in kind or "svg" in kind:
        return GROUPED.findall(TAGS.sub(" ", body.decode()))
    return []


def pdf_text(body: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def walk_year(client: Client, unit_year) -> dict[str, list[str]]:
    found, seen = {}, 0
    urls = [reverse(name, args=[unit_year.unit.code, unit_year.year]) for name, _ in year_routes()]
    urls += [
        reverse("flow:home"),
        reverse("flow:help"),
        reverse("overview:index"),
        reverse("overview:export"),
        reverse("overview:unit", args=[unit_year.unit.code]),
        reverse("reports:index"),
        *(reverse("overview:unit_chart", args=[unit_year.unit.code, kind]) for kind in CHARTS),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:  # a POST-only step (405) or a redirect
            continue
        seen += 1
        hits = grouped_in(response)
        if hits:
            found[url] = hits
    assert seen >= 15, f"only {seen} pages answered"
    return found


@pytest.fixture
def admin_client_(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_draft_demo_has_no_thousands_separators(admin_client_, demo_year):
    assert walk_year(admin_client_, demo_year) == {}
    page = admin_client_.get(reverse("budgets:figures", args=[demo_year.unit.code, demo_year.year])).content
    assert b'value="1304.57"' in page  # the figure is there, written plainly


def test_the_finalised_demo_has_no_thousands_separators(admin_client_, finalised_demo_year):
    assert walk_year(admin_client_, finalised_demo_year) == {}
    pdf = admin_client_.get(reverse("reports:report_pdf", args=[finalised_demo_year.unit.code, 2024]))
    assert "1304.57" in pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)


def test_the_pattern_finds_grouped_figures():
    assert GROUPED.findall("收入 1,304.57 万元，支出 12,000 万元") == ["1,304.57", "12,000"]
    assert GROUPED.findall("1304.57、2024,2025年、1,2,3、第1,30") == []
    assert Path("/usr/bin/pdftotext").exists()
