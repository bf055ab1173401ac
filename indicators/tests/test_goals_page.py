"""绩效目标: the officer edits the department's goals and each annual goal's 实际完成情况 in the
app (not only in the admin); the report prints what was saved.

Sets up the demo year through ``demo.load`` (a layer above; tests may)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import Goal, GoalKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_year):
    return get_user_model().objects.get(username="officer")


def url(unit_year, name="indicators:goals"):
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


def posted(page: str) -> dict[str, str]:
    """What the browser would send back from the page as shown (inputs and textareas)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data[name] = value
    for name, value in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', page):
        data.setdefault(value, name)
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, flags=re.S):
        data[name] = (
            text.strip("\n").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        )
    data.pop("csrfmiddlewaretoken", None)
    return {k: v for k, v in data.items() if "__prefix__" not in k}


def annual_prefix(page: str, text: str) -> str:
    """The form prefix ("goals-annual-2") of the annual goal whose text starts with ``text``."""
    match = re.search(r'name="(goals-annual-\d+)-text"[^>]*>\s*' + re.escape(text), page)
    assert match, f"no annual goal starting {text!r} on the page"
    return match.group(1)


def test_the_page_lists_the_reference_goals_in_order(client, officer, demo_year):
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    annual = list(Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order"))
    assert len(annual) == 7
    positions = [page.index(g.text[:20]) for g in annual]
    assert positions == sorted(positions)
    assert "年度绩效目标" in page and "实际完成情况" in page and "中长期绩效目标" in page
    assert 'href="' + url(demo_year) + '"' in page  # the 绩效目标 tab


def test_an_achievement_saved_here_is_printed_in_the_report(client, officer, demo_year):
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    first = Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order").first()
    prefix = annual_prefix(page, first.text[:10])
    data = posted(page)
    data[f"{prefix}-achievement"] = "全年召开常委会会议12次，<b>按期完成</b>。"
    response = client.post(url(demo_year), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.achievement == "全年召开常委会会议12次，<b>按期完成</b>。"
    report = client.get(url(demo_year, "reports:report")).content.decode()
    assert "全年召开常委会会议12次，&lt;b&gt;按期完成&lt;/b&gt;" in report  # escaped, printed


def test_add_and_delete_goals(client, officer, demo_year):
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    data = posted(page)
    long_term = Goal.objects.filter(unit_year=demo_year, kind=GoalKind.LONG_TERM).count()
    total = int(data["goals-overall-TOTAL_FORMS"])
    data[f"goals-overall-{total - 1}-text"] = "依法履职，服务大局。"  # the blank extra row
    data[f"goals-overall-{total - 1}-order"] = ""
    first_annual = Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order").first()
    data[f"{annual_prefix(page, first_annual.text[:10])}-DELETE"] = "on"
    assert client.post(url(demo_year), data).status_code == 302
    assert Goal.objects.filter(unit_year=demo_year, kind=GoalKind.OVERALL, text="依法履职，服务大局。").exists()
    annual = list(Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order"))
    assert first_annual.pk not in [g.pk for g in annual]
    assert [g.order for g in annual] == list(range(1, 7))  # renumbered 1 … 6
    assert Goal.objects.filter(unit_year=demo_year, kind=GoalKind.LONG_TERM).count() == long_term


def test_a_goal_without_text_is_refused_at_its_row_and_nothing_is_saved(client, officer, demo_year):
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    data = posted(page)
    first = Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order").first()
    prefix = annual_prefix(page, first.text[:10])
    data[f"{prefix}-text"] = ""
    data[f"{prefix}-achievement"] = "已完成。"
    response = client.post(url(demo_year), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写目标内容" in body and "未保存任何内容" in body
    assert "已完成。" in body  # what was typed stays on the page
    first.refresh_from_db()
    assert first.text and first.achievement != "已完成。"


def test_a_stale_page_is_refused_naming_who_saved(client, officer, demo_year):
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    data = posted(page)
    assert client.post(url(demo_year), data).status_code == 302  # someone saves first
    data["goals-long_term-0-text"] = "过期页面的修改"
    response = client.post(url(demo_year), data, follow=True)
    assert "过期页面的修改" not in [g.text for g in Goal.objects.filter(unit_year=demo_year)]
    body = response.content.decode()
    assert "保存未成功" in body and "已于" in body
    assert "过期页面的修改" in body  # the input stays on the page


def test_after_submission_the_page_is_read_only(client, officer, demo_year):
    from departments.models import YearStatus

    demo_year.status = YearStatus.SUBMITTED
    demo_year.save(update_fields=["status"])
    client.force_login(officer)
    page = client.get(url(demo_year)).content.decode()
    assert 'data-testid="save"' not in page and "<textarea" not in page  # a plain table
    first = Goal.objects.filter(unit_year=demo_year, kind=GoalKind.ANNUAL).order_by("order").first()
    assert first.text[:20] in page
    assert client.post(url(demo_year), {"version": str(demo_year.version)}).status_code == 403
