"""The rows of 收支与项目's four tables, written in Python.

The page has about 130 money cells and a row per project; as templates (a row template
including a cell template per field) they were most of the page's CPU once the widgets were
formatted in Python (``perfeval.widgets``). These tags write the same bytes the row templates
wrote — ``budgets/tests/reference_templates/`` keeps them and ``test_figures_html.py`` compares the
whole page both ways — from the same context: widgets through ``str(bound_field)`` (the form
renderer), every other value escaped as ``{{ value }}`` escapes it (``_text``).
"""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from perfeval.templatetags.numbers import change_dash, change_percent_dash, money_dash, percent_dash
from perfeval.widgets import escape

register = template.Library()

_TYPED = '<span class="small text-muted">（填报）</span>'
_ERROR = '<div class="invalid-feedback d-block" id="{}-error">{}</div>'


def _text(value) -> str:
    """``value`` as ``{{ value }}`` writes it: localised, then escaped unless already safe."""
    if type(value) is not str:
        value = localize(value)
        value = value if isinstance(value, str) else str(value)
    return escape(value)


def _errors(field) -> str:
    """The field's messages, each with the id its input's aria-describedby names."""
    errors = field.errors
    if not errors:
        return ""
    auto_id = _text(field.auto_id)
    return "".join(_ERROR.format(auto_id, _text(error)) for error in errors)


def _cell(field, editable: bool) -> str:
    """One money cell: the input and its messages while editable, the plain value after 送审."""
    if editable:
        return f"<td>{field}{_errors(field)}</td>\n"
    value = field.value()
    return f'<td class="num">{_text(value) if value else "—"}</td>\n'


def _value_or_blank(field) -> str:
    value = field.value()
    return "" if value is None else _text(value)


@register.simple_tag
def amount_rows(rows, group: str, editable: bool) -> SafeString:
    """The income or spending lines (the view's ``income_rows`` / ``spending_rows``)."""
    group = _text(group)
    out = []
    for row in rows:
        label = _text(row["label"])
        cells = "".join(_cell(field, editable) for field in row["form"])
        if row["is_total"]:  # the total in force: as typed, else the sum of its parts (budgets/figures.py)
            total = row["total"]
            rate, change = total.execution_rate, total.change
            outs = (f"{group}.total.rate", f"{group}.total.change", f"{group}.total.pct")
        else:
            rate, change = row["fig"].execution_rate, row["fig"].change
            outs = ("rate", "change", "pct")
        light, typed = (' class="table-light"', _TYPED) if row["is_total"] else ("", "")
        out.append(
            f'<tr data-line-group="{group}" data-line="{_text(row["key"])}" data-label="{label}"{light}>\n'
            f'  <th scope="row" class="fw-normal row-label{" ps-4" if row["indent"] else ""}">{label}{typed}</th>\n'
            f"  {cells}\n"
            f"  \n"
            f'  <td class="num" data-out="{outs[0]}">{_text(percent_dash(rate))}</td>\n'
            f'  <td class="num" data-out="{outs[1]}">{_text(change_dash(change))}</td>\n'
            f'  <td class="num" data-out="{outs[2]}">{_text(change_percent_dash(change))}</td>\n'
            f"  \n"
            f"</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def total_row(key: str, label: str, amounts) -> SafeString:
    """A computed total (the sum of the parts), next to the total as typed."""
    key = _text(key)
    cells = "".join(
        f'  <td class="num" data-out="{key}.{name}">{_text(money_dash(getattr(amounts, name)))}</td>\n'
        for name in ("initial_budget", "full_year_budget", "actual", "previous_year")
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<tr class="table-secondary" data-total="{key}">\n'
        f'  <th scope="row">{_text(label)}</th>\n'
        f"{cells}"
        f'  <td class="num" data-out="{key}.rate">{_text(percent_dash(amounts.execution_rate))}</td>\n'
        f'  <td class="num" data-out="{key}.change">{_text(change_dash(amounts.change))}</td>\n'
        f'  <td class="num" data-out="{key}.pct">{_text(change_percent_dash(amounts.change))}</td>\n'
        f"</tr>\n"
    )


@register.simple_tag
def three_public_rows(rows, editable: bool) -> SafeString:
    """The 三公经费 lines (the view's ``tp_rows``)."""
    out = []
    for row in rows:
        label = _text(row["label"])
        cells = "".join(_cell(field, editable) for field in row["form"])
        change = row["fig"].change
        out.append(
            f'\n      <tr data-tp-row data-label="{label}">\n'
            f'        <th scope="row" class="fw-normal row-label">{label}</th>\n'
            f"        {cells}\n"
            f'        <td class="num" data-out="change">{_text(change_dash(change))}</td>\n'
            f'        <td class="num" data-out="pct">{_text(change_percent_dash(change))}</td>\n'
            f"      </tr>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _project_row(form, editable: bool) -> str:
    rate = _text(percent_dash(getattr(form, "execution_rate", None)))
    money = "".join(f"  {_cell(form[name], editable)}\n" for name in ("initial_budget", "full_year_budget", "actual"))
    if not editable:
        return (
            "<tr data-project-row>\n  \n"
            f'  <td class="num">{_value_or_blank(form["order"])}</td>\n'
            f"  <td>{_value_or_blank(form['name'])}</td>\n"
            f"{money}"
            f'  <td class="num" data-out="rate">{rate}</td>\n'
            f"  <td>{_value_or_blank(form['usage'])}</td>\n"
            "  \n</tr>\n"
        )
    order, name, kind = form["order"], form["name"], form["kind"]
    non_field = "".join(
        f'<div class="invalid-feedback d-block">{_text(error)}</div>' for error in form.non_field_errors()
    )
    delete = f'<label class="small text-nowrap">{form["DELETE"]} 删除</label>' if "DELETE" in form.fields else ""
    return (
        "<tr data-project-row>\n  \n"
        f"  <td>{form['id']}{order}{_errors(order)}</td>\n"
        f"  <td>{name}{kind}{_errors(kind)}{_errors(name)}{non_field}</td>\n"
        f"{money}"
        f'  <td class="num" data-out="rate">{rate}</td>\n'
        f"  <td>{form['usage']}</td>\n"
        f'  <td class="text-center text-nowrap">{delete}</td>\n'
        "  \n</tr>\n"
    )


@register.simple_tag
def project_rows(forms, editable: bool) -> SafeString:
    """A row per project form (the formset, or one form: the row template for ＋ 添加项目)."""
    forms = [forms] if hasattr(forms, "fields") else forms
    return mark_safe("".join(_project_row(form, editable) for form in forms))  # noqa: S308 - escaped above
