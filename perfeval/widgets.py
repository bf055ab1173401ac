"""A form renderer that formats inputs, textareas and selects in Python.

Django renders every widget through a template of its own (``django/forms/widgets/*.html``):
a page of a few hundred fields spends most of its CPU there. ``PythonWidgetRenderer`` produces
the same bytes as those templates for the widgets it knows (text-like inputs, checkboxes,
textareas, selects with their options) and hands anything else to the templates. Values and
attributes are escaped as the templates escape them (``conditional_escape``).

A form opts in with ``default_renderer = PYTHON_WIDGETS`` (the profile page's forms do).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape_text

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_W = "django/forms/widgets/"
# Templates that are input.html itself or include only it. (The renderer strips what a template
# renders: no trailing newlines.)
_INPUTS = {
    f"{_W}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
    )
}


# A page of a few hundred fields escapes a few thousand strings, most of them the same few
# (classes, labels, options): the escaped text of the latest ones is kept (a bounded cache).
_escape_str = lru_cache(maxsize=4096)(_escape_text)


@lru_cache(maxsize=8192)
def _attr(name: str, value: str) -> str:
    return f' {_escape_text(name)}="{_escape_text(value)}"'


def escape(value: object) -> str:
    """``conditional_escape(value)``, without its lazy-text wrapper for a plain ``str`` (most
    values; the same characters: Django's ``escape`` is ``html.escape``)."""
    return _escape_str(value) if type(value) is str else conditional_escape(value)


def attrs_html(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"`` each, ``True`` bare, ``False`` left out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {escape(name)}")
        elif type(value) is str and type(name) is str:
            out.append(_attr(name, value))
        else:
            out.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    text = escape(value) if value else ""
    return f'<textarea name="{escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n{text}</textarea>'


def _option(option: dict) -> str:
    attrs = attrs_html(option["attrs"])
    return f'<option value="{escape(str(option["value"]))}"{attrs}>{escape(option["label"])}</option>\n'


def _select(widget: dict) -> str | None:
    out = [f'<select name="{escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_W}select_option.html":
                return None
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class PythonWidgetRenderer(DjangoTemplates):
    """Django's template renderer, except for the widgets formatted in Python (same HTML)."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            html = None
            if template_name in _INPUTS:
                html = _input(widget)
            elif template_name == f"{_W}textarea.html":
                html = _textarea(widget)
            elif template_name == f"{_W}select.html":
                html = _select(widget)
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request=request)


PYTHON_WIDGETS = PythonWidgetRenderer()
