"""The 绩效指标 editor's rows are written in Python (``indicators.editor``): the HTML must be the
one the template loop they replaced wrote, byte for byte — ids, names, labels, aria-label,
aria-describedby, aria-invalid, the error messages, the ↑ / ↓ / 存入指标库 forms — and every text
from the database or the user must stay escaped. The reference below is that loop as
templates/indicators/table.html had it, rendered with Django's own widget templates."""

from __future__ import annotations

import re

from django.forms.renderers import DjangoTemplates
from django.template import Context, engines
from django.urls import reverse

from indicators.forms import IndicatorFormSet
from indicators.models import Indicator
from indicators.tests.factories import add_project, build_project_table, build_table

# The loop of templates/indicators/table.html before the rows were written in Python.
REFERENCE_ROWS = """{% for form in formset %}
      <tr data-testid="indicator-row">
        {% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}
        <td>{{ form.fund_category }}{% include "indicators/_field_errors.html" with field=form.fund_category %}</td>
        <td>{{ form.order }}{% include "indicators/_field_errors.html" with field=form.order %}</td>
        <td>{{ form.tier1 }}{% include "indicators/_field_errors.html" with field=form.tier1 %}</td>
        <td>{{ form.tier2 }}{% include "indicators/_field_errors.html" with field=form.tier2 %}</td>
        <td>{{ form.name }}{% include "indicators/_field_errors.html" with field=form.name %}</td>
        <td>{{ form.target }}{% if form.instance.pk %}<div class="small text-muted">{{ form.instance.get_target_kind_display }}</div>{% endif %}{% include "indicators/_field_errors.html" with field=form.target %}
          {% if form.instance.is_bare %}<div class="small bare-target" data-testid="target-reading">{{ form.instance.target_reading }}</div>
          <label class="small">{{ form.direction.label }} {{ form.direction }}</label>{% include "indicators/_field_errors.html" with field=form.direction %}{% endif %}</td>
        <td>{{ form.weight }}{% include "indicators/_field_errors.html" with field=form.weight %}</td>
        <td>{{ form.grading_standard }}{% include "indicators/_field_errors.html" with field=form.grading_standard %}</td>
        <td class="row-actions small">
          <label class="text-nowrap">{{ form.not_applicable }} 不适用</label>
          {% if form.instance.pk %}<label class="text-nowrap ms-1">{{ form.DELETE }} 删除</label>
          <div class="text-nowrap">
          <button type="submit" class="btn btn-link btn-sm p-0" form="up-{{ form.instance.pk }}" title="上移" aria-label="上移“{{ form.instance.name }}”">↑</button>
          <button type="submit" class="btn btn-link btn-sm p-0" form="down-{{ form.instance.pk }}" title="下移" aria-label="下移“{{ form.instance.name }}”">↓</button>
          <button type="submit" class="btn btn-link btn-sm p-0" form="lib-{{ form.instance.pk }}" aria-label="将“{{ form.instance.name }}”存入指标库">存入指标库</button>
          </div>
        {% else %}<div class="text-muted">新增</div>{% endif %}</td>
      </tr>
      {% if form.non_field_errors %}<tr><td colspan="10" class="text-danger small">{% for e in form.non_field_errors %}{{ e }}{% if not forloop.last %} {% endif %}{% endfor %}</td></tr>{% endif %}
    {% endfor %}"""  # noqa: E501
