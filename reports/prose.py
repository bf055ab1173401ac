"""The report's generated sentences. Every figure comes from ``budgets.figures`` (the same
objects the tables render), so prose and tables cannot disagree. Plain text: the template
escapes it. A sentence whose figures are not stated is left out rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgets.figures import Change, YearFigures, spending_share
from budgets.models import IncomeSource, SpendingKind
from departments.models import OrganKind
from indicators.models import FundCategory, Tier1
from indicators.scoring import Rules, YearScore
from indicators.vocabulary import Band, NoBudgetRule, TargetKind

from .data import ReportData

CN_DIGITS = "零一二三四五六七八九"


def wan(value: Decimal | None) -> str:
    """1304.57 -> "1304.57万元" (two decimals, as the reference writes amounts)."""
    return "" if value is None else f"{value:.2f}万元"


def amount_text(value: Decimal | None) -> str:
    """A table cell: "1304.57", blank when not stated."""
    return "" if value is None else f"{value:.2f}"


def pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}%"


def score_text(value: Decimal | None) -> str:
    """Scores drop trailing zeros of whole numbers: 97.00 -> "97", 8.50 -> "8.5"."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 1 -> 一, 10 -> 十, 13 -> 十三, 21 -> 二十一."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _change_clause(change: Change | None, *, with_percent: bool = True) -> str:
    """ "，比上年1326.27万元减少21.70万元，减少1.64%" — empty when last year is not stated."""
    if change is None:
        return ""
    if change.amount == 0:
        return f"，与上年{wan(change.previous)}持平"
    clause = f"，比上年{wan(change.previous)}{change.direction}{wan(change.abs_amount)}"
    if with_percent and change.abs_percent is not None:
        clause += f"，{change.direction}{pct(change.abs_percent)}"
    return clause


def _with_note(sentence: str, lead: str, note: str) -> str:
    note = note.strip()
    return f"{sentence}{lead}{note}" if note else sentence


def income_sentence(*, year: int, figures: YearFigures, note: str = "") -> str:
    """二（一）收入: "2024年，单位预算收入1304.57万元（经人大批准的年初预算收入880.51万元），比上年
    1326.27万元减少21.70万元，减少1.64%。其中：一般公共预算财政拨款收入年初预算…，比上年…。主要变化是：……"

    "其中" names a part of the total on the same basis (the year-start budget). A part stated
    larger than its total (the reference prints 1269.21 under a year-start total of 880.51) is
    not printed as a part: the sentence names each figure with its basis and says they do not
    agree, and the unit's written explanation follows as a note."""
    total = figures.income_total
    if total.current is None:
        return ""
    text = f"{year}年，单位预算收入{wan(total.current)}"
    if total.initial_budget is not None and total.initial_budget != total.current:
        text += f"（经人大批准的年初预算收入{wan(total.initial_budget)}）"
    text += _change_clause(total.change) + "。"
    general = figures.income_line(IncomeSource.GENERAL_PUBLIC)
    if general.initial_budget is not None:
        parent = figures.income_line(IncomeSource.APPROPRIATION).initial_budget
        parent_label = "财政拨款收入年初预算"
        if parent is None:
            parent, parent_label = total.initial_budget, "年初预算收入合计"
        part = f"一般公共预算财政拨款收入年初预算{wan(general.initial_budget)}"
        change = _change_clause(general.initial_change, with_percent=False)
        if parent is not None and general.initial_budget > parent:
            text += f"{part}{change}，大于{parent_label}{wan(parent)}，两者口径不一致。"
        else:
            text += f"其中：{part}{change}。"
    return _with_note(text, "主要变化是：", note)


def spending_sentence(*, year: int, figures: YearFigures, note: str = "") -> str:
    """ "2024年，本单位支出1304.57万元，比上年1336.76万元减少32.19万元，减少2.41%。增减变化的主要原因是：……" """
    total = figures.spending_total
    if total.current is None:
        return ""
    text = f"{year}年，本单位支出{wan(total.current)}" + _change_clause(total.change) + "。"
    return _with_note(text, "增减变化的主要原因是：", note)


