"""我的工作's rows are written in Python (``flow.rows``): the same HTML as the template loop they
replace — rendered here both ways over rows of every kind and compared — with user text escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from departments.models import Unit, UnitYear, YearStatus
from flow.rows import history_rows_html, home_rows_html
from flow.selectors import HistoryEntry, HomeRow

# The loop of templates/flow/home.html before the rows were written in Python.
TEMPLATE_ROWS = """{% for row in rows %}
    <tr>
      <td><a href="{% url 'flow:year_detail' row.unit_year.unit.code row.unit_year.year %}">{{ row.unit_year.unit.name }}</a></td>
      <td>{{ row.unit_year.year }}年度</td>
      <td><span class="badge status-{{ row.unit_year.status }}">{{ row.unit_year.get_status_display }}</span></td>
      <td>{% for r in row.roles %}{% if r == "officer" %}财务人员{% elif r == "evaluator" %}评价小组成员{% elif r == "leader" %}单位领导{% else %}管理员{% endif %}{% if not forloop.last %}、{% endif %}{% endfor %}</td>
      <td class="small text-muted">{{ row.unit_year.updated_at|date:"Y-m-d H:i" }}{% if row.unit_year.updated_by %} · {{ row.unit_year.updated_by|person }}{% endif %}</td>
      <td><a href="{{ row.next_url }}" data-testid="next-step">{{ row.next_step }}</a></td>
      <td>{% if row.can_create_next %}
        <form method="post" action="{% url 'flow:next_year' row.unit_year.unit.code row.unit_year.year %}" class="m-0" data-confirm="将以{{ row.unit_year.year }}年度为基础创建{{ row.unit_year.year|add:1 }}年度：复制基本信息、职责、机构设置和项目名称，本年度数据填入下一年度的“上年数”。确定创建？">{% csrf_token %}
          <button type="submit" class="btn btn-sm btn-outline-primary" data-testid="create-next-year">创建{{ row.unit_year.year|add:1 }}年度</button>
        </form>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501 - the template as it was, line for line


def _row(code, name, year, status, roles, *, editor=None, create=False, step="查看", url="/x/?a=1&b=<2>"):
    unit = Unit(code=code, name=name)
    uy = UnitYear(unit=unit, year=year, status=status, updated_at=datetime(2024, 12, 31, 17, 5, tzinfo=UTC))
    uy.updated_by = editor
    return HomeRow(
        unit_year=uy,
        roles=roles,
        next_step=step,
        next_url=url,
        can_create_next=create,
        detail_url=reverse("flow:year_detail", args=[code, year]),
        next_year_url=reverse("flow:next_year", args=[code, year]) if create else "",
    )


ROWS = [
    _row("U-01", "人大办公室", 2024, YearStatus.DRAFT, ("officer",), step="填报数据并送审"),
    _row(
        "U_02",
        '<script>alert("名")</script> & 局',
        2023,
        YearStatus.FINALISED,
        ("evaluator", "leader", "officer"),
        editor=get_user_model()(username="li<b>", first_name="", last_name=""),
        create=True,
        step="下载自评报告",
    ),
    _row(
        "u3",
        "教育局",
        2022,
        YearStatus.SUBMITTED,
        ("admin",),
        editor=get_user_model()(username="w", first_name="王五", last_name=""),
    ),
    _row("U4", "财政局", 2021, YearStatus.EVALUATING, ("leader", "group_member"), create=True, step='"评分"'),
]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []], ids=["all kinds", "one", "none"])
def test_home_rows_are_the_templates(rows, settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # 17:05 UTC is the next day, 01:05, in Beijing
    token = "tok<en>"
    expected = Template("{% load numbers %}" + TEMPLATE_ROWS).render(Context({"rows": rows, "csrf_token": token}))
    written = home_rows_html(rows, csrf_token=token)
    assert parse_html(written) == parse_html(expected)
    if rows is ROWS:
        assert "2025-01-01 01:05 · 王五" in written
        assert "&lt;script&gt;alert(&quot;名&quot;)&lt;/script&gt; &amp; 局" in written
        assert "<script>" not in written and "li&lt;b&gt;" in written
        assert written.count('data-testid="create-next-year"') == 2


# The loop of templates/flow/history.html before the rows were written in Python.
HISTORY_TEMPLATE_ROWS = """{% for entry in entries %}
    <tr>
      <td class="text-nowrap">{{ entry.at|date:"Y-m-d H:i:s" }}</td>
      <td>{{ entry.user }}</td>
      <td>{{ entry.action }}</td>
      <td>{{ entry.what }}</td>
      <td>
        {% for label, old, new in entry.changes %}
          <div><span class="text-muted">{{ label }}：</span>{% if entry.action == "新增" %}{{ new|truncatechars:120 }}{% else %}<del>{{ old|truncatechars:120 }}</del> → {{ new|truncatechars:120 }}{% endif %}</div>
        {% empty %}{% if entry.action == "删除" %}已删除{% endif %}{% endfor %}
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501 - the template as it was, line for line

AT = datetime(2024, 6, 30, 16, 0, 59, tzinfo=UTC)
ENTRIES = [
    HistoryEntry(AT, "王五", "新增", "职责 第1条", [("职责", "", "负责<审议>" + "长" * 130)]),
    HistoryEntry(AT, "li<b>", "修改", "机构设置 · A&B", [("名称", "旧&名", '新"名'), ("人数", "（空）", "12")]),
    HistoryEntry(AT, "系统", "删除", "项目支出 · 道路", []),
    HistoryEntry(AT, "赵六", "流程", "送审", [("状态", "草稿", "已送审"), ("意见", "", "请审核")]),
    HistoryEntry(AT, "赵六", "修改", "绩效目标", []),
]


@pytest.mark.parametrize("entries", [ENTRIES, ENTRIES[2:3], []], ids=["all kinds", "deleted", "none"])
def test_history_rows_are_the_templates(entries, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    expected = Template(HISTORY_TEMPLATE_ROWS).render(Context({"entries": entries}))
    written = history_rows_html(entries)
    assert parse_html(written) == parse_html(expected)
    if entries is ENTRIES:
        assert "2024-07-01 00:00:59" in written
        assert "负责&lt;审议&gt;长长" in written and "长" * 120 not in written  # cut at 120 characters
        assert "<del>旧&amp;名</del> → 新&quot;名" in written and "li&lt;b&gt;" in written
        assert written.count("已删除") == 1
