"""The start-up warm-up leaves the first report nothing to compile: the report document and
every template it includes are in the cached template loader before any report is asked for."""

from __future__ import annotations

from django.template import engines

from reports import pdf


def _cached_names() -> set[str]:
    names: set[str] = set()
    for loader in engines["django"].engine.template_loaders:
        names |= set(getattr(loader, "get_template_cache", {}))
    return names


def test_warm_up_compiles_the_report_templates_it_includes():
    for loader in engines["django"].engine.template_loaders:
        loader.reset()
    assert pdf.REPORT_TEMPLATE not in _cached_names()
    pdf.warm_report_html()
    assert {
        "reports/report_document.html",
        "reports/_report_body.html",
        "reports/_report_table.html",
        "reports/_report_cell.html",
    } <= _cached_names()