REFERENCE_ROW_FORMS = """{% for form in formset %}{% if form.instance.pk %}
<form method="post" id="up-{{ form.instance.pk }}" action="{% url 'indicators:move' unit_year.unit.code unit_year.year form.instance.pk 'up' %}">{% csrf_token %}<input type="hidden" name="version" value="{{ version }}">{% if project %}<input type="hidden" name="project" value="{{ project.pk }}">{% endif %}</form>
<form method="post" id="down-{{ form.instance.pk }}" action="{% url 'indicators:move' unit_year.unit.code unit_year.year form.instance.pk 'down' %}">{% csrf_token %}<input type="hidden" name="version" value="{{ version }}">{% if project %}<input type="hidden" name="project" value="{{ project.pk }}">{% endif %}</form>
<form method="post" id="lib-{{ form.instance.pk }}" action="{% url 'indicators:to_library' unit_year.unit.code unit_year.year form.instance.pk %}">{% csrf_token %}</form>
{% endif %}{% endfor %}"""  # noqa: E501
PYTHON_ROWS = "{% load editor_tags %}{% editor_rows formset %}"
PYTHON_ROW_FORMS = "{% load editor_tags %}{% editor_row_forms formset %}"

HOSTILE = "<script>alert('x')</script> & \"引号\""


def _formset(unit_year, project=None, data=None):
    queryset = unit_year.indicators.of_table(project).ordered()
    formset = IndicatorFormSet(data, queryset=queryset, unit_year=unit_year, prefix="ind")
    if data is not None and not formset.is_valid():
        for form in formset.forms:
            form.mark_errors()  # as the view does after a refused save
            if form.prefix == "ind-1":  # a message that is not a field's (e.g. a constraint's)
                form.add_error(None, f"整行有误：{HOSTILE}")
                form.add_error(None, "第二条")
    return formset


def _both(settings, unit_year, *, project=None, data=None) -> tuple[str, str]:
    """The rows and per-row forms, rendered by the reference loop (Django's widget templates)
    and by ``indicators.editor``, each from its own formset of the same table and data."""
    engine = engines["django"].engine

    def render(source: str, formset) -> str:
        context = {"formset": formset, "unit_year": unit_year, "version": 7, "project": project}
        return engine.from_string(source).render(Context({**context, "csrf_token": "TOKEN<&>"}))

    renderer = settings.FORM_RENDERER
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    reference = _formset(unit_year, project, data)
    assert isinstance(reference.forms[0].renderer, DjangoTemplates)
    expected = render(REFERENCE_ROWS, reference) + render(REFERENCE_ROW_FORMS, reference)
    settings.FORM_RENDERER = renderer
    formset = _formset(unit_year, project, data)
    written = render(PYTHON_ROWS, formset) + render(PYTHON_ROW_FORMS, formset)
    # An unbound table is written from its indicators, without a form per row; a refused save
    # from its forms (what the user typed, the errors).
    assert ("forms" in formset.__dict__) == (data is not None)
    return expected, written