def project_budget_sentence(*, year: int, figures: YearFigures) -> str:
    """ "2024年项目支出年初预算236.00万元，年中追加39.61万元，全年预算275.61万元：" — each figure
    named with its basis (docs/domain.md §2); year-start + adjustment = full-year, as the project
    table's 合计 row shows."""
    line = figures.spending_line(SpendingKind.PROJECT).prefer(figures.project_totals)
    initial, full_year = line.initial_budget, line.full_year_budget
    if initial is None and full_year is None:
        return f"{year}年项目支出情况如下：" if figures.projects else ""
    if initial is None:
        return f"{year}年项目支出全年预算{wan(full_year)}："
    if full_year is None or full_year == initial:
        return f"{year}年项目支出预算{wan(initial)}："
    adjustment = line.adjustment
    assert adjustment is not None
    step = "年中追加" if adjustment > 0 else "年中调减"
    return f"{year}年项目支出年初预算{wan(initial)}，{step}{wan(abs(adjustment))}，全年预算{wan(full_year)}："


def project_items(figures: YearFigures) -> list[str]:
    """ "县人大代表活动经费31.00万元；" per project, with what the money was used for when given."""
    items = []
    for project in figures.projects:
        text = f"{project.name}{wan(project.amount)}"
        if project.usage.strip():
            text += f"，{project.usage.strip().rstrip('。；;')}"
        items.append(text + "；")
    return items


def project_usage_sentence(*, figures: YearFigures, note: str = "") -> str:
    """ "上述实际使用236.00万元，……" — the sum of the amounts listed above."""
    amount = figures.project_amount_sum
    if amount is None:
        return note.strip()
    text = f"上述实际使用{wan(amount)}"
    note = note.strip()
    return f"{text}，{note}" if note else f"{text}。"


def scale_paragraphs(*, year: int, figures: YearFigures, unit_name: str, affiliated: Sequence[str]) -> list[str]:
    """一（二）整体支出规模、使用方向和主要内容、涉及范围 — written from the figures."""
    paragraphs = []
    total = figures.spending_total
    if total.full_year_budget is not None or total.actual is not None:
        text = f"{year}年，本单位整体支出"
        parts = []
        if total.full_year_budget is not None:
            parts.append(f"全年预算{wan(total.full_year_budget)}")
        if total.actual is not None:
            parts.append(f"全年执行{wan(total.actual)}")
        if total.execution_rate is not None:
            parts.append(f"预算执行率{pct(total.execution_rate)}")
        paragraphs.append(text + "，".join(parts) + "。")
    basic = figures.spending_line(SpendingKind.BASIC)
    project = figures.spending_line(SpendingKind.PROJECT)
    uses = []
    if basic.current is not None:
        text = f"基本支出{wan(basic.current)}"
        share = spending_share(figures, SpendingKind.BASIC)
        if share is not None:
            text += f"，占{pct(share)}"
        uses.append(text + "，用于保障机关正常运转，包括人员经费和日常公用经费")
    if project.current is not None or figures.projects:
        amount = project.current if project.current is not None else figures.project_totals.current
        text = f"项目支出{wan(amount)}"
        share = spending_share(figures, SpendingKind.PROJECT)
        if share is not None:
            text += f"，占{pct(share)}"
        named = figures.itemised_projects
        if named:
            names = "、".join(p.name for p in named[:3])
            more = "等" if len(named) > 3 else ""
            text += f"，用于{names}{more}{len(named)}个项目"
            if figures.unitemised_projects:  # the mid-year addition is not a project of its own
                text += "及" + "、".join(p.label for p in figures.unitemised_projects)
        uses.append(text)
    if uses:
        paragraphs.append("从使用方向看：" + "；".join(uses) + "。")
    three = figures.three_public_total
    if three.budget is not None or three.actual is not None:
        parts = [f"{t.label}{wan(t.budget)}" for t in figures.three_public if t.budget is not None]
        text = f"“三公”经费预算{wan(three.budget)}" if three.budget is not None else "“三公”经费"
        if parts:
            text += "，其中" + "、".join(parts)
        if three.actual is not None:
            text += f"；实际支出{wan(three.actual)}"
        paragraphs.append(text + "。")
    scope = f"涉及范围：{unit_name}本级"
    if affiliated:
        scope += f"及所属事业单位{len(affiliated)}个（{'、'.join(affiliated)}）"
    paragraphs.append(scope + "。")
    return paragraphs


