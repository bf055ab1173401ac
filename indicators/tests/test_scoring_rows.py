"""The 评分 rows written in Python (``indicators.scoring_rows``) are the HTML the page's row
template wrote with one ``MemberScoreForm`` per row and Django's own widget templates — byte for
byte, ids, labels and aria-* included — for every kind of row: quantitative, qualitative,
deadline, bare targets read either way, not applicable, unweighted, saved or not, stale, with
and without the right to score, and text that needs escaping everywhere a user can type. The
same for 评分结果's rows (members' scores, mean, spread, confirmed score)."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.urls import reverse

from indicators.forms import MemberScoreForm
from indicators.models import Indicator, MemberScore
from indicators.scoring_rows import ScoreRow, result_rows_html, score_rows_html
from indicators.selectors import GroupRow
from indicators.services import STALE_SCORES_NOTE

# The row of templates/indicators/scoring.html before its rows were written in Python.
ROW_TEMPLATE = """\
  {% for row in rows %}{% with ind=row.indicator form=row.form %}
    <tr id="row-{{ ind.pk }}" data-testid="score-row" data-name="{{ ind.name }}" data-kind="{{ ind.target_kind }}" data-comparator="{{ ind.scoring_comparator }}"
        data-target="{{ ind.target_value|default_if_none:'' }}" data-weight="{{ ind.weight|default_if_none:'' }}">
      <td>{{ ind.name }}<div class="small text-muted">{{ ind.get_tier1_display }} / {{ ind.get_tier2_display }}</div>{% if row.stale_note %}<div class="small text-danger" data-testid="stale-scores">{{ row.stale_note }}</div>{% endif %}</td>
      <td>{{ ind.target_display }}{% if ind.is_bare %}<div class="small text-muted" data-testid="target-reading">{% if ind.direction %}{{ ind.target_reading }}{% else %}未写比较符，方向未确认，按“=”评分{% endif %}</div>{% endif %}{% if ind.grading_standard %}<div class="small text-muted">{{ ind.grading_standard }}</div>{% endif %}</td>
      <td class="num">{{ ind.weight|default_if_none:"未设" }}</td>
      {% if ind.not_applicable %}
      <td colspan="7" class="text-muted">不适用，不参与评分</td>
      {% else %}
      <td>{{ form.actual }}<div class="invalid-feedback" id="{{ form.actual.auto_id }}-error"></div></td>
      <td>{% if ind.target_kind != "quantitative" %}{{ form.band }}<div class="invalid-feedback" id="{{ form.band.auto_id }}-error"></div><div class="small text-muted band-range"></div>{% else %}<span class="text-muted small">按公式</span>{% endif %}</td>
      <td class="num"><span class="proposed">{{ row.saved.proposed_score|default_if_none:"" }}</span><div class="small text-warning over-flag">{% if row.saved.over_achieved %}超额完成，指标值可能偏低{% endif %}</div><div class="small text-danger deduction-note" data-testid="deduction-note">{{ row.saved.deduction_note }}</div></td>
      <td>{{ form.score }}<div class="invalid-feedback" id="{{ form.score.auto_id }}-error"></div></td>
      <td>{{ form.override_reason }}<div class="invalid-feedback" id="{{ form.override_reason.auto_id }}-error"></div></td>
      <td>{{ form.deviation_reason }}<div class="invalid-feedback" id="{{ form.deviation_reason.auto_id }}-error"></div></td>
      <td class="text-nowrap">
        <form method="post" id="f-{{ ind.pk }}" class="score-form" action="{% url 'indicators:scoring_save' unit_year.unit.code unit_year.year ind.pk %}">{% csrf_token %}
          {% if can_score %}<button type="submit" class="btn btn-sm btn-outline-primary" aria-label="保存“{{ ind.name }}”的评分">保存</button>{% endif %}
        </form>
        <div class="row-status small {% if row.saved %}saved{% endif %}" data-testid="row-status" role="status">{% if row.saved %}已保存{% endif %}</div>
      </td>
      {% endif %}
    </tr>
  {% endwith %}{% endfor %}
