"""Issue 15 item 4: every write of a year's indicators claims the year's version, so a save from
a stale page is refused naming who saved in between and when, with the user's input kept."""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import make_user
from departments.models import Role, UnitYear, YearStatus
from indicators.models import EvaluationGroup, Indicator, LibraryIndicator
from indicators.tests.factories import build_table


def _table_url(year):
    return reverse("indicators:table", args=[year.unit.code, year.year])


def _page_version(client, year) -> int:
    """The hidden ``version`` of the editor as the officer's browser received it."""
    response = client.get(_table_url(year))
    assert response.status_code == 200
    return response.context["version"]


def _table_data(year, version: int, **targets: str) -> dict:
    """The editor's POST as the page sends it: every row, with ``targets`` typed over (by name)."""
    rows = list(Indicator.objects.filter(unit_year=year).ordered())
    data = {
        "version": version,
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(rows):
        data.update(
            {
                f"ind-{i}-id": r.pk,
                f"ind-{i}-fund_category": r.fund_category,
                f"ind-{i}-order": r.order,
                f"ind-{i}-tier1": r.tier1,
                f"ind-{i}-tier2": r.tier2,
                f"ind-{i}-name": r.name,
                f"ind-{i}-target": targets.get(r.name, r.target_display),
                f"ind-{i}-weight": r.weight,
                f"ind-{i}-grading_standard": r.grading_standard,
            }
        )
    return data


@pytest.fixture
def two_officers(year_a, officer_a):
    second = make_user("officer_a2", role=Role.OFFICER, unit=year_a.unit, first_name="乙财务")
    build_table(year_a)
    first, other = Client(), Client()
    first.force_login(officer_a)
    other.force_login(second)
    return first, other


def test_a_stale_second_save_is_refused_naming_who_and_when_and_keeps_the_input(year_a, two_officers):
    first, second = two_officers
    v1, v2 = _page_version(first, year_a), _page_version(second, year_a)  # both open the page
    assert v1 == v2

    response = first.post(_table_url(year_a), _table_data(year_a, v1, 会议次数="≥25次"))
    assert response.status_code == 302

    # The second officer edits a different row from the page opened before the first save.
    response = second.post(_table_url(year_a), _table_data(year_a, v2, 群众满意度="≥95%"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存未成功：甲财务 已于" in page and "修改了本年度的数据" in page
    assert "已保存" not in page
    assert 'value="≥95%"' in page  # what the second officer typed is still on the page

    targets = dict(Indicator.objects.filter(unit_year=year_a).values_list("name", "target_text"))
    shown = {i.name: i.target_display for i in Indicator.objects.filter(unit_year=year_a)}
    assert shown["会议次数"] == "≥25次"  # the first save survives
    assert shown["群众满意度"] == "≥90%"  # nothing of the second is written
    assert targets  # the table is still there

    # Having seen the message, the second officer saves again from the re-rendered page: it goes.
    again = response.context["version"]
    response = second.post(_table_url(year_a), _table_data(year_a, again, 群众满意度="≥95%"), follow=True)
    assert "已保存 1 个指标" in response.content.decode()
    shown = {i.name: i.target_display for i in Indicator.objects.filter(unit_year=year_a)}
    assert shown == {**shown, "会议次数": "≥25次", "群众满意度": "≥95%"}


def test_a_save_without_the_page_version_is_refused(year_a, two_officers):
    first, _ = two_officers
    data = _table_data(year_a, 0, 会议次数="≥30次")
    del data["version"]
    page = first.post(_table_url(year_a), data).content.decode()
    assert "保存未成功" in page
    assert Indicator.objects.get(unit_year=year_a, name="会议次数").target_display == "≥20次"


@pytest.mark.parametrize("action", ["weights_default", "add_from_library", "move", "confirm_directions", "group"])
def test_every_other_indicator_write_refuses_a_stale_page(year_a, two_officers, leader_a, evaluator_a, action):
    first, second = two_officers
    stale = _page_version(second, year_a)
    first.post(_table_url(year_a), _table_data(year_a, stale, 会议次数="≥25次"))  # someone saves in between
    uy = [year_a.unit.code, year_a.year]
    ind = Indicator.objects.filter(unit_year=year_a).ordered().last()
    before = list(Indicator.objects.filter(unit_year=year_a).order_by("pk").values_list("order", "weight", "direction"))
    if action == "group":
        second.force_login(leader_a)
        url, data = (
            reverse("indicators:group", args=uy),
            {"members": [evaluator_a.pk], "lead": evaluator_a.pk},
        )
    else:
        url, data = {
            "weights_default": (reverse("indicators:weights_default", args=uy), {}),
            "add_from_library": (
                reverse("indicators:add_from_library", args=uy),
                {
                    "entry": LibraryIndicator.objects.get(name="政府采购执行率", unit__isnull=True).pk,
                    "fund_category": "basic",
                },
            ),
            "move": (reverse("indicators:move", args=[*uy, ind.pk, "up"]), {}),
            "confirm_directions": (reverse("indicators:confirm_directions", args=uy), {}),
        }[action]
    page = second.post(url, {**data, "version": stale}, follow=True).content.decode()
    assert "保存未成功：甲财务 已于" in page
    after = list(Indicator.objects.filter(unit_year=year_a).order_by("pk").values_list("order", "weight", "direction"))
    assert after == before
    assert not EvaluationGroup.objects.filter(unit_year=year_a).exists()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database refuses concurrent writers ('table is locked'); "
    "run with DATABASE_URL=postgres://… (production's database)",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_saves_from_the_same_page_version_one_wins(unit_a):
    year = UnitYear.objects.create(unit=unit_a, year=2024, status=YearStatus.DRAFT)
    officers = [make_user(f"officer{i}", role=Role.OFFICER, unit=unit_a) for i in range(20)]
    build_table(year)
    version = UnitYear.objects.get(pk=year.pk).version
    posts = [_table_data(year, version, 会议次数=f"≥{30 + i}次") for i in range(20)]
    url = _table_url(year)
    barrier = threading.Barrier(20)
    answers: list[str] = []
    clients = []
    for officer in officers:
        clients.append(Client())
        clients[-1].force_login(officer)

    def save(i: int) -> None:
        client = clients[i]
        try:
            barrier.wait(timeout=30)
            answers.append(client.post(url, posts[i], follow=True).content.decode())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            answers.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(answers) == 20
    saved = [a for a in answers if "已保存 1 个指标" in a]
    refused = [a for a in answers if "保存未成功" in a]
    assert (len(saved), len(refused)) == (1, 19)
    target = Indicator.objects.get(unit_year=year, name="会议次数")
    assert target.target_value in {D(30 + i) for i in range(20)}
    assert UnitYear.objects.get(pk=year.pk).version == version + 1
