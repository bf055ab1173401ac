"""部门职责 / 机构设置 rows: every control is named by list, row and column; a refused field is
tied to its message."""

from __future__ import annotations

import pytest

from departments.forms import DutyFormSet, OrganFormSet

pytestmark = pytest.mark.django_db


def test_controls_are_named_by_list_row_and_column(year_a):
    duties = DutyFormSet(instance=year_a, prefix="duties")
    organs = OrganFormSet(instance=year_a, prefix="organs")
    html = str(duties.forms[0]["text"]) + str(organs.forms[0]["kind"]) + str(duties.forms[0]["DELETE"])
    assert 'aria-label="部门职责第1条 · 职责"' in html
    assert 'aria-label="机构设置第1条 · 类别"' in html
    assert 'aria-label="删除部门职责第1条"' in html
    assert 'aria-label="部门职责新增一条 · 序号"' in str(duties.empty_form["order"])


def test_a_refused_field_points_at_its_message(year_a):
    data = {
        "duties-TOTAL_FORMS": "1",
        "duties-INITIAL_FORMS": "0",
        "duties-0-order": "1",
        "duties-0-text": "",
    }
    duties = DutyFormSet(data, instance=year_a, prefix="duties")
    duties.forms[0].fields["text"].required = True
    duties.forms[0].empty_permitted = False
    assert not duties.is_valid()
    html = str(duties.forms[0]["text"])
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_duties-0-text-error"' in html
