"""Lists cost what they show: 我的工作, the leadership page and 修改记录 are paged in SQL, so their
query counts do not grow with the number of units, years or history records."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from departments.models import Duty, Role, UnitYear
from indicators.models import Indicator
from overview.tests.builders import build_units


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("boss", role=Role.ADMIN, first_name="", last_name=""))
    return client


def _rows(html: str, marker: str) -> int:
    body = html.split(marker, 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")


# ---------------------------------------------------------------- 我的工作 and the leadership page


@pytest.mark.parametrize("units", [10, 100])
def test_home_pages_fifty_newest_years_first_in_constant_queries(admin_client, django_assert_num_queries, units):
    build_units(units, years=(2023, 2024, 2025))
    # session, user, memberships (the access policy), count of visible years, the page's keys
    # (sorted alone), the page's years with unit, last editor and evaluation group — and, in the
    # same query, the user's seats on their evaluation groups (下一步 of a member or lead) and
    # the newest year of each unit (创建下一年度)
    with django_assert_num_queries(6):
        html = admin_client.get(reverse("flow:home")).content.decode()
    shown = min(50, units * 3)
    assert _rows(html, 'data-testid="home-table"') == shown
    assert "2025年度" in html
    if units * 3 > 50:
        assert f"第 1 / {-(-units * 3 // 50)} 页" in html
        assert "2023年度" not in html  # newest years first: 2023 is on a later page
        last = admin_client.get(reverse("flow:home"), {"page": 999}).content.decode()
        assert "2023年度" in last


@pytest.mark.parametrize("units", [10, 100])
def test_leadership_page_pages_in_constant_queries(admin_client, django_assert_num_queries, units):
    build_units(units, years=(2023, 2024, 2025))
    # session, user, memberships, count of visible years, the page's keys (sorted alone), the
    # page's years with unit and summary, years open to batch generation, the latest batches
    with django_assert_num_queries(8):
        html = admin_client.get(reverse("reports:index")).content.decode()
    assert _rows(html, 'data-testid="reports-table"') == min(50, units * 3)
    assert ("下一页" in html) == (units * 3 > 50)


def test_create_next_year_is_offered_on_the_newest_year_of_the_unit(admin_client):
    build_units(3, years=(2023, 2024))
    UnitYear.objects.update(status="finalised")
    html = admin_client.get(reverse("flow:home")).content.decode()
    assert html.count('data-testid="create-next-year"') == 3
    assert "创建2025年度" in html and "创建2024年度" not in html


# ---------------------------------------------------------------- 修改记录


def _save_duty_texts(unit_year: UnitYear, count: int) -> None:
    UnitYear.history.all().delete()  # only duty records: the same kinds on every page
    duty = Duty.objects.create(unit_year=unit_year, order=1, text="职责初稿")
    for n in range(count - 1):
        duty.text = f"职责第{n}稿"
        duty.save()


@pytest.mark.parametrize("records", [10, 500])
def test_history_pages_in_sql_in_constant_queries(admin_client, year_a, django_assert_num_queries, records):
    _save_duty_texts(year_a, records)
    url = reverse("flow:history", args=[year_a.unit.code, year_a.year])
    # session, user, memberships, unit-year + unit with the evaluation group seats (the tabs),
    # people who changed the year (the 修改人 filter), count of the union of the history tables
    # and flow steps, the page of (kind, id, date), the shown duty records with the version before
    with django_assert_num_queries(8):
        html = admin_client.get(url).content.decode()
    assert _rows(html, 'data-testid="history-table"') == min(50, records)
    assert f"<del>职责第{records - 3}稿</del> → 职责第{records - 2}稿" in html
    if records > 50:
        last = admin_client.get(url, {"page": 999}).content.decode()
        assert "新增" in last and "职责初稿" in last  # the oldest record, on the last page


def test_history_filters_by_kind_person_and_date(client, year_a, officer_a, admin_user):
    client.force_login(officer_a)
    url = reverse("flow:history", args=[year_a.unit.code, year_a.year])
    duty = Duty.objects.create(unit_year=year_a, order=1, text="职责甲")
    Indicator.objects.create(unit_year=year_a, order=1, tier1="output", tier2="quantity", name="会议次数")
    duty.history.update(history_user=officer_a)
    Indicator.history.update(history_user=admin_user, history_date=timezone.now() - timedelta(days=10))

    html = client.get(url, {"kind": "duty"}).content.decode()
    assert "职责 第1条" in html and "会议次数" not in html
    html = client.get(url, {"who": admin_user.pk}).content.decode()
    assert "会议次数" in html and "职责 第1条" not in html
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    html = client.get(url, {"since": since}).content.decode()
    assert "职责 第1条" in html and "会议次数" not in html
    html = client.get(url, {"since": "2030-01-02", "until": "2030-01-01"}).content.decode()
    assert "开始日期不能晚于结束日期。" in html
    html = client.get(url, {"kind": "duty", "until": "2000-01-01"}).content.decode()
    assert "没有符合筛选条件的记录" in html


def test_history_shows_yes_and_no(client, year_a, officer_a):
    client.force_login(officer_a)
    indicator = Indicator.objects.create(unit_year=year_a, order=1, tier1="output", tier2="quantity", name="会议次数")
    indicator.not_applicable = True
    indicator.save()
    html = client.get(reverse("flow:history", args=[year_a.unit.code, year_a.year])).content.decode()
    assert "<del>否</del> → 是" in html
    assert "False" not in html and "True" not in html


def test_history_reads_every_kind_on_its_page_in_one_query(client, demo_year, django_assert_num_queries):
    # Ten kinds of record on one page — money, choices, yes / no, texts, dates, a flow step
    # with its comment — each with the user who made it and its old value, still 8 queries:
    # session, user, memberships, unit-year + seats, people (the 修改人 filter), the count, the
    # page's keys, and every shown record with the version before it (one UNION of JSON rows).
    from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
    from departments.models import Organ
    from flow import services as flow
    from indicators.models import Goal
    from indicators.services import indicator_weights_default

    officer = make_user("hist_officer", role=Role.OFFICER, unit=demo_year.unit, first_name="历史", last_name="")
    client.force_login(officer)

    def change(obj, **values):
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = officer
        obj.save()

    change(SpendingLine.objects.get(unit_year=demo_year, kind="basic"), actual=D("1001.25"))
    change(IncomeLine.objects.filter(unit_year=demo_year).first(), full_year_budget=D("99.90"))
    change(ThreePublicLine.objects.filter(unit_year=demo_year).first(), actual=D("0.30"))
    change(ProjectLine.objects.filter(unit_year=demo_year).first(), name="改名的项目<b>")
    change(Indicator.objects.get(unit_year=demo_year, name="人大会议次数"), not_applicable=True)
    change(Goal.objects.filter(unit_year=demo_year).first(), text="新的绩效目标")
    change(Duty.objects.filter(unit_year=demo_year).first(), text="新的职责")
    change(Organ.objects.filter(unit_year=demo_year).first(), name="新的机构")
    change(UnitYear.objects.get(pk=demo_year.pk), problems="新的问题")
    indicator_weights_default(unit_year=demo_year)
    flow.year_submit(unit_year=UnitYear.objects.get(pk=demo_year.pk), user=officer, acknowledge_warnings=True)
    url = reverse("flow:history", args=[demo_year.unit.code, demo_year.year])
    client.get(url)
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    for text in (
        "支出 · 基本支出",
        "→ 1001.25</div>",
        "→ 99.90</div>",
        "→ 0.30</div>",
        "→ 改名的项目&lt;b&gt;</div>",
        "<del>否</del> → 是",
        "→ 新的绩效目标</div>",
        "→ 新的职责</div>",
        "→ 新的机构</div>",
        "→ 新的问题</div>",
        "<del>草稿</del> → 已送审",
    ):
        assert text in html, text
    assert html.count("<td>历史</td>") == 10  # the nine changes and the step, each by its maker