def indicator_summary_sentence(counts: dict[str, int]) -> str:
    """ "年度绩效指标共19项，其中基本经费6项、项目经费13项；产出指标14项、效益指标4项、满意度指标1项。" """
    total = sum(counts.get(g, 0) for g in FundCategory.values)
    if not total:
        return ""
    groups = "、".join(f"{label}{counts[v]}项" for v, label in FundCategory.choices if counts.get(v))
    tiers = "、".join(f"{label}{counts[v]}项" for v, label in Tier1.choices if counts.get(v))
    return f"年度绩效指标共{total}项，其中{groups}；按一级指标分，{tiers}。"


def numbered(items: Sequence[str], *, sep: str = "；", end: str = "。") -> str:
    """ "1、……；2、……。" in one sentence (the reference's style for goal lists)."""
    cleaned = [item.strip().rstrip("。；;") for item in items if item.strip()]
    if not cleaned:
        return ""
    return sep.join(f"{i}、{text}" for i, text in enumerate(cleaned, start=1)) + end


def score_sentence(*, year: int, score: YearScore) -> str:
    """ "2024年度部门整体支出绩效自评综合得分97分，评价等级为“优”。" """
    if score.total is None:
        return ""
    text = f"{year}年度部门整体支出绩效自评综合得分{score_text(score.total)}分"
    if score.grade:
        text += f"，评价等级为“{score.grade}”"
    text += "。"
    if score.execution_rate is not None:
        text += f"其中预算执行率{pct(score.execution_rate)}，得{score_text(score.execution_score)}分"
        text += f"；绩效指标得{score_text(score.indicator_points)}分。"
    if not score.complete:
        text += f"（尚有{score.unscored}项指标未评分，得分为当前合计。）"
    return text


def _num(value: Decimal) -> str:
    """A weight or bound as the rules write it: 50 -> "50", 7.5 -> "7.5"."""
    return format(value.normalize(), "f")


POLICY_BASIS = "《财政部关于印发〈项目支出绩效评价管理办法〉的通知》（财预〔2020〕10号）"


def basis_sentence(rules: Rules) -> str:
    """ "本次自评依据…，按“全国通用规则（财预〔2020〕10号）”评分。" — the rule set in force by name."""
    return f"本次自评依据{POLICY_BASIS}及本级财政部门的有关规定，按“{rules.name}”评分。"


def method_sentences(rules: Rules) -> list[str]:
    """The method of the rules in force: weights, qualitative bands, execution score, grades,
    and the execution-rate ladder and over-achievement deduction when the rules have them."""
    weights = "、".join(
        f"{label}{_num(rules.tier1_weights[v])}分" for v, label in Tier1.choices if v in rules.tier1_weights
    )
    full = rules.indicator_weight_total + rules.execution_weight
    sentences = [f"评分采用百分制（满分{_num(full)}分）：{weights}，预算执行率{_num(rules.execution_weight)}分。"]
    bands = []
    for value, label in Band.choices:
        if value not in rules.qualitative_bands:
            continue
        low, high = rules.qualitative_bands[value]
        upper = "" if high >= 100 else "（不含）"
        bands.append(f"“{label}”得分值的{_num(low)}%（含）至{_num(high)}%{upper}")
    if bands:
        sentences.append("定量指标按实际完成值与指标值的比例计分；定性指标分三档：" + "，".join(bands) + "。")
    execution = f"预算执行率得分＝预算执行率×{_num(rules.execution_weight)}分，执行率超过100%的按100%计"
    if rules.no_budget == NoBudgetRule.NOT_APPLICABLE:
        execution += "；全年预算数为0的，预算执行率不适用，其余分值折算为100分"
    sentences.append(execution + "。")
    grades = []
    bands_desc = list(rules.grade_bands)
    for pos, (low, label) in enumerate(bands_desc):
        if pos == 0:
            grades.append(f"{_num(low)}分（含）以上为“{label}”")
        elif low == 0:
            grades.append(f"{_num(bands_desc[pos - 1][0])}分以下为“{label}”")
        else:
            grades.append(f"{_num(low)}分（含）至{_num(bands_desc[pos - 1][0])}分为“{label}”")
    sentences.append("评价等级：" + "，".join(grades) + "。")
    if rules.execution_caps:
        caps = "，".join(f"低于{_num(below)}%的总分最高{_num(cap)}分" for below, cap in rules.execution_caps)
        sentences.append(f"预算执行率封顶：执行率{caps}（同时适用多级时取最低上限）。")
    if rules.overachievement_deduction is not None:
        sentences.append(
            f"实际完成值达到指标值{_num(rules.overachievement_percent)}%及以上的，视为指标设置偏离，"
            f"扣{_num(rules.overachievement_deduction)}分。"
        )
    return sentences


