"""The rows of 评分 and 评分结果, written in Python.

A 评分 row is the indicator (name, target, weight), the member's inputs (实际完成值, 评价档次,
得分, 调整理由, 偏差原因) and its own little form (保存, posted by the page's script or by hand).
Through the template and one ``MemberScoreForm`` per row this was most of the page's CPU: five
widgets, a URL reversal and a CSRF token per row, forty rows. Here what is the same on every row
(the inputs rendered once from the form with placeholders, the band options, the save URL, the
token) is made once per page, and each row is one pass of string formatting in which every
value — names, targets, actual values, reasons — goes through ``perfeval.widgets.escape`` or
``format_html``. A 评分结果 row (each member's score, the mean, the spread, the confirmed score)
is written the same way.

The HTML is byte for byte what the templates wrote (``MemberScoreForm`` still parses a row's
POST and defines the inputs: names, labels, lengths, classes, aria-*):
``indicators/tests/test_scoring_rows.py`` keeps the former row templates and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django import forms
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from perfeval.widgets import escape

from .forms import MemberScoreForm
from .vocabulary import TargetKind, Tier1, Tier2, label_of

if TYPE_CHECKING:
    from .models import Indicator, MemberScore
    from .selectors import GroupRow


@dataclass
class ScoreRow:
    """One indicator of the table with what the member saved for it (``saved`` None: nothing,
    or a score measured against an earlier target) and the inputs' values."""

    indicator: Indicator
    saved: MemberScore | None
    values: dict[str, object] = field(default_factory=dict)  # MemberScoreForm's initial data
    stale_note: str = ""


# Placeholders for what differs between rows: rendered once into a MemberScoreForm, replaced per
# row. Never in the form's own attributes; a row's values are put in after the replacement.
_PK, _LABEL, _VALUE = "\x00", "\x01", "\x02"


@dataclass(frozen=True)
class _Widget:
    """One input as MemberScoreForm renders it, cut around its value: ``head`` + value +
    ``tail``, with ``_PK`` and ``_LABEL`` (the row's indicator id and name) still in them."""

    kind: str  # "input", "textarea" or "select"
    head: str
    tail: str
    options: dict[str, str]  # a select's options by the selected value ("\x02": none selected)

    def html(self, pk: str, label: str, value: object) -> str:
        head = self.head.replace(_PK, pk).replace(_LABEL, label)
        tail = self.tail.replace(_PK, pk).replace(_LABEL, label)
        if self.kind == "select":
            text = "" if value is None else str(value)
            return head + self.options.get(text, self.options[_VALUE]) + tail
        if value is None or value == "":
            return head + tail
        text = escape(str(value))
        return head + (f' value="{text}"' if self.kind == "input" else text) + tail


@cache
def _widgets() -> dict[str, _Widget]:
    """The row's inputs from one MemberScoreForm (names, ids, classes, lengths, aria-* are the
    form's), rendered with the placeholders."""

    def render(name: str, value: str) -> str:
        form = MemberScoreForm(initial={name: value}, prefix=f"s{_PK}", form_id=f"f-{_PK}", row_label=_LABEL)
        return str(form[name])

    widgets = {}
    for name, form_field in MemberScoreForm.base_fields.items():
        html = render(name, _VALUE)
        if isinstance(form_field.widget, forms.Select):
            head, tail = html[: html.index(">") + 1], "\n</select>"
            options = {_VALUE: html[len(head) : -len(tail)]}
            for value, _label in form_field.choices:
                options[str(value)] = render(name, value)[len(head) : -len(tail)]
            widgets[name] = _Widget("select", head, tail, options)
        elif isinstance(form_field.widget, forms.Textarea):
            head, tail = html.split(_VALUE)
            widgets[name] = _Widget("textarea", head, tail, {})
        else:
            head, tail = html.split(f' value="{_VALUE}"')
            widgets[name] = _Widget("input", head, tail, {})
        assert _VALUE not in head + tail, html
    return widgets


class _Localized(dict):
    """``{{ value }}`` of the template for the numbers of one page: localised (as the template
    engine does), each distinct number once — a page repeats few (weights, targets, scores)."""

    def __call__(self, value: object) -> str:
        if value is None:
            return ""
        key = (type(value), str(value))  # str keeps a Decimal's exponent: 10.0 and 10.00 differ
        text = self.get(key)
        if text is None:
            text = self[key] = str(localize(value))
        return text


