"""The direction of a target written without a comparator ("3%", "100%", "2200篇"). Pure.

Published tables often leave the comparator out; a reviewer reads it from the indicator's
meaning: a 预算调整率 of "3%" is a ceiling (≤3%), a 完成率 of "100%" a floor (≥100%). The app
proposes that reading — the library entry's direction first, then the wording of the name, then
the tier 2 and the unit — and the finance officer confirms or changes it (``Indicator.direction``).
"=" is never proposed from wording: only an exact count is "=", and only the officer (or a
library entry) says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import Direction, Tier2

# Words naming what should stay low. Checked with FLOOR_WORDS; the word nearest the end of the
# name wins (the head of a Chinese compound comes last: 成本节约率 is a 节约率, a floor).
CEILING_WORDS = (
    "控制率",
    "调整率",
    "结转结余率",
    "结余率",
    "结转率",
    "变动率",
    "差错率",
    "错误率",
    "失误率",
    "投诉率",
    "事故率",
    "发生率",
    "不合格率",
    "返工率",
    "逾期率",
    "超支率",
    "闲置率",
    "空置率",
    "损失率",
    "违规",
    "投诉",
    "事故",
    "差错",
    "成本",
    "支出",
    "费用",
    "经费",
    "单价",
)
FLOOR_WORDS = (
    "完成率",
    "覆盖率",
    "利用率",
    "使用率",
    "满意度",
    "满意率",
    "合格率",
    "达标率",
    "及时率",
    "办结率",
    "执行率",
    "到位率",
    "知晓率",
    "参与率",
    "支付进度",
    "节约率",
    "增长率",
    "完好率",
    "入库率",
    "公开率",
    "数量",
    "次数",
    "人数",
    "个数",
    "场次",
    "篇数",
)


@dataclass(frozen=True)
class Proposal:
    direction: str  # a Direction, or "" when nothing in the indicator says
    why: str  # "指标库", "名称含“调整率”", "成本指标" …


def propose_direction(*, name: str, tier2: str = "", unit: str = "", library_direction: str = "") -> Proposal:
    """The direction a reviewer would read into a bare target of this indicator."""
    if library_direction:
        return Proposal(library_direction, "指标库")
    best: tuple[int, int, str, str] | None = None  # (end, length, word, direction)
    for direction, words in ((Direction.CEILING, CEILING_WORDS), (Direction.FLOOR, FLOOR_WORDS)):
        for word in words:
            at = (name or "").rfind(word)
            if at < 0:
                continue
            candidate = (at + len(word), len(word), word, direction)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is not None:
        return Proposal(best[3], f"名称含“{best[2]}”")
    if tier2 == Tier2.COST or unit in ("万元", "元"):
        return Proposal(Direction.CEILING, "成本指标" if tier2 == Tier2.COST else f"计量单位为“{unit}”")
    if tier2 == Tier2.SERVICE_SATISFACTION:
        return Proposal(Direction.FLOOR, "满意度指标")
    if tier2 == Tier2.QUANTITY:
        return Proposal(Direction.FLOOR, "数量指标")
    return Proposal("", "")