def _posted(rows: list[Indicator]) -> dict:
    """The editor's form as the browser posts it, every stored row unchanged, and a new one."""
    data = {
        "ind-TOTAL_FORMS": str(len(rows) + 1),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(rows):
        data |= {
            f"ind-{i}-id": str(r.pk),
            f"ind-{i}-fund_category": r.fund_category,
            f"ind-{i}-order": str(r.order),
            f"ind-{i}-tier1": r.tier1,
            f"ind-{i}-tier2": r.tier2,
            f"ind-{i}-name": r.name,
            f"ind-{i}-target": r.target_display,
            f"ind-{i}-weight": "" if r.weight is None else str(r.weight),
            f"ind-{i}-grading_standard": r.grading_standard,
            f"ind-{i}-direction": r.direction,
        }
        if r.not_applicable:
            data[f"ind-{i}-not_applicable"] = "on"
    return data


def test_rows_of_the_demo_table_are_the_template_html(settings, demo_year):
    first = demo_year.indicators.of_department().ordered().first()
    first.name = HOSTILE
    first.grading_standard = f"</textarea>{HOSTILE}"
    first.not_applicable = True
    first.save()
    expected, written = _both(settings, demo_year)
    assert written == expected
    # What the comparison covered: 19 stored rows and the new one, a bare target with its
    # direction, a ticked box, the hostile text escaped in the input, the textarea and the buttons.
    rows = demo_year.indicators.of_department().count()
    assert written.count('data-testid="indicator-row"') == rows + 1 and rows >= 19
    assert 'data-testid="target-reading"' in written and 'name="ind-0-not_applicable"' in written
    assert " checked " in written or " checked>" in written
    assert "<script>" not in written and "&lt;/textarea&gt;&lt;script&gt;" in written
    assert 'aria-label="上移“&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;引号&quot;”"' in written
    assert written.count('<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN&lt;&amp;&gt;">') == 3 * rows


def test_rows_of_a_refused_save_are_the_template_html(settings, demo_year):
    """Every kind of field refused, with the user's input shown again and tied to its message."""
    rows = list(demo_year.indicators.of_department().ordered())
    bare = next(i for i, r in enumerate(rows) if r.is_bare)
    data = _posted(rows) | {
        "ind-0-fund_category": "nope",
        "ind-1-order": "一",
        "ind-2-tier1": HOSTILE,
        "ind-3-tier2": "social",  # not under 产出指标
        "ind-4-name": "",
        "ind-5-target": "",
        "ind-6-weight": "x<y",
        "ind-7-grading_standard": f"</textarea>{HOSTILE}",
        "ind-8-not_applicable": "on",
        "ind-9-DELETE": "on",
        f"ind-{bare}-direction": "sideways",
        f"ind-{len(rows)}-name": HOSTILE,
        f"ind-{len(rows)}-target": "≥3次",
    }
    expected, written = _both(settings, demo_year, data=data)
    assert written == expected
    for name in ("ind-0-fund_category", "ind-1-order", "ind-2-tier1", "ind-3-tier2", "ind-4-name", "ind-5-target"):
        assert f'aria-describedby="id_{name}-error' in written, name
        assert f'id="id_{name}-error"' in written, name
    assert f'id="id_ind-{bare}-direction-error"' in written and 'id="id_ind-6-weight-error"' in written
    refused = re.findall(r'name="(ind-[^"]+)"[^>]*aria-invalid="true"', written)
    new = f"ind-{len(rows)}"  # a name and a target typed, no 经费类别 / 一级 / 二级 chosen
    assert refused == [
        *("ind-0-fund_category", "ind-1-order", "ind-2-tier1", "ind-3-tier2", "ind-4-name", "ind-5-target"),
        *("ind-6-weight", f"ind-{bare}-direction", f"{new}-fund_category", f"{new}-tier1", f"{new}-tier2"),
    ]
    assert '<tr><td colspan="10" class="text-danger small">整行有误：&lt;script&gt;' in written
    assert "<script>" not in written


def test_rows_of_a_project_table_are_the_template_html(settings, year_a):
    build_table(year_a)
    project = add_project(year_a, HOSTILE)
    build_project_table(year_a, project)
    Indicator.objects.filter(project=project).update(name=HOSTILE)
    expected, written = _both(settings, year_a, project=project)
    assert written == expected
    assert f'<input type="hidden" name="project" value="{project.pk}">' in written
    # and an empty table: the new row only
    empty = add_project(year_a, "空项目", order=2)
    expected, written = _both(settings, year_a, project=empty)
    assert written == expected and written.count('data-testid="indicator-row"') == 1


def test_editor_page_shows_the_rows_with_their_forms(client, demo_year):
    """The page itself: every saved row's ↑ / ↓ / 存入指标库 button names a form that exists."""
    client.force_login(_officer())
    page = client.get(reverse("indicators:table", args=[demo_year.unit.code, demo_year.year])).content.decode()
    buttons = set(re.findall(r'form="((?:up|down|lib)-\d+)"', page))
    forms = set(re.findall(r'<form method="post" id="((?:up|down|lib)-\d+)"', page))
    assert buttons and buttons == forms
    assert len(buttons) == 3 * demo_year.indicators.of_department().count()


def _officer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="officer")