# -- the report's sentences, assembled -----------------------------------------------------------


@dataclass(frozen=True)
class BudgetColumn:
    """One column of the 年度预算情况 table: its group (the merged header above), label, amount."""

    group: str
    label: str
    amount: Decimal | None


@dataclass(frozen=True)
class ReportProse:
    """The generated sentences of one report (see ``reports.prose``)."""

    score: str
    organs: str
    scale: list[str]
    long_term_goals: str
    annual_goals: str
    overall_goals: str
    indicator_summary: str
    income: str
    spending: str
    project_budget: str
    project_items: list[str]
    project_usage: str
    budget_row: list[BudgetColumn]
    execution_weight: object
    basis: str
    method: list[str]
    three_public: str
    analysis: list[str]
    goal_achievements: list[str]


def _budgeted(amounts) -> object:
    """The budget a table of 年度预算 shows: the full-year budget, else the year-start one."""
    return amounts.full_year_budget if amounts.full_year_budget is not None else amounts.initial_budget


def organs_sentence(data: ReportData) -> str:
    """ "机构设置：本单位设置7个专门委员会：…；2个办事（工作）机构：…；所属事业单位2个：…。" """
    parts = []
    for group in data.organ_groups:
        names = "、".join(group.names)
        if group.kind == OrganKind.AFFILIATED:
            parts.append(f"所属事业单位{len(group.names)}个：{names}")
        else:
            parts.append(f"设置{len(group.names)}个{group.label}：{names}")
    if not parts:
        return ""
    return f"机构设置：{data.unit_year.unit.name}" + "；".join(parts) + "。"


def report_prose(data: ReportData) -> ReportProse:
    uy, f = data.unit_year, data.figures
    affiliated = next((g.names for g in data.organ_groups if g.kind == OrganKind.AFFILIATED), [])
    income, spending, three = "年度收入预算", "年度支出预算", "三公经费预算支出"
    budget_row = [
        BudgetColumn(income, "财政拨款", _budgeted(f.income_line(IncomeSource.APPROPRIATION))),
        BudgetColumn(income, "非税收入", _budgeted(f.income_line(IncomeSource.NON_TAX))),
        BudgetColumn(income, "其他收入", _budgeted(f.income_line(IncomeSource.OTHER))),
        BudgetColumn(income, "收入合计", _budgeted(f.income_total)),
        BudgetColumn(spending, "基本支出", _budgeted(f.spending_line(SpendingKind.BASIC))),
        BudgetColumn(spending, "项目支出", _budgeted(f.spending_line(SpendingKind.PROJECT))),
        BudgetColumn(spending, "支出合计", _budgeted(f.spending_total)),
        *(BudgetColumn(three, t.label, t.budget) for t in f.three_public),
        BudgetColumn(three, "合计", f.three_public_total.budget),
    ]
    return ReportProse(
        score=score_sentence(year=uy.year, score=data.score),
        organs=organs_sentence(data),
        scale=scale_paragraphs(year=uy.year, figures=f, unit_name=uy.unit.name, affiliated=affiliated),
        long_term_goals=numbered([g.text for g in data.long_term_goals]),
        annual_goals=numbered([g.text for g in data.annual_goals]),
        overall_goals=numbered([g.text for g in data.overall_goals]),
        indicator_summary=indicator_summary_sentence(data.counts),
        income=income_sentence(year=uy.year, figures=f, note=uy.income_change_note),
        spending=spending_sentence(year=uy.year, figures=f, note=uy.spending_change_note),
        project_budget=project_budget_sentence(year=uy.year, figures=f),
        project_items=project_items(f),
        project_usage=project_usage_sentence(figures=f, note=uy.project_usage_note),
        budget_row=budget_row,
        execution_weight=data.rules.execution_weight,
        basis=basis_sentence(data.rules),
        method=method_sentences(data.rules),
        three_public=three_public_sentence(year=uy.year, figures=f),
        analysis=analysis_paragraphs(data),
        goal_achievements=goal_achievements(data),
    )