_ROW = (
    '\n    <tr id="row-{pk}" data-testid="score-row" data-name="{name}" data-kind="{kind}"'
    ' data-comparator="{comparator}"\n        data-target="{target}" data-weight="{weight}">\n'
    '      <td>{name}<div class="small text-muted">{tier1} / {tier2}</div>{stale}</td>\n'
    "      <td>{target_display}{reading}{standard}</td>\n"
    '      <td class="num">{weight_shown}</td>\n'
    "      {cells}\n"
    "    </tr>\n  "
)
_NOT_APPLICABLE = '\n      <td colspan="7" class="text-muted">不适用，不参与评分</td>\n      '
_CELLS = (
    "\n"
    '      <td>{actual}<div class="invalid-feedback" id="id_s{pk}-actual-error"></div></td>\n'
    "      <td>{band}</td>\n"
    '      <td class="num"><span class="proposed">{proposed}</span><div class="small text-warning over-flag">'
    '{over}</div><div class="small text-danger deduction-note" data-testid="deduction-note">{deduction}</div></td>\n'
    '      <td>{score}<div class="invalid-feedback" id="id_s{pk}-score-error"></div></td>\n'
    '      <td>{override}<div class="invalid-feedback" id="id_s{pk}-override_reason-error"></div></td>\n'
    '      <td>{deviation}<div class="invalid-feedback" id="id_s{pk}-deviation_reason-error"></div></td>\n'
    '      <td class="text-nowrap">\n'
    '        <form method="post" id="f-{pk}" class="score-form" action="{action}">{csrf}\n'
    "          {button}\n"
    "        </form>\n"
    '        <div class="row-status small {saved_class}" data-testid="row-status" role="status">{saved_text}</div>\n'
    "      </td>\n      "
)
_BAND_CELL = (
    '{select}<div class="invalid-feedback" id="id_s{pk}-band-error"></div>'
    '<div class="small text-muted band-range"></div>'
)


def score_rows_html(
    rows: list[ScoreRow], *, save_url: Callable[[int], str], csrf_token: str, can_score: bool
) -> SafeString:
    """The ``<tbody>`` rows of the 评分 table. ``save_url(pk)`` is a row's save URL
    (``indicators:scoring_save`` reversed once: ``perfeval.urlfill``); ``csrf_token`` the page's."""
    e = escape
    number = _Localized()
    widgets = _widgets()
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token) if csrf_token else ""
    out = []
    for row in rows:
        ind, saved, values = row.indicator, row.saved, row.values
        pk, name = str(ind.pk), e(ind.name)
        if ind.not_applicable:
            cells = _NOT_APPLICABLE
        else:

            def widget(field: str) -> str:
                return widgets[field].html(pk, name, values.get(field))  # noqa: B023 - used at once

            band = '<span class="text-muted small">按公式</span>'
            if ind.target_kind != TargetKind.QUANTITATIVE:
                band = _BAND_CELL.format(select=widget("band"), pk=pk)
            button = ""
            if can_score:
                button = format_html(
                    '<button type="submit" class="btn btn-sm btn-outline-primary" aria-label="{}">保存</button>',
                    f"保存“{ind.name}”的评分",
                )
            cells = _CELLS.format(
                pk=pk,
                actual=widget("actual"),
                band=band,
                proposed=e(number(saved.proposed_score)) if saved is not None else "",
                over="超额完成，指标值可能偏低" if saved is not None and saved.over_achieved else "",
                deduction=e(saved.deduction_note) if saved is not None else "",
                score=widget("score"),
                override=widget("override_reason"),
                deviation=widget("deviation_reason"),
                action=e(save_url(ind.pk)),
                csrf=csrf,
                button=button,
                saved_class="saved" if saved else "",
                saved_text="已保存" if saved else "",
            )
        reading = ""
        if ind.is_bare:
            reading = format_html(
                '<div class="small text-muted" data-testid="target-reading">{}</div>',
                ind.target_reading if ind.direction else "未写比较符，方向未确认，按“=”评分",
            )
        out.append(
            _ROW.format(
                pk=pk,
                name=name,
                kind=e(ind.target_kind),
                comparator=e(ind.scoring_comparator),
                target=e(number(ind.target_value)),
                weight=e(number(ind.weight)),
                tier1=e(label_of(Tier1, ind.tier1)),  # get_tier1_display() builds a dict per call
                tier2=e(label_of(Tier2, ind.tier2)),
                stale=format_html('<div class="small text-danger" data-testid="stale-scores">{}</div>', row.stale_note)
                if row.stale_note
                else "",
                target_display=e(ind.target_display),
                reading=reading,
                standard=format_html('<div class="small text-muted">{}</div>', ind.grading_standard)
                if ind.grading_standard
                else "",
                weight_shown=e(number(ind.weight)) if ind.weight is not None else "未设",
                cells=cells,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


_RESULT_ROW = (
    '\n    <tr><td>{name}</td><td>{target}</td><td class="num">{weight}</td>\n'
    "      {members}\n"
    '      <td class="num">{mean}</td>\n'
    '      <td class="num">{spread}</td>\n'
    '      <td class="num">{confirmed}</td></tr>\n  '
)


def result_rows_html(rows: list[GroupRow], members: list) -> SafeString:
    """The rows of one section of 评分结果's table: each indicator with every member's score (in
    the order of ``members``), the mean, the spread and the confirmed score."""
    e = escape
    number = _Localized()
    out = []
    for row in rows:
        ind = row.indicator
        by_member = {s.member_id: s.score for s in row.scores}
        cells = "".join(f'<td class="num">{e(number(by_member.get(m.pk)))}</td>' for m in members)
        mean, spread = row.mean, row.spread
        out.append(
            _RESULT_ROW.format(
                name=e(ind.name),
                target=e(ind.target_display),
                weight=e(number(ind.weight)) if ind.weight is not None else "—",
                members=cells,
                mean="不适用" if ind.not_applicable else e(number(mean)) if mean is not None else "—",
                spread=e(number(spread)) if spread is not None else "—",
                confirmed=e(number(ind.score)) if ind.score is not None else "—",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
