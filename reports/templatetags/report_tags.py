"""Formatting for the report templates. Every filter returns plain text (autoescaped)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html

from reports import prose

register = template.Library()


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """A multi-line text field as its paragraphs: one per non-empty line."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


@register.filter
def points(value) -> str:
    return prose.score_text(value)


@register.filter
def cn_number(value: int) -> str:
    return prose.chinese_number(int(value))


# Long labels that may break only where a reader would: 服务对象 / 满意度指标, 可持续 / 影响指标.
BREAK_POINTS = {"服务对象满意度指标": 4, "可持续影响指标": 3}


@register.filter
def breakable(text) -> str:
    """The text escaped, with <wbr> at the one place a long label may break."""
    text = "" if text is None else str(text)
    at = BREAK_POINTS.get(text)
    if at is None:
        return conditional_escape(text)
    return format_html("{}<wbr>{}", text[:at], text[at:])
