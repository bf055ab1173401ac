"""The indicator table editor's rows, written in Python.

The editor shows ~40 rows of 12 inputs each, an error slot under every input and three small
per-row forms (↑, ↓, 存入指标库). Written by the template language, a row cost an ``{% include %}``
per cell, a widget rendering per input (Django builds a dict for each of the 614 options of a
table's selects), two URL reversals per row and half the page's CPU. Here a row is formatted in
Python, with what is the same on every row computed once per page: each select's options (with
and without ``selected``), the per-row forms' URLs (reversed once, the row's id put in) and the
CSRF field. The stored table (a GET) is written from its indicators without a form per row
(``_StoredRow``: the values and attrs its form would have); a refused save from its forms.

The HTML is the same, byte for byte, as the template loop it replaced writes
(``indicators/tests/test_editor_rows.py`` renders both on the demo table, a refused save with
errors on every kind of field, a project's table and hostile text): ids, names, labels,
``aria-label``, ``aria-describedby`` and ``aria-invalid`` included. Every value from the database
or the user is escaped (``perfeval.widgets.escape`` is ``conditional_escape`` without its lazy-string wrapper); a
widget of a kind not handled here is rendered by Django (``str(bound_field)``).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.forms.boundfield import BoundField
from django.forms.models import model_to_dict
from django.forms.utils import pretty_name
from django.forms.widgets import Input
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe

from perfeval.urlfill import url_filler
from perfeval.widgets import attrs_html, escape

_W = "django/forms/widgets/"
_INPUT_TEMPLATES = {f"{_W}{name}.html" for name in ("input", "text", "number", "hidden")}


class _Options:
    """A select's options written once (each with and without ``selected``), for every row whose
    select has the same choices; a row picks the first option its value matches, as
    ``ChoiceWidget.optgroups`` does."""

    def __init__(self, choices: list) -> None:
        self.choices = choices
        # (value, plain html, selected html) per option; a str for an optgroup's opening or end
        self.parts: list[tuple[str, str, str] | str] = []
        for option_value, option_label in choices:
            if isinstance(option_label, list | tuple):
                self.parts.append(f'\n  <optgroup label="{escape(option_value)}">')
                self.parts += [self._option(v, label) for v, label in option_label]
                self.parts.append("\n  </optgroup>")
            else:
                self.parts.append(self._option("" if option_value is None else option_value, option_label))

    @staticmethod
    def _option(value, label) -> tuple[str, str, str]:
        text, shown = str(value), escape(label)
        return (
            text,
            f'\n  <option value="{escape(text)}">{shown}</option>\n',
            f'\n  <option value="{escape(text)}" selected>{shown}</option>\n',
        )

    def html(self, values: list[str]) -> str:
        out = []
        chosen = False
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif not chosen and part[0] in values:
                chosen = True
                out.append(part[2])
            else:
                out.append(part[1])
        return "".join(out)


class _Cell:
    """What writing one input needs: a bound field's (``of``) or a stored row's (``_StoredRow``)."""

    __slots__ = ("attrs", "auto_id", "errors", "field", "html_name", "name", "required", "value")

    def __init__(self, *, field, name, html_name, auto_id, attrs, value, errors=None, required=False):
        self.field, self.name, self.html_name, self.auto_id = field, name, html_name, auto_id
        self.attrs, self.value, self.errors, self.required = attrs, value, errors, required

    @property
    def label(self) -> str:
        """``BoundField.label``."""
        return pretty_name(self.name) if self.field.label is None else self.field.label

    @classmethod
    def of(cls, bf: BoundField) -> _Cell:
        field, form = bf.field, bf.form
        widget = field.widget
        return cls(
            field=field,
            name=bf.name,
            html_name=bf.html_name,
            auto_id=bf.auto_id,
            attrs=widget.attrs,
            value=bf.value(),
            errors=form.errors.get(bf.name) if form.is_bound else None,
            required=bool(form.use_required_attribute and field.required and widget.use_required_attribute(bf.initial)),
        )


def widget_html(bf: BoundField, shared: dict[str, _Options] | None = None) -> str:
    """``str(bf)``: the widget as Django writes it (``BoundField.as_widget`` through the widget's
    template), for inputs, checkboxes, textareas and selects; anything else through Django.
    ``shared``: the options written for each field name so far (the rows of one table)."""
    if not handled(bf.field):
        return str(bf)
    return _widget(_Cell.of(bf), shared)


def handled(field) -> bool:
    """Whether ``_widget`` writes this field's widget (else Django's templates do)."""
    widget = field.widget
    template = widget.template_name
    if field.show_hidden_initial or field.localize or isinstance(widget, forms.MultiWidget):
        return False
    if isinstance(widget, forms.CheckboxInput):
        return template == f"{_W}checkbox.html"
    if isinstance(widget, Input):
        return template in _INPUT_TEMPLATES
    if isinstance(widget, forms.Textarea):
        return template == f"{_W}textarea.html"
    return (
        type(widget) is forms.Select
        and not widget.allow_multiple_selected
        and template == f"{_W}select.html"
        and widget.option_template_name == f"{_W}select_option.html"
    )


def _widget(cell: _Cell, shared: dict[str, _Options] | None) -> str:
    field, value = cell.field, cell.value
    widget = field.widget
    base = cell.attrs
    extra = _extra_attrs(cell, widget)
    if cell.auto_id and "id" not in base:
        extra.setdefault("id", cell.auto_id)
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(value):
            extra = {**extra, "checked": True}
        return _input(widget, cell.html_name, widget.format_value(value), {**base, **extra})
    if isinstance(widget, Input):
        return _input(widget, cell.html_name, widget.format_value(value), {**base, **extra})
    if isinstance(widget, forms.Textarea):
        text = widget.format_value(value)
        return (
            f'<textarea name="{escape(cell.html_name)}"{attrs_html({**base, **extra})}>\n'
            f"{escape(text) if text else ''}</textarea>"
        )
    choices = widget.choices
    if not isinstance(choices, list):  # e.g. a ModelChoiceField's: read once, not shared
        options = _Options(list(choices))
    elif shared is None:
        options = _Options(choices)
    else:
        options = shared.get(cell.name)
        if options is None or (options.choices is not choices and options.choices != choices):
            options = shared[cell.name] = _Options(choices)
    return (
        f'<select name="{escape(cell.html_name)}"{attrs_html({**base, **extra})}>'
        f"{options.html(widget.format_value(value))}\n</select>"
    )


def _extra_attrs(cell: _Cell, widget) -> dict:
    """``BoundField.build_widget_attrs`` without its repeated ``errors`` (an empty list made at
    each look on an unbound form)."""
    field, auto_id, errors = cell.field, cell.auto_id, cell.errors
    extra: dict = {}
    if cell.required:
        extra["required"] = True
    if field.disabled:
        extra["disabled"] = True
    hidden = widget.is_hidden
    if errors and not hidden:
        extra["aria-invalid"] = "true"
    if not cell.attrs.get("aria-describedby") and not widget.use_fieldset and auto_id and not hidden:
        described = [f"{auto_id}_helptext"] if field.help_text else []
        if errors:
            described.append(f"{auto_id}_error")
        if described:
            extra["aria-describedby"] = " ".join(described)
    return extra


def _input(widget, name: str, value, attrs: dict) -> str:
    shown = "" if value is None else f' value="{escape(value)}"'
    return f'<input type="{escape(widget.input_type)}" name="{escape(name)}"{shown}{attrs_html(attrs)}>'


class _StoredRow:
    """A row of an unbound formset written without its form: the values ``IndicatorForm`` would
    show (``model_to_dict`` of the indicator, its target as people write it) and the attrs it
    would carry (the class's, then ``IndicatorForm.row_attrs``), as ``_Cell``s. Only the table
    of an unbound formset; a refused save is written from its forms (values typed, errors)."""

    def __init__(self, formset, index: int, instance, delete_field) -> None:
        self.instance = instance
        self.prefix = formset.add_prefix(index)
        self.form = formset.form
        self.row_attrs = self.form.row_attrs(self.prefix)
        meta = self.form._meta
        self.initial = model_to_dict(instance, meta.fields, meta.exclude)
        if instance.pk:
            self.initial["target"] = instance.target_display  # IndicatorForm.__init__
        self.extra_fields = {"id": formset.id_field(instance._state.db), "DELETE": delete_field}
        self.id_value = instance.pk
        self.auto_id = formset.auto_id

    def __getitem__(self, name: str) -> _Cell:
        field = self.form.base_fields.get(name)
        if field is None:
            field = self.extra_fields[name]
            value = self.id_value if name == "id" else None
            attrs = field.widget.attrs
        else:
            value = self.initial.get(name, field.initial)
            if callable(value):
                value = value()
            attrs = {**field.widget.attrs, **self.row_attrs.get(name, {})}
        html_name = f"{self.prefix}-{name}"
        return _Cell(
            field=field,
            name=name,
            html_name=html_name,
            auto_id=self.auto_id % html_name if "%s" in self.auto_id else self.auto_id and html_name,
            attrs=attrs,
            value=field.prepare_value(value),
        )

    def hidden_fields(self) -> list[_Cell]:
        names = [n for n, f in self.form.base_fields.items() if f.widget.is_hidden]
        return [self[n] for n in [*names, "id"]]

    def non_field_errors(self) -> list:
        return []


class RowWriter:
    """Writes a formset's rows for one page: ``rows()`` the table's body, ``row_forms()`` the
    ↑ / ↓ / 存入指标库 forms after the table's form."""

    def __init__(self, formset, *, unit_year, version, project, csrf_field: str) -> None:
        self.formset = formset
        self.version = escape(version)
        self.project_field = f'<input type="hidden" name="project" value="{escape(project.pk)}">' if project else ""
        self.csrf_field = csrf_field
        self._options: dict[str, _Options] = {}
        self._table: list = []
        code, year = unit_year.unit.code, unit_year.year
        move = url_filler("indicators:move", "slug", "int", "int", "slug")
        to_library = url_filler("indicators:to_library", "slug", "int", "int")
        self.up: Callable[[int], str] = lambda pk: escape(move(code, year, pk, "up"))
        self.down: Callable[[int], str] = lambda pk: escape(move(code, year, pk, "down"))
        self.to_library: Callable[[int], str] = lambda pk: escape(to_library(code, year, pk))

    # -- cells -----------------------------------------------------------------------------------

    def widget(self, cell: _Cell | BoundField) -> str:
        if isinstance(cell, BoundField):
            return widget_html(cell, self._options)
        return _widget(cell, self._options)

    @staticmethod
    def errors(cell: _Cell | BoundField) -> str:
        """``indicators/_field_errors.html`` (with its closing newline)."""
        form = getattr(cell, "form", None)
        errors = (form.errors.get(cell.name) if form.is_bound else None) if form is not None else cell.errors
        if not errors:
            return "\n"
        text = " ".join(escape(e) for e in errors)
        return f'<div class="invalid-feedback d-block" id="{escape(cell.auto_id)}-error">{text}</div>\n'

    def cell(self, cell: _Cell | BoundField) -> str:
        return f"\n        <td>{self.widget(cell)}{self.errors(cell)}</td>"

    # -- rows ------------------------------------------------------------------------------------

    def row(self, form) -> str:
        instance = form.instance
        out = ['\n      <tr data-testid="indicator-row">\n        ']
        out += [self.widget(bf) for bf in form.hidden_fields()]
        out += [self.cell(form[name]) for name in ("fund_category", "order", "tier1", "tier2", "name")]
        target, direction = form["target"], form["direction"]
        out.append(f"\n        <td>{self.widget(target)}")
        if instance.pk:
            out.append(f'<div class="small text-muted">{escape(instance.get_target_kind_display())}</div>')
        out.append(f"{self.errors(target)}\n          ")
        if instance.is_bare:
            out.append(
                f'<div class="small bare-target" data-testid="target-reading">{escape(instance.target_reading)}</div>\n'
                f'          <label class="small">{escape(direction.label)} {self.widget(direction)}</label>'
                f"{self.errors(direction)}"
            )
        out.append("</td>")
        out += [self.cell(form[name]) for name in ("weight", "grading_standard")]
        out.append(
            '\n        <td class="row-actions small">\n'
            f'          <label class="text-nowrap">{self.widget(form["not_applicable"])} 不适用</label>\n          '
        )
        if instance.pk:
            pk, name = int(instance.pk), escape(instance.name)
            button = '<button type="submit" class="btn btn-link btn-sm p-0"'
            out.append(
                f'<label class="text-nowrap ms-1">{self.widget(form["DELETE"])} 删除</label>\n'
                '          <div class="text-nowrap">\n'
                f'          {button} form="up-{pk}" title="上移" aria-label="上移“{name}”">↑</button>\n'
                f'          {button} form="down-{pk}" title="下移" aria-label="下移“{name}”">↓</button>\n'
                f'          {button} form="lib-{pk}" aria-label="将“{name}”存入指标库">存入指标库</button>\n'
                "          </div>\n        "
            )
        else:
            out.append('<div class="text-muted">新增</div>')
        out.append("</td>\n      </tr>\n      ")
        non_field = form.non_field_errors()
        if non_field:
            text = " ".join(escape(e) for e in non_field)
            out.append(f'<tr><td colspan="10" class="text-danger small">{text}</td></tr>')
        out.append("\n    ")
        return "".join(out)

    def _rows(self) -> list:
        """The formset's forms; unbound, its rows without forms (``_StoredRow``): the same
        values and attrs, without building and copying a form of twelve fields per row."""
        formset = self.formset
        if formset.is_bound or "forms" in formset.__dict__ or not all(map(handled, formset.form.base_fields.values())):
            return list(formset)
        stored = formset.get_queryset()
        initial = formset.initial_form_count()
        delete_field = formset.delete_field()
        return [
            _StoredRow(formset, i, stored[i] if i < initial else formset.model(), delete_field)
            for i in range(formset.total_form_count())
        ]

    def rows(self) -> SafeString:
        self._table = self._rows()
        return mark_safe("".join(self.row(form) for form in self._table))  # noqa: S308 - escaped above

    def row_forms(self) -> SafeString:
        """The hidden forms the ↑ / ↓ / 存入指标库 buttons of saved rows submit."""
        claim = f'<input type="hidden" name="version" value="{self.version}">{self.project_field}'
        out = []
        for form in self._table or self._rows():
            if not form.instance.pk:
                continue
            pk = int(form.instance.pk)
            out.append(
                f'\n<form method="post" id="up-{pk}" action="{self.up(pk)}">{self.csrf_field}{claim}</form>\n'
                f'<form method="post" id="down-{pk}" action="{self.down(pk)}">{self.csrf_field}{claim}</form>\n'
                f'<form method="post" id="lib-{pk}" action="{self.to_library(pk)}">{self.csrf_field}</form>\n'
            )
        return mark_safe("".join(out))  # noqa: S308 - escaped above


def row_writer(context, formset) -> RowWriter:
    """The page's writer (one per page: the options and URLs are shared by its two calls)."""
    writer = context.render_context.get(RowWriter)
    if writer is None or writer.formset is not formset:
        writer = RowWriter(
            formset,
            unit_year=context["unit_year"],
            version=context["version"],
            project=context.get("project"),
            csrf_field=CsrfTokenNode().render(context),
        )
        context.render_context[RowWriter] = writer
    return writer
