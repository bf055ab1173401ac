"""The indicator editor's rows and per-row forms, written in Python (``indicators.editor``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from indicators.editor import row_writer

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_rows(context, formset) -> SafeString:
    """The editor table's rows (the ``<tr>``s of ``formset``'s forms, errors included).
    Context: unit_year, version, project, csrf_token."""
    return row_writer(context, formset).rows()


@register.simple_tag(takes_context=True)
def editor_row_forms(context, formset) -> SafeString:
    """The ↑ / ↓ / 存入指标库 forms of the saved rows, placed after the table's form."""
    return row_writer(context, formset).row_forms()
