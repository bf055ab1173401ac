"""An evaluator scores the reference's indicators in the browser and sees the total and grade;
the group result is confirmed; the leader finalises; the year is then read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from departments.models import YearStatus
from flow import services as flow
from indicators import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Actual values as an evaluator would type them (all targets met except 人大资讯: 18 of ≥20篇).
QUANTITATIVE = {
    "人大会议次数": "22",
    "人大资讯": "18",
    "下发文件差错率": "0.5%",
    "工作按时完成率": "99%",
    "工资福利支出": "748.2",
    "商品和服务支出": "280.76",
    "组织各类活动": "3",
    "代表联系群众次数": "56",
    "代表工作站运行个数": "17",
    "解决群众问题的完成率": "96%",
    "代表工作站建设质量合格率": "100%",
    "项目支出成本节约率": "0%",
    "年度项目经费总额": "275.61",
    "群众满意度": "98%",
}
QUALITATIVE = {
    # name: (actual, band, score)
    "完成及时性": ("2024年12月完成", "达成年度指标", "3.57"),
    "促进本县经济发展": ("有效促进", "达成年度指标", "7"),
    "促进社会和谐，充分发挥桥梁作用": ("有所促进", "达成年度指标", "7.5"),
    "将环保意识、绿色发展要求贯穿人大各项工作中": ("有效改善", "达成年度指标", "6.5"),
    "加强同各级代表的联系，为县委决策提供依据": ("长期有效", "达成年度指标", "7.5"),
}


@pytest.fixture
def year_under_evaluation(demo_year):
    people = {u.username: u for u in get_user_model().objects.all()}
    services.indicator_weights_default(unit_year=demo_year)
    services.evaluation_group_name(
        unit_year=demo_year, user=people["leader"], members=[people["evaluator"]], lead=people["evaluator"]
    )
    flow.year_submit(unit_year=demo_year, user=people["officer"], acknowledge_warnings=True)
    flow.year_start_evaluation(unit_year=demo_year, user=people["leader"])
    return demo_year


def row(page, name):
    return page.locator(f"tr[data-testid='score-row'][data-name='{name}']")


def test_evaluator_scores_leader_finalises_year_read_only(page, login, year_under_evaluation):
    uy = year_under_evaluation
    base = f"/u/{uy.unit.code}/{uy.year}"
    login("evaluator", DEMO_PASSWORD)
    page.goto(f"{base}/scoring/")
    expect(page.get_by_test_id("my-total")).to_have_text("10.00")  # only 预算执行率 so far

    # The engine's proposal appears as the actual value is typed (before any save).
    r = row(page, "人大会议次数")
    r.locator("input[name$='-actual']").fill("22")
    expect(r.locator(".proposed")).to_have_text("3.57")
    expect(r.locator("input[name$='-score']")).to_have_value("3.57")

    for name, actual in QUANTITATIVE.items():
        r = row(page, name)
        if name == "人大资讯":
            r.locator("textarea[name$='-deviation_reason']").fill("宣传稿件较计划减少，明年加强信息报送")
        r.locator("input[name$='-actual']").fill(actual)
        r.get_by_role("button", name="保存").click()
        expect(r.get_by_test_id("row-status")).to_contain_text("已保存")
    expect(row(page, "人大资讯").locator(".proposed")).to_have_text("3.21")  # 18 ÷ 20 × 3.57

    # A qualitative score outside its band is refused with a clear message.
    r = row(page, "促进本县经济发展")
    r.locator("select[name$='-band']").select_option(label="部分达成并具有一定效果")
    expect(r.locator(".band-range")).to_have_text("可评 4.50 分（含）至 6.00 分（不含）")
    r.locator("textarea[name$='-deviation_reason']").fill("带动作用有限")
    r.locator("input[name$='-score']").fill("6.38")
    r.get_by_role("button", name="保存").click()
    # the message stands at the refused field, which keeps what was typed
    score = r.locator("input[name$='-score']")
    expect(page.locator(f"#{score.get_attribute('id')}-error")).to_contain_text(
        "得分须在 4.50 分（含）至 6.00 分（不含）之间"
    )
    expect(score).to_have_attribute("aria-invalid", "true")
    expect(score).to_have_value("6.38")
    expect(r.get_by_test_id("row-status")).to_contain_text("未保存")

    for name, (actual, band, score) in QUALITATIVE.items():
        r = row(page, name)
        r.locator("input[name$='-actual']").fill(actual)
        r.locator("select[name$='-band']").select_option(label=band)
        r.locator("input[name$='-score']").fill(score)
        r.get_by_role("button", name="保存").click()
        expect(r.get_by_test_id("row-status")).to_contain_text(f"已保存 {float(score):.2f} 分")

    # 90 − 0.36 (人大资讯) − 0.5 − 1 (two qualitative below full) = 88.14, + 10 execution
    expect(page.get_by_test_id("my-total")).to_have_text("98.14")
    expect(page.get_by_test_id("my-grade")).to_have_text("优")

    # Reloading keeps every entry (saved as they went).
    page.reload()
    expect(row(page, "人大资讯").locator("input[name$='-actual']")).to_have_value("18")
    expect(page.get_by_test_id("my-total")).to_have_text("98.14")

    # The lead confirms the group result.
    page.goto(f"{base}/scoring/result/")
    page.get_by_test_id("confirm-result").click()
    expect(page.get_by_test_id("confirmation")).to_contain_text("已于")
    expect(page.get_by_test_id("confirmed-total")).to_contain_text("98.14 优")
    expect(page.get_by_test_id("confirm-result")).to_have_count(0)  # not offered again

    # The leader finalises.
    page.get_by_role("button", name="退出登录").click()
    login("leader", DEMO_PASSWORD)
    page.goto(f"{base}/flow/")
    # The reference's own contradictions are in front of the signer; each is explained first.
    findings = page.get_by_test_id("check-findings")
    expect(findings).to_contain_text("大于收入合计 880.51 万元")
    expect(page.get_by_test_id("finalise-checks")).to_have_text("2 项尚未说明")
    for _ in range(2):
        item = findings.locator("li", has=page.locator("textarea:empty")).first
        item.locator("textarea").fill("按已公开报告原样填列，口径待核实。")
        item.get_by_role("button", name="保存说明").click()
        expect(page.get_by_role("alert").first).to_contain_text("已保存说明")
    expect(page.get_by_test_id("finalise-checks")).to_have_text("2 项均已说明")
    expect(page.get_by_test_id("finalise-total")).to_have_text("98.14 分 · 优")
    # 定稿 asks once, naming what will happen; cancelling sends nothing.
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="定稿", exact=True).click()
    expect(page.get_by_test_id("finalise-form")).to_be_visible()
    assert asked and asked[0].startswith("确定定稿？定稿后安化县人大常委会办公室 2024年度的所有内容只读")
    uy.refresh_from_db()
    assert uy.status == YearStatus.EVALUATING
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="定稿", exact=True).click()
    expect(page.get_by_test_id("year-status")).to_have_text("已定稿")
    expect(page.get_by_test_id("timeline")).to_contain_text("定稿")
    uy.refresh_from_db()
    assert uy.status == YearStatus.FINALISED

    # Read-only: no editor, no scoring, no flow action for the leader.
    expect(page.get_by_test_id("no-actions")).to_be_visible()
    page.goto(f"{base}/indicators/")
    expect(page.get_by_test_id("indicator-table")).to_contain_text("98%")
    expect(page.get_by_test_id("indicator-form")).to_have_count(0)
    page.get_by_role("button", name="退出登录").click()
    login("evaluator", DEMO_PASSWORD)
    page.goto(f"{base}/scoring/")
    expect(page.get_by_test_id("scoring-closed")).to_be_visible()
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
    page.get_by_role("button", name="退出登录").click()
    login("officer", DEMO_PASSWORD)
    page.goto(f"{base}/indicators/")
    expect(page.get_by_test_id("indicator-form")).to_have_count(0)
    expect(page.get_by_text("该年度状态为“已定稿”，指标表只读。")).to_be_visible()