"""  # noqa: E501
UNIT_YEAR = SimpleNamespace(unit=SimpleNamespace(code="A01"), year=2024)
TOKEN = 'tok<&">en'
ODD = "<b>&\"'{pk}{0}"  # markup, quotes and format braces a user might type


def _indicator(pk: int, **fields) -> Indicator:
    base = {
        "fund_category": "basic",
        "tier1": "output",
        "tier2": "quantity",
        "name": f"指标{pk}",
        "target_kind": "quantitative",
        "comparator": "ge",
        "target_value": D("20"),
        "target_unit": "次",
        "weight": D("10.00"),
    }
    return Indicator(pk=pk, **(base | fields))


def _rows() -> list[ScoreRow]:
    over = MemberScore(proposed_score=D("8.50"), score=D("8.50"), over_achieved=True, deduction_note=f"扣2分{ODD}")
    band = MemberScore(band="partial", proposed_score=None, score=D("12"))
    return [
        ScoreRow(_indicator(1), saved=None),
        ScoreRow(
            _indicator(2, name=f"会议{ODD}", grading_standard=f"标准{ODD}", weight=D("12.5")),
            saved=over,
            values={
                "actual": "30",
                "band": "",
                "score": D("8.50"),
                "override_reason": "",
                "deviation_reason": f"超额{ODD}\n第二行",
            },
        ),
        ScoreRow(
            _indicator(3, target_kind="qualitative", comparator="", target_value=None, target_text=f"有效{ODD}"),
            saved=band,
            values={"actual": f"基本完成{ODD}", "band": "partial", "score": D("12"), "override_reason": ODD},
        ),
        ScoreRow(
            _indicator(4, target_kind="deadline", comparator="", target_value=None, target_text="2024年12月底"),
            saved=None,
            stale_note=STALE_SCORES_NOTE,
        ),
        ScoreRow(_indicator(5, comparator="", target_value=D("3.50"), target_unit="%", direction="ceiling"), None),
        ScoreRow(_indicator(6, comparator="", target_value=D("100"), target_unit="%", weight=None), saved=None),
        ScoreRow(_indicator(7, name=f"不适用{ODD}", not_applicable=True, weight=D("0")), saved=None),
        ScoreRow(_indicator(8, tier1="satisfaction", tier2="service_satisfaction", target_value=D("0.9")), saved=None),
    ]


def _template_rows(rows: list[ScoreRow], *, can_score: bool) -> str:
    django_widgets = DjangoTemplates()  # Django's own widget templates, not the app's renderer
    context = {
        "rows": [
            {
                "indicator": r.indicator,
                "saved": r.saved,
                "stale_note": r.stale_note,
                "form": MemberScoreForm(
                    initial=r.values,
                    prefix=f"s{r.indicator.pk}",
                    form_id=f"f-{r.indicator.pk}",
                    row_label=r.indicator.name,
                    renderer=django_widgets,
                ),
            }
            for r in rows
        ],
        "unit_year": UNIT_YEAR,
        "can_score": can_score,
        "csrf_token": TOKEN,
    }
    return Template(ROW_TEMPLATE).render(Context(context))


def _python_rows(rows: list[ScoreRow], *, can_score: bool) -> str:
    def save_url(pk: int) -> str:
        return reverse("indicators:scoring_save", args=[UNIT_YEAR.unit.code, UNIT_YEAR.year, pk])

    html = score_rows_html(rows, save_url=save_url, csrf_token=TOKEN, can_score=can_score)
    return "  " + html + "\n"  # what surrounds {{ score_rows }} in the page


@pytest.mark.parametrize("can_score", [True, False], ids=["scoring", "read-only"])
def test_rows_are_the_template_rows_byte_for_byte(can_score):
    rows = _rows()
    mine, theirs = _python_rows(rows, can_score=can_score), _template_rows(rows, can_score=can_score)
    assert mine.count("<tr ") == len(rows)
    assert mine == theirs


def test_what_a_user_typed_is_shown_escaped_never_as_markup():
    html = _python_rows(_rows(), can_score=True)
    assert "<b>" not in html
    assert "会议&lt;b&gt;&amp;&quot;&#x27;{pk}{0}" in html  # the name, in its cell and its labels
    assert 'aria-label="保存“会议&lt;b&gt;&amp;&quot;&#x27;{pk}{0}”的评分"' in html
    assert 'value="基本完成&lt;b&gt;' in html  # an actual value in its input
    assert ">\n超额&lt;b&gt;&amp;&quot;&#x27;{pk}{0}\n第二行</textarea>" in html  # a reason in its textarea
    assert 'value="tok&lt;&amp;&quot;&gt;en"' in html  # even the token


def test_each_row_posts_to_its_own_indicator_with_the_page_token():
    html = _python_rows(_rows(), can_score=True)
    for pk in (1, 2, 3, 8):
        action = reverse("indicators:scoring_save", args=["A01", 2024, pk])
        assert f'<form method="post" id="f-{pk}" class="score-form" action="{action}">' in html
        assert f'name="s{pk}-actual"' in html and f'form="f-{pk}"' in html
    assert html.count('name="csrfmiddlewaretoken"') == 7  # every row but the one not applicable
    assert 'name="s7-actual"' not in html and "不适用，不参与评分" in html


# The rows of one section of templates/indicators/group_result.html before they were written in Python.
RESULT_TEMPLATE = """\
  {% for row in section_rows %}
    <tr><td>{{ row.indicator.name }}</td><td>{{ row.indicator.target_display }}</td><td class="num">{{ row.indicator.weight|default_if_none:"—" }}</td>
      {% for m in members %}<td class="num">{% for s in row.scores %}{% if s.member_id == m.pk %}{{ s.score }}{% endif %}{% endfor %}</td>{% endfor %}
      <td class="num">{% if row.indicator.not_applicable %}不适用{% else %}{{ row.mean|default_if_none:"—" }}{% endif %}</td>
      <td class="num">{{ row.spread|default_if_none:"—" }}</td>
      <td class="num">{{ row.indicator.score|default_if_none:"—" }}</td></tr>
  {% endfor %}
"""  # noqa: E501


def test_result_rows_are_the_template_rows_byte_for_byte():
    members = [SimpleNamespace(pk=7), SimpleNamespace(pk=3), SimpleNamespace(pk=9)]

    def scores(*pairs):
        return [MemberScore(member_id=member, score=D(score)) for member, score in pairs]

    rows = [
        GroupRow(_indicator(1, score=D("9.50")), scores(("3", "8.5"), ("7", "10.00"), ("9", "9")), expected=3),
        GroupRow(_indicator(2, name=f"会议{ODD}", weight=None), scores(("9", "0")), expected=3),  # partly scored
        GroupRow(_indicator(3, target_kind="qualitative", target_value=None, target_text=f"有效{ODD}"), [], 3),
        GroupRow(_indicator(4, not_applicable=True, weight=D("0")), [], expected=3),
    ]
    theirs = Template(RESULT_TEMPLATE).render(Context({"section_rows": rows, "members": members}))
    mine = "  " + result_rows_html(rows, members) + "\n"
    assert mine.count("<tr>") == len(rows)
    assert mine == theirs
    assert "<b>" not in mine and "会议&lt;b&gt;" in mine
