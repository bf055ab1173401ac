"""我的工作's and 修改记录's table rows, written in Python.

A page of 50 rows through the template language cost about 60 µs a row (a dozen variable
lookups, three ``{% url %}``, ``|date``, ``|person``, a role loop, ``{% csrf_token %}``) — more
than the rest of the page together. Here a row is one string written from values the selector
already holds: every value is escaped as the template escaped it, the markup is the
template's (``flow/tests/test_rows.py`` renders both and compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from departments.models import YearStatus
from perfeval.formatting import display_name
from perfeval.widgets import escape

from .selectors import HistoryEntry, HomeRow

# As the template named them: any other role reads 管理员.
ROLE_LABELS = {"officer": "财务人员", "evaluator": "评价小组成员", "leader": "单位领导"}
ADMIN_LABEL = "管理员"
STATUS_LABELS = dict(YearStatus.choices)  # get_status_display() rebuilds this dict on every call
CHANGE_CHARS = 120  # 修改记录 cuts each old and new value here (the whole text is in the admin)


def minute(value: datetime | None, tz: tzinfo | None = None) -> str:
    """``{{ value|date:"Y-m-d H:i" }}``: local time to the minute; nothing when not set.
    ``tz``: the current time zone, when the caller has read it once for many rows."""
    return _local(value, "%Y-%m-%d %H:%M", tz)


def second(value: datetime | None, tz: tzinfo | None = None) -> str:
    """``{{ value|date:"Y-m-d H:i:s" }}``."""
    return _local(value, "%Y-%m-%d %H:%M:%S", tz)


def _local(value: datetime | None, pattern: str, tz: tzinfo | None) -> str:
    if value is None:
        return ""
    if value.utcoffset() is not None:  # aware: shown in local time, as |date does
        value = value.astimezone(tz or timezone.get_current_timezone())
    return value.strftime(pattern)


def csrf_input(token: object) -> SafeString:
    """``{% csrf_token %}``'s hidden input for ``token`` (the request's, read once per page)."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def home_rows_html(rows: Iterable[HomeRow], *, csrf_token: object) -> SafeString:
    """The ``<tr>`` of each row of 我的工作."""
    token = csrf_input(csrf_token)
    tz = timezone.get_current_timezone()
    return mark_safe("\n".join(_home_row(row, token, tz) for row in rows))  # noqa: S308 - escaped below


def _home_row(row: HomeRow, token: SafeString, tz: tzinfo) -> str:
    uy = row.unit_year
    roles = "、".join(ROLE_LABELS.get(r, ADMIN_LABEL) for r in row.roles)
    changed = minute(uy.updated_at, tz)
    if uy.updated_by is not None:
        changed = f"{changed} · {display_name(uy.updated_by)}"
    create = ""
    if row.can_create_next:
        year, next_year = int(uy.year), int(uy.year) + 1
        create = (
            f'\n        <form method="post" action="{escape(row.next_year_url)}" class="m-0" data-confirm="将以{year}'
            f"年度为基础创建{next_year}年度：复制基本信息、职责、机构设置和项目名称，本年度数据填入下一年度的“上年数”。确定创建？"
            f'">{token}\n          <button type="submit" class="btn btn-sm btn-outline-primary"'
            f' data-testid="create-next-year">创建{next_year}年度</button>\n        </form>'
        )
    status = STATUS_LABELS.get(uy.status, uy.status)
    return (
        "    <tr>\n"
        f'      <td><a href="{escape(row.detail_url)}">{escape(uy.unit.name)}</a></td>\n'
        f"      <td>{int(uy.year)}年度</td>\n"
        f'      <td><span class="badge status-{escape(uy.status)}">{escape(status)}</span></td>\n'
        f"      <td>{escape(roles)}</td>\n"
        f'      <td class="small text-muted">{escape(changed)}</td>\n'
        f'      <td><a href="{escape(row.next_url)}" data-testid="next-step">{escape(row.next_step)}</a></td>\n'
        f"      <td>{create}</td>\n"
        "    </tr>"
    )


def history_rows_html(entries: Iterable[HistoryEntry]) -> SafeString:
    """The ``<tr>`` of each shown entry of 修改记录: when, who, what, and each change old → new
    (texts cut at 120 characters, as ``|truncatechars:120``)."""
    tz = timezone.get_current_timezone()
    return mark_safe("\n".join(_history_row(entry, tz) for entry in entries))  # noqa: S308 - escaped below


def _cut(text: str) -> str:
    """``Truncator(text).chars(120)``; a text no longer than that is itself (most are)."""
    return text if len(text) <= CHANGE_CHARS else Truncator(text).chars(CHANGE_CHARS)


def _history_row(entry: HistoryEntry, tz: tzinfo) -> str:
    if entry.changes:
        added = entry.action == "新增"
        changes = "\n".join(
            f'          <div><span class="text-muted">{escape(label)}：</span>'
            + (escape(_cut(new)) if added else f"<del>{escape(_cut(old))}</del> → {escape(_cut(new))}")
            + "</div>"
            for label, old, new in entry.changes
        )
    else:
        changes = "已删除" if entry.action == "删除" else ""
    return (
        "    <tr>\n"
        f'      <td class="text-nowrap">{escape(second(entry.at, tz))}</td>\n'
        f"      <td>{escape(entry.user)}</td>\n"
        f"      <td>{escape(entry.action)}</td>\n"
        f"      <td>{escape(entry.what)}</td>\n"
        f"      <td>\n{changes}\n      </td>\n"
        "    </tr>"
    )