def three_public_sentence(*, year: int, figures: YearFigures) -> str:
    """ "2024年“三公”经费预算X万元，实际支出Y万元，比上年Z万元减少…。其中：公务接待费预算…，实际支出…；…" —
    the parts listed are those of the total (the same ``three_public`` figures)."""
    total = figures.three_public_total
    if total.budget is None and total.actual is None:
        return ""
    text = f"{year}年“三公”经费"
    parts = []
    if total.budget is not None:
        parts.append(f"预算{wan(total.budget)}")
    if total.actual is not None:
        parts.append(f"实际支出{wan(total.actual)}")
    text += "，".join(parts) + _change_clause(total.change) + "。"
    items = []
    for t in figures.three_public:
        item = [f"预算{wan(t.budget)}"] if t.budget is not None else []
        if t.actual is not None:
            item.append(f"实际支出{wan(t.actual)}")
        if item:
            items.append(t.label + "，".join(item) + _change_clause(t.change, with_percent=False))
    if items:
        text += "其中：" + "；".join(items) + "。"
    return text


def indicator_outcome(indicator, rules: Rules) -> str:
    """ "met", "partial" or "missed"; "" when not scored, not weighted or not applicable.

    A qualitative indicator is judged by the band its score lies in (a score in the 达成年度指标
    band is met: the rules ask no 偏差原因 there); any other by its score: full marks met, at or
    above the 部分达成 band's lower bound (as a share of the weight) partly met, else missed."""
    if indicator.not_applicable or indicator.score is None or not indicator.weight:
        return ""
    share = indicator.score * 100 / indicator.weight
    if indicator.target_kind == TargetKind.QUALITATIVE:
        achieved_low = rules.qualitative_bands.get(Band.ACHIEVED, (Decimal("80"), Decimal("100")))[0]
        if share >= achieved_low:
            return "met"
    elif indicator.score >= indicator.weight:
        return "met"
    partial_low = rules.qualitative_bands.get(Band.PARTIAL, (Decimal("60"), Decimal("80")))[0]
    return "partial" if share >= partial_low else "missed"


def goal_achievements(data: ReportData) -> list[str]:
    """ "1、…" per 年度绩效目标 whose 实际完成情况 is entered (numbered as the goals are)."""
    return [
        f"{i}、{g.achievement.strip().rstrip('。；;')}"
        for i, g in enumerate(data.annual_goals, start=1)
        if g.achievement.strip()
    ]


