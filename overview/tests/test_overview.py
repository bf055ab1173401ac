"""全部单位总览 (the finance bureau's overview), its Excel export and a unit's years side by side:
permissions, filters, sorting, paging, page = spreadsheet, pinned query counts, charts."""

from __future__ import annotations

import base64
import re
from decimal import Decimal as D
from html.parser import HTMLParser
from io import BytesIO

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from openpyxl import load_workbook

from departments.models import Unit, YearStatus
from overview.models import YearSummary
from overview.rows import cell_text
from overview.selectors import COLUMNS, PAGE_SIZE
from overview.summaries import year_summaries_refresh

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("overview:index")
EXPORT = reverse("overview:export")
LABELS = [c.label for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


class RowParser(HTMLParser):
    """The text of each cell of the overview's rows (``<tr data-testid="overview-row">``)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.headers: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._th: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("data-testid") == "overview-row":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "th":
            self._th = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "th" and self._th is not None:
            self.headers.append("".join(self._th).replace("▲", "").replace("▼", "").strip())
            self._th = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._th is not None:
            self._th.append(data)


def page_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    parser = RowParser()
    parser.feed(response.content.decode())
    return parser.rows


def all_page_rows(client, params: dict) -> list[list[str]]:
    rows, number = [], 1
    while True:
        response = client.get(OVERVIEW, {**params, "page": number})
        rows += page_rows(response)
        if not response.context["page"].has_next():
            return rows
        number += 1


def column(rows, key: str) -> list[str]:
    return [row[KEYS.index(key)] for row in rows]


def as_number(text: str) -> D | None:
    return None if text == "—" else D(text.replace(",", "").rstrip("%"))


@pytest.fixture
def ac(client, admin_user):
    client.force_login(admin_user)
    return client


# ---------------------------------------------------------------- who may see it


def url_list(code: str) -> list[str]:
    return [
        OVERVIEW,
        EXPORT,
        reverse("overview:unit", args=[code]),
        reverse("overview:unit_chart", args=[code, "score"]),
        reverse("overview:unit_chart", args=[code, "rate"]),
        reverse("overview:unit_chart", args=[code, "spending"]),
    ]


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("anonymous", 302),  # to the sign-in page
        ("officer_a", 403),  # a unit's own officer sees none of it, not even their own unit's page
        ("officer_b", 403),
        ("evaluator_a", 403),
        ("leader_a", 403),
        ("admin", 200),
    ],
)
def test_permission_matrix(client, personas, year_a, year_b, persona, expected):
    year_summaries_refresh(unit_year_ids=[year_a.pk, year_b.pk])
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    for url in url_list(year_a.unit.code):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith(reverse("login"))
        if expected == 403:
            assert "甲单位" not in response.content.decode()


def test_navbar_links_the_overview_for_administrators_only(client, personas, year_a):
    client.force_login(personas["admin"])
    assert 'data-testid="nav-overview"' in client.get(reverse("flow:home")).content.decode()
    client.force_login(personas["officer_a"])
    assert 'data-testid="nav-overview"' not in client.get(reverse("flow:home")).content.decode()


def test_unknown_unit_and_chart_are_404(ac, year_a):
    assert ac.get(reverse("overview:unit", args=["NOPE"])).status_code == 404
    assert ac.get(reverse("overview:unit_chart", args=[year_a.unit.code, "pie"])).status_code == 404


# ---------------------------------------------------------------- what it shows


def test_every_unit_year_with_its_figures(ac, units):
    unit_years = units(4)
    response = ac.get(OVERVIEW, {"sort": "code"})
    rows = page_rows(response)
    assert len(rows) == len(unit_years) == 8
    parser = RowParser()
    parser.feed(response.content.decode())
    assert parser.headers == LABELS
    # U0000's 2024 year: spending 100.00 budget / 67.00 actual (k=1), 三公 1.50 vs 4.00 last year.
    row = next(r for r in rows if r[0] == "U0000" and r[4] == "2024")
    summary = YearSummary.objects.get(unit_year__unit__code="U0000", year=2024)
    assert row[KEYS.index("rate")] == "67.00%" == f"{summary.execution_rate}%"
    assert row[KEYS.index("tp_change")] == "-2.50"
    assert row[KEYS.index("tp_percent")] == "-62.50%"
    assert row[KEYS.index("score")] == f"{summary.total_score:.2f}"
    assert row[KEYS.index("grade")] == summary.grade != ""
    assert row[KEYS.index("region")] == "东区"
    assert row[KEYS.index("parent")] == "主管局1"


@pytest.mark.parametrize(
    "params,predicate",
    [
        ({"year": "2023"}, lambda s: s.year == 2023),
        ({"region": "西区"}, lambda s: s.unit_year.unit.region == "西区"),
        ({"parent": "UP1"}, lambda s: s.unit_year.unit.parent.code == "UP1"),
        ({"status": "finalised"}, lambda s: s.status == YearStatus.FINALISED),
        ({"grade": "中"}, lambda s: s.grade == "中"),
        ({"grade": "none"}, lambda s: s.grade == ""),
        (
            {"year": "2024", "region": "西区", "status": "draft"},
            lambda s: (s.year, s.unit_year.unit.region, s.status) == (2024, "西区", "draft"),
        ),
    ],
)
def test_filters(ac, units, params, predicate):
    units(12)
    YearSummary.objects.filter(unit_year__unit__code="U0003", year=2024).update(grade="")  # one year not graded
    expected = {
        (s.unit_year.unit.code, str(s.year))
        for s in YearSummary.objects.select_related("unit_year__unit__parent")
        if predicate(s)
    }
    assert expected, "the fixture must have rows for this filter"
    rows = all_page_rows(ac, params)
    assert {(r[0], r[4]) for r in rows} == expected
    assert len(rows) == len(expected)


def test_invalid_filter_values_are_ignored(ac, units):
    units(3)
    rows = page_rows(ac.get(OVERVIEW, {"year": "abc", "status": "nonsense", "sort": "bogus"}))
    assert len(rows) == 6
    assert column(rows, "code") == sorted(column(rows, "code"))


@pytest.mark.parametrize("key", ["score", "rate", "tp_change", "tp_percent", "findings", "year"])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_numeric_columns(ac, units, key, descending):
    units(10)
    YearSummary.objects.filter(unit_year__unit__code="U0002").update(execution_rate=None, total_score=None)
    rows = all_page_rows(ac, {"sort": ("-" if descending else "") + key})
    values = [as_number(v) for v in column(rows, key)]
    stated = [v for v in values if v is not None]
    assert stated == sorted(stated, reverse=descending)
    # Blanks go last in both directions.
    assert values == stated + [None] * (len(values) - len(stated))


def test_sort_text_status_and_grade(ac, units):
    units(6)
    names = column(all_page_rows(ac, {"sort": "-name"}), "name")
    assert names == sorted(names, reverse=True)
    status_order = [label for _, label in YearStatus.choices]
    statuses = column(all_page_rows(ac, {"sort": "status"}), "status")
    assert [status_order.index(s) for s in statuses] == sorted(status_order.index(s) for s in statuses)
    grades = column(all_page_rows(ac, {"sort": "grade"}), "grade")
    ranks = ["优", "良", "中", "差", "—"]
    assert [ranks.index(g) for g in grades] == sorted(ranks.index(g) for g in grades)


def test_sort_links_toggle_and_keep_the_filters(ac, units):
    units(2)
    html = ac.get(OVERVIEW, {"region": "东区", "sort": "score"}).content.decode()
    assert 'href="?region=%E4%B8%9C%E5%8C%BA&amp;sort=-score"' in html  # clicking 总分 again: descending
    assert 'href="?region=%E4%B8%9C%E5%8C%BA&amp;sort=rate"' in html


def test_pagination_fifty_per_page_without_gaps(ac, units):
    units(30)  # 60 unit-years
    first = ac.get(OVERVIEW, {"sort": "-rate"})
    assert len(page_rows(first)) == PAGE_SIZE
    assert "第 1 / 2 页" in first.content.decode()
    second = page_rows(ac.get(OVERVIEW, {"sort": "-rate", "page": 2}))
    assert len(second) == 10
    keys = [(r[0], r[4]) for r in page_rows(first) + second]
    assert len(set(keys)) == 60


def test_rows_per_page_can_be_chosen_and_is_kept_while_paging(ac, units):
    units(15)  # 30 unit-years
    response = ac.get(OVERVIEW, {"per_page": "20", "sort": "code"})
    assert len(page_rows(response)) == 20
    html = response.content.decode()
    assert "第 1 / 2 页" in html
    assert "per_page=20" in html  # the next-page link keeps the choice
    assert len(page_rows(ac.get(OVERVIEW, {"per_page": "20", "page": 2}))) == 10
    assert len(page_rows(ac.get(OVERVIEW, {"per_page": "7"}))) == 30  # not offered: the default 50


# ---------------------------------------------------------------- the Excel file = the page


def workbook_rows(response) -> tuple[list, list[list]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return values[0], values[1:]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-score"},
        {"year": "2024", "sort": "rate"},
        {"region": "西区", "status": "evaluating", "sort": "-tp_percent"},
        {"grade": "中", "sort": "findings"},
        {"parent": "UP2", "sort": "-tp_change"},
    ],
)
def test_export_equals_the_page_row_for_row(ac, units, params):
    units(30)
    page = all_page_rows(ac, params)
    header, sheet = workbook_rows(ac.get(EXPORT, params))
    assert header == tuple(LABELS) or list(header) == LABELS
    assert len(sheet) == len(page) > 0
    for page_row, sheet_row in zip(page, sheet, strict=True):
        # Each spreadsheet value, shown the way the page shows it, is the page's cell.
        # (a spreadsheet number comes back as a float: read it as the decimal it shows)
        values = ["" if v is None else D(repr(v)) if isinstance(v, float) else v for v in sheet_row]
        shown = [cell_text(v, c.kind) for c, v in zip(COLUMNS, values, strict=True)]
        assert shown == page_row


def test_export_money_and_percent_are_numbers(ac, units):
    units(1)
    _, sheet = workbook_rows(ac.get(EXPORT, {"sort": "code"}))
    ws = load_workbook(BytesIO(b"".join(ac.get(EXPORT).streaming_content))).active
    change = ws.cell(row=2, column=KEYS.index("tp_change") + 1)
    assert isinstance(change.value, float | int)
    assert change.number_format == "0.00"
    assert ws.cell(row=2, column=KEYS.index("rate") + 1).number_format == '0.00"%"'


def test_export_text_cannot_become_a_formula(ac, units):
    units(1)
    Unit.objects.filter(code="U0000").update(name='=HYPERLINK("http://x")')
    content = b"".join(ac.get(EXPORT).streaming_content)
    ws = load_workbook(BytesIO(content)).active
    assert ws.cell(row=2, column=KEYS.index("name") + 1).value == '=HYPERLINK("http://x")'
    cell = ws.cell(row=2, column=KEYS.index("name") + 1)
    assert cell.data_type == "s" and cell.quotePrefix


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("count", [3, 30])
def test_overview_query_count_does_not_grow(ac, units, django_assert_num_queries, count):
    units(count)
    # session, user, is_admin (membership), filter choices: years, regions, parent units;
    # COUNT for the paginator, the page's keys (sorted alone), the page's rows (summaries joined
    # with unit-year, unit, parent), the counts by status (one GROUP BY).
    with django_assert_num_queries(10):
        response = ac.get(OVERVIEW, {"region": "东区", "sort": "-score"})
    expected = YearSummary.objects.filter(unit_year__unit__region="东区").count()
    assert len(page_rows(response)) == min(expected, PAGE_SIZE) > 0


@pytest.mark.parametrize("count", [3, 30])
def test_export_query_count_does_not_grow(ac, units, django_assert_num_queries, count):
    units(count)
    # session, user, is_admin, filter choices (years, regions, parents), every matching row.
    with django_assert_num_queries(7):
        _, sheet = workbook_rows(ac.get(EXPORT, {"sort": "rate"}))
    assert len(sheet) == 2 * count


@pytest.mark.parametrize("years", [(2024,), (2021, 2022, 2023, 2024)])
def test_unit_page_and_chart_query_counts_do_not_grow(ac, units, django_assert_num_queries, years):
    units(3, years=years)
    url = reverse("overview:unit", args=["U0001"])
    # The page and its three charts (drawn into it): session, user, is_admin, the unit (with its
    # parent), its years' summaries (the read model, with the unit-years).
    with django_assert_num_queries(5):
        response = ac.get(url)
    assert response.content.decode().count("年度</a></th>") == len(years)
    assert response.content.decode().count('src="data:image/svg+xml;base64,') == 3
    # A chart on its own: the same.
    with django_assert_num_queries(5):
        ac.get(reverse("overview:unit_chart", args=["U0001", "spending"]))


# ---------------------------------------------------------------- the unit page and its charts


def test_unit_page_shows_years_side_by_side(ac, units):
    units(2, years=(2022, 2023, 2024))
    html = ac.get(reverse("overview:unit", args=["U0001"])).content.decode()
    assert html.index("2022年度") < html.index("2023年度") < html.index("2024年度")
    for summary in YearSummary.objects.filter(unit_year__unit__code="U0001"):
        assert f"{summary.execution_rate}%" in html
        assert f"{summary.total_score:.2f}" in html
    # Each chart is in the page: the SVG (the one its own URL serves) as a data: URI.
    uris = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*data-chart="(\w+)"', html)
    assert [kind for _uri, kind in uris] == ["score", "rate", "spending"]
    for uri, kind in uris:
        root = ElementTree.fromstring(base64.b64decode(uri))
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert {"2022年", "2023年", "2024年"} <= set(texts)
        assert not any(el.tag.endswith("script") for el in root.iter())
        assert f'data-href="{reverse("overview:unit_chart", args=["U0001", kind])}"' in html


@pytest.mark.parametrize("kind", ["score", "rate", "spending"])
def test_charts_are_svg_with_the_years_and_no_script(ac, units, kind):
    units(1, years=(2023, 2024))
    response = ac.get(reverse("overview:unit_chart", args=["U0000", kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "script-src 'none'" in response["Content-Security-Policy"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "2023年" in texts and "2024年" in texts
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert b"http://" not in response.content.replace(b"http://www.w3.org", b"").replace(
        b"http://pygal.org", b""
    ).replace(b"http://github.com/Kozea/pygal", b"")  # nothing fetched from elsewhere
    if kind == "rate":
        rates = {f"{s.execution_rate:.2f}" for s in YearSummary.objects.filter(unit_year__unit__code="U0000")}
        assert rates <= set(texts)


def test_export_is_streamed(ac, units):
    units(2)
    response = ac.get(EXPORT)
    assert response.streaming  # written row by row, sent in chunks: no whole file in a response body
    assert response["Content-Disposition"].startswith("attachment")
    _, sheet = workbook_rows(response)
    assert len(sheet) == 4


def test_overview_search_by_unit_name_or_code_and_counts_by_status(ac, units):
    units(3)
    unit = Unit.objects.order_by("code").first()
    html = ac.get(OVERVIEW, {"q": unit.name}).content.decode()
    assert (
        len(page_rows(ac.get(OVERVIEW, {"q": unit.name})))
        == YearSummary.objects.filter(unit_year__unit__name__icontains=unit.name).count()
    )
    assert 'data-testid="overview-status-counts"' in html
    by_code = page_rows(ac.get(OVERVIEW, {"q": unit.code}))
    assert by_code and len(by_code) == YearSummary.objects.filter(unit_year__unit__code__icontains=unit.code).count()
    assert page_rows(ac.get(OVERVIEW, {"q": "没有这个单位"})) == []
