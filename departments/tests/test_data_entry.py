"""基本信息 (profile, duties, organisation), 文字说明, 修改记录, next year and the home page."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budgets.models import IncomeLine, ProjectLine, SpendingLine
from departments.models import Duty, Membership, Organ, Role, UnitYear, YearStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_year):
    return get_user_model().objects.get(username="officer")


@pytest.fixture
def oc(client, officer):
    client.force_login(officer)
    return client


def profile_post(unit_year) -> dict:
    unit_year.refresh_from_db()
    data = {
        "version": unit_year.version,
        "headcount_authorized": unit_year.headcount_authorized or "",
        "headcount_actual": unit_year.headcount_actual or "",
        "contact_name": unit_year.contact_name,
        "contact_phone": unit_year.contact_phone,
        "function_summary": unit_year.function_summary,
        "evaluation_method": unit_year.evaluation_method,
        "report_date": "",
    }
    for prefix, rows, fields in (
        ("duties", list(unit_year.duties.order_by("order")), ("order", "text")),
        ("organs", list(unit_year.organs.order_by("kind", "order")), ("kind", "order", "name")),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            for name in fields:
                data[f"{prefix}-{i}-{name}"] = getattr(row, name)
    return data


def url(name, unit_year):
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


def test_profile_save_with_duties_reordered_added_and_removed(oc, demo_year):
    data = profile_post(demo_year)
    data["headcount_actual"] = 44
    data["duties-12-order"] = 0  # the last duty moves to the top
    data["duties-0-DELETE"] = "on"
    data |= {"duties-TOTAL_FORMS": 14, "duties-13-order": 99, "duties-13-text": "新增的职责"}
    data |= {"organs-TOTAL_FORMS": len([k for k in data if k.startswith("organs-") and k.endswith("-id")]) + 1}
    n = data["organs-TOTAL_FORMS"] - 1
    data |= {f"organs-{n}-kind": "office", f"organs-{n}-order": 9, f"organs-{n}-name": "研究室"}
    response = oc.post(url("departments:profile", demo_year), data)
    assert response.status_code == 302
    duties = list(Duty.objects.filter(unit_year=demo_year).order_by("order"))
    assert [d.order for d in duties] == list(range(1, 14))
    assert duties[0].text == "在县人民代表大会闭会期间，补选上一级人民代表大会出缺的代表和罢免个别代表。"
    assert duties[-1].text == "新增的职责"
    assert not any(d.text.startswith("在本行政区域内，保证宪法") for d in duties)
    offices = list(
        Organ.objects.filter(unit_year=demo_year, kind="office").order_by("order").values_list("name", "order")
    )
    assert offices[-1] == ("研究室", 3)
    assert UnitYear.objects.get(pk=demo_year.pk).headcount_actual == 44


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headcount_actual", "-1", "人数不能为负数。"),
        ("headcount_actual", "四十", "请填写整数人数。"),
        ("contact_phone", "电话abc", "联系电话只能包含数字"),
    ],
)
def test_profile_refuses_bad_input_at_the_field(oc, demo_year, field, value, message):
    data = profile_post(demo_year) | {field: value}
    response = oc.post(url("departments:profile", demo_year), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert UnitYear.objects.get(pk=demo_year.pk).version == demo_year.version


def test_profile_concurrent_edit_is_refused(demo_year, officer):
    colleague = get_user_model().objects.create_user("colleague2", first_name="赵会计", password="x")
    Membership.objects.create(user=colleague, unit=demo_year.unit, role=Role.OFFICER)
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(officer)
    a, b = profile_post(demo_year), profile_post(demo_year)
    assert first.post(url("departments:profile", demo_year), a | {"contact_name": "赵六"}).status_code == 302
    response = second.post(url("departments:profile", demo_year), b | {"contact_name": "钱七"})
    html = response.content.decode()
    assert "保存未成功：赵会计 已于" in html
    assert 'value="钱七"' in html
    assert UnitYear.objects.get(pk=demo_year.pk).contact_name == "赵六"


def test_texts_save_and_history_shows_old_and_new(oc, demo_year):
    form = {
        name: getattr(demo_year, name)
        for name in (
            "income_change_note",
            "spending_change_note",
            "project_usage_note",
            "implementation_procurement",
            "implementation_management",
            "evaluation_purpose",
            "evaluation_process",
            "problems",
            "measures",
        )
    }
    form |= {"version": demo_year.version, "spending_change_note": "厉行节约，比上年减少32.19万元。"}
    assert oc.post(url("reports:texts", demo_year), form).status_code == 302
    assert UnitYear.objects.get(pk=demo_year.pk).spending_change_note == "厉行节约，比上年减少32.19万元。"
    html = oc.get(url("flow:history", demo_year)).content.decode()
    assert "演示财务人员" in html
    assert "支出增减变化原因" in html
    assert "<del>厉行节约减少行政开支等原因。</del> → 厉行节约，比上年减少32.19万元。" in html


def test_texts_page_shows_the_figures_and_the_slip(oc, demo_year):
    UnitYear.objects.filter(pk=demo_year.pk).update(income_change_note="比上年1326.27万元减少21.76万元，减少1.64%。")
    html = oc.get(url("reports:texts", demo_year)).content.decode()
    assert "比上年 1326.27 万元减少 21.70 万元（1.64%）" in html
    assert "“收入增减变化原因”中写的“减少21.76万元”与数据不符" in html


def test_history_of_a_figure_change(oc, demo_year):
    line = SpendingLine.objects.get(unit_year=demo_year, kind="basic")
    line.actual = D("1000.00")
    line.save()
    line.actual = D("1028.96")
    line.save()
    html = oc.get(url("flow:history", demo_year)).content.decode()
    assert "支出 · 基本支出" in html
    assert "<del>1000.00</del> → 1028.96" in html


def test_history_names_flow_steps_and_shows_indicator_changes_against_the_demo(oc, officer, demo_year):
    from flow import services as flow
    from indicators.models import Indicator
    from indicators.services import indicator_weights_default

    indicator_weights_default(unit_year=demo_year)
    indicator = Indicator.objects.get(unit_year=demo_year, name="人大会议次数")
    assert indicator.weight == D("3.57")
    flow.year_submit(unit_year=demo_year, user=officer, acknowledge_warnings=True)
    html = oc.get(url("flow:history", demo_year)).content.decode()
    assert "送审" in html and ">submit<" not in html  # the step's name, not its code
    assert "绩效指标 · 人大会议次数" in html
    assert "此前无记录" not in html  # the demo's indicators have their loaded values as history


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # session, user, memberships (the access policy), unit-year + unit with the user's seats
        # on its evaluation group (the 评分 tab), duties, organs
        ("departments:profile", 6),
        # session, user, memberships, unit-year + unit + seats, income / spending / project / 三公
        # lines
        ("reports:texts", 8),
        # flow:history: flow/tests/test_lists.py (paged in SQL, pinned over the number of records)
    ],
)
def test_page_query_counts_do_not_grow(oc, demo_year, django_assert_num_queries, name, expected):
    with django_assert_num_queries(expected):
        oc.get(url(name, demo_year))
    for i in range(30):  # with history records, one by one
        Duty.objects.create(unit_year=demo_year, order=20 + i, text=f"职责{i}")
        Organ.objects.create(unit_year=demo_year, kind="other", order=i, name=f"机构{i}")
        ProjectLine.objects.create(unit_year=demo_year, order=20 + i, name=f"项目{i}")
    with django_assert_num_queries(expected):
        html = oc.get(url(name, demo_year)).content.decode()
    assert name == "reports:texts" or "职责29" in html


def test_create_next_year_copies_the_starting_point(oc, demo_year):
    UnitYear.objects.filter(pk=demo_year.pk).update(status=YearStatus.FINALISED)
    home = oc.get(reverse("flow:home")).content.decode()
    assert "创建2025年度" in home
    response = oc.post(url("flow:next_year", demo_year))
    assert response.status_code == 302
    nxt = UnitYear.objects.get(unit=demo_year.unit, year=2025)
    assert nxt.status == YearStatus.DRAFT
    assert (nxt.headcount_authorized, nxt.contact_name, nxt.function_summary) == (
        42,
        "姚勇",
        "立法、监督、人事任免、代表活动",
    )
    assert nxt.duties.count() == 13 and nxt.organs.count() == 11
    projects = list(nxt.project_lines.order_by("order"))
    assert projects[0].name == "县人大代表活动经费" and projects[0].actual is None and len(projects) == 10
    assert IncomeLine.objects.get(unit_year=nxt, source="total").previous_year == D("1304.57")
    assert nxt.problems == "" and nxt.income_change_note == ""
    # twice → no second copy
    again = oc.post(url("flow:next_year", demo_year))
    assert again.status_code == 302 and UnitYear.objects.filter(unit=demo_year.unit, year=2025).count() == 1


def test_home_shows_status_and_next_step(oc, demo_year):
    html = oc.get(reverse("flow:home")).content.decode()
    assert "草稿" in html
    assert f'href="{url("budgets:figures", demo_year)}" data-testid="next-step">填报数据并送审' in html


def test_log_in_and_out(client, demo_year):
    response = client.post(reverse("login"), {"username": "officer", "password": "perfeval-demo-2024"})
    assert response.status_code == 302 and response["Location"] == reverse("flow:home")
    assert "安化县人大常委会办公室" in client.get(reverse("flow:home")).content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("flow:home")).status_code == 302
