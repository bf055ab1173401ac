"""Reasons a reviewer may give when sending a year back (退回), as reviewers word them
(docs/domain.md §5). The indicator-quality findings map onto the first seven; the others cover
the figures, the texts and the basic information."""

from __future__ import annotations

from indicators.quality import INDICATOR_REASONS

FIGURE_REASONS: tuple[str, ...] = (
    "收支数据有误",
    "项目明细与项目支出不一致",
    "数据校验提示未说明原因",
)
TEXT_REASONS: tuple[str, ...] = (
    "文字说明不完整",
    "偏差原因分析不充分",
    "基本信息不完整",
)

SEND_BACK_REASONS: tuple[str, ...] = INDICATOR_REASONS + FIGURE_REASONS + TEXT_REASONS