def analysis_paragraphs(data: ReportData) -> list[str]:
    """四 analysis from the scored table: how many indicators met / partly met / missed, each
    shortfall with its 偏差原因, the execution rate, the total and grade, the points lost and where."""
    rules, score = data.rules, data.score
    outcomes = [(i, indicator_outcome(i, rules)) for i in data.indicators]
    judged = [(i, o) for i, o in outcomes if o]
    if not judged:
        return []
    met = sum(1 for _, o in judged if o == "met")
    partial = [i for i, o in judged if o == "partial"]
    missed = [i for i, o in judged if o == "missed"]
    paragraphs = [
        f"年度绩效指标已评价{len(judged)}项，其中全部达成{met}项、部分达成{len(partial)}项、未达成{len(missed)}项。"
    ]
    for label, items in (("部分达成", partial), ("未达成", missed)):
        for i in items:
            text = f"{label}：“{i.name}”，指标值{i.target_display}"
            if i.actual_display:
                text += f"，实际完成{i.actual_display}"
            text += f"，得{score_text(i.score)}分（分值{score_text(i.weight)}分）"
            reason = i.deviation_reason.strip().rstrip("。")
            text += f"；偏差原因：{reason}。" if reason else "；未填写偏差原因。"
            paragraphs.append(text)
    if score.execution_rate is not None:
        paragraphs.append(
            f"预算执行率{pct(score.execution_rate)}，得{score_text(score.execution_score)}分"
            f"（分值{score_text(rules.execution_weight)}分）。"
        )
    lost: dict[str, Decimal] = {}
    for i, _ in judged:  # a met qualitative indicator may still score below its weight
        if i.score < i.weight:
            lost[i.tier1] = lost.get(i.tier1, Decimal("0")) + (i.weight - i.score)
    if score.execution_score is not None and score.execution_score < rules.execution_weight:
        lost["execution"] = rules.execution_weight - score.execution_score
    if score.total is not None:
        text = f"综合得分{score_text(score.total)}分"
        if score.grade:
            text += f"，评价等级为“{score.grade}”"
        total_lost = sum(lost.values(), Decimal("0"))
        if total_lost:
            labels = dict(Tier1.choices) | {"execution": "预算执行率"}
            where = "、".join(f"{labels[k]}{score_text(v)}分" for k, v in lost.items())
            text += f"；共失{score_text(total_lost)}分，其中{where}"
        paragraphs.append(text + "。")
    return paragraphs


def project_summary_paragraphs(*, year: int, projects: Sequence) -> list[str]:
    """三、项目组织实施情况分析: the projects' self-evaluation in sentences, from data — how many
    were evaluated and their average score, then each project's money, execution rate, score,
    grade and main misses (the indicators that lost points), and the projects not evaluated
    with their reason. ``projects``: ``reports.projects.ProjectReport`` values. Empty when no
    project was taken up."""
    evaluated = [p for p in projects if p.evaluated]
    excluded = [p for p in projects if not p.included]
    if not evaluated and not excluded:
        return []
    scored = [p.score.total for p in evaluated if p.score.total is not None]
    lead = f"{year}年度纳入项目支出绩效自评的项目共{len(evaluated)}个"
    if scored:
        average = sum(scored, Decimal(0)) / len(scored)
        lead += f"，平均得分{score_text(average.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}分"
    paragraphs = [lead + "。"]
    for n, p in enumerate(evaluated, start=1):
        f = p.figure
        parts = [f"{n}、{p.name}：全年预算{wan(f.full_year_budget) or '未填报'}"]
        if f.actual is not None:
            parts.append(f"执行{wan(f.actual)}")
        if f.execution_rate is not None:
            parts.append(f"预算执行率{pct(f.execution_rate)}")
        if p.score.total is not None and p.score.complete:
            parts.append(f"自评得分{score_text(p.score.total)}分，等级为“{p.score.grade}”")
        else:
            parts.append("尚未完成评分")
        sentence = "，".join(parts)
        misses = [
            f"{i.name}（指标值{i.target_display}，实际完成{i.actual_display or '未填写'}，"
            f"得{score_text(i.score)}分/满分{score_text(i.weight)}分）"
            for i in p.misses[:3]
        ]
        sentence += "；主要差距：" + "、".join(misses) + "。" if misses else "；各项指标均已完成。"
        paragraphs.append(sentence)
    for p in excluded:
        reason = p.exclusion_reason.strip().rstrip("。")
        paragraphs.append(f"{p.name}不纳入本年度自评（理由：{reason}）。")
    return paragraphs
