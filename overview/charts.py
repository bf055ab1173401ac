"""Small charts of a unit's years (per-unit page), drawn as SVG by pygal on the server.

pygal emits plain SVG with no script (``js=[]``) and no external resources, so the charts work
offline, print sharply and can go into a PDF. Each chart is served as its own ``image/svg+xml``
response and shown with ``<img>``: pygal puts a ``<style>`` element in the SVG, which the page's
Content-Security-Policy would block if the SVG were inlined into the HTML. pygal's own config
``<script>`` is removed, so the SVG holds no script at all.

The numbers are the ones the page's table shows (``overview.unit_years_side_by_side``); they are
turned into floats only to place the bars and points — the printed value labels are formatted
from them with two decimals.
"""

from __future__ import annotations

from decimal import Decimal

import pygal
from pygal.etree import etree as svg_etree
from pygal.style import Style

BLUE, GREY, GREEN = "#1f4e9c", "#9aa5b1", "#1b7f4b"


def _style(*colors: str) -> Style:
    """Print-friendly: white background, dark text, light solid guides, colours that stay
    distinct in greyscale."""
    return Style(colors=colors, **STYLE)


STYLE = {
    "background": "#ffffff",
    "plot_background": "#ffffff",
    "foreground": "#212529",
    "foreground_strong": "#212529",
    "foreground_subtle": "#adb5bd",
    "opacity": "1",
    "opacity_hover": "1",
    "transition": "none",
    "font_family": "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif",
    "title_font_size": 15,
    "label_font_size": 13,
    "major_label_font_size": 13,
    "value_font_size": 12,
    "legend_font_size": 12,
    "guide_stroke_color": "#ced4da",
    "guide_stroke_dasharray": "0",
    "major_guide_stroke_color": "#ced4da",
    "major_guide_stroke_dasharray": "0",
}

CHARTS = {
    "score": "总分",
    "rate": "预算执行率（%）",
    "spending": "支出合计（万元）",
}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _config(title: str, colors: tuple[str, ...], **extra) -> dict:
    return {
        "title": title,
        "style": _style(*colors),
        "js": [],  # no script: nothing for the CSP to block, nothing fetched
        "width": 420,
        "height": 260,
        "explicit_size": False,
        "print_values": True,
        "print_values_position": "top",
        "show_y_guides": True,
        "margin": 12,
        "truncate_label": -1,
        "value_formatter": lambda v: f"{v:g}",  # the y axis: 0, 20, 40 …
        "formatter": lambda v: f"{v:.2f}",  # the printed values, as the table shows them
        "no_data_text": "暂无数据",
        **extra,
    }


def unit_chart_svg(*, kind: str, columns) -> bytes:
    """One chart (``kind`` in ``CHARTS``) of the unit's years as an SVG document."""
    years = [f"{c.year}年" for c in columns]
    if kind == "score":
        chart = pygal.Bar(**_config(CHARTS[kind], (BLUE,), show_legend=False, range=(0, 100)))
        chart.add("总分", [_num(c.values.total_score) for c in columns])
    elif kind == "rate":
        rates = [_num(c.values.execution_rate) for c in columns]
        top = max([100.0, *(r for r in rates if r is not None)])
        chart = pygal.Bar(**_config(CHARTS[kind], (GREEN,), show_legend=False, range=(0, top)))
        chart.add("预算执行率", rates)
    elif kind == "spending":
        chart = pygal.Bar(**_config(CHARTS[kind], (BLUE, GREY), legend_at_bottom=True, legend_at_bottom_columns=2))
        chart.add("全年预算数", [_num(c.values.spending_budget) for c in columns])
        chart.add("全年执行数", [_num(c.values.spending_actual) for c in columns])
    else:
        raise ValueError(f"unknown chart: {kind}")
    chart.x_labels = years
    return _without_scripts(chart.render_tree())


def _without_scripts(root) -> bytes:
    """The SVG without pygal's config ``<script>`` (pygal writes it even with ``js=[]``; it only
    feeds pygal's tooltip script, which is not loaded). Serialised by the etree pygal built the
    tree with: lxml when it is importable (python-docx brings it), else xml.etree."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + svg_etree.tostring(
        root, encoding="utf-8", xml_declaration=False
    )
