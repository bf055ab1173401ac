"""Formatting for the report templates. Every filter returns plain text (autoescaped)."""

from __future__ import annotations

from django import template

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
