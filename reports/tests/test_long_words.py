"""An unbroken 120-character word or URL wraps at the PDF's margin instead of being cut off
(only 55 characters of it appeared before, issue 15)."""

from __future__ import annotations

import re

import pytest

from budgets.models import ProjectLine
from demo.load import demo_load
from reports.data import report_queryset
from reports.services import report_render_pdf

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db

WORD = "".join(chr(ord("a") + i % 26) for i in range(120))
URL = "https://example.gov.cn/" + "".join(chr(ord("A") + i % 26) for i in range(120 - len("https://example.gov.cn/")))


def test_long_words_and_urls_wrap_in_the_pdf():
    assert len(WORD) == len(URL) == 120
    unit_year = demo_load().unit_year
    unit_year.problems = f"{WORD}\n{URL}"
    unit_year.save()
    ProjectLine.objects.filter(unit_year=unit_year, order=1).update(name="Z" + WORD[1:])
    text = pdf_text(report_render_pdf(unit_year=report_queryset().get(pk=unit_year.pk), use_cache=False))
    running = re.sub(r"—\d+—|未定稿", "", squash(text))  # a word may go on over a page break
    for long in (WORD, URL, "Z" + WORD[1:]):  # in a paragraph, and in a table cell
        assert long in running  # every character is there …
        assert not any(long in line for line in text.splitlines())  # … on lines that fit the page
