"""The demo's project self-evaluation (项目支出绩效自评) of the reference's ten projects.

The reference lists each project's money but publishes no project goals, indicators or results:
everything here is GENERATED for the demo — plausible for a county people's congress office,
consistent with each project's money (each spent in full from 当年财政拨款) — and says so on
every goal and indicator (``GENERATED_NOTE``). The department's own table and figures are not
touched: they stay exactly as the reference publishes them.

Per project: 预期目标, 实际完成情况, and four indicators (产出·数量, 产出·时效, 效益·社会, 满意度)
as (tier1, tier2, name, target, result), where result is the actual value of a quantitative
target, or (档次, % of the weight) of a qualitative / deadline one, plus a deviation reason when
the target was missed or far exceeded.
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from budgets.models import ProjectFunds, ProjectFundSource, ProjectKind, ProjectLine
from departments.models import UnitYear
from indicators.models import Indicator, ProjectEvaluation
from indicators.targets import parse_target

GENERATED_NOTE = "演示生成（参考报告未公开项目绩效指标）"
GOAL_SUFFIX = "（演示生成）"

DEADLINE = "2024年12月底之前完成"

# name of the project line → (预期目标, 实际完成情况, [(tier1, tier2, name, target, result, reason)])
PROJECT_EVALUATIONS: dict[str, tuple[str, str, list[tuple]]] = {
    "县人大代表活动经费": (
        "保障县人大代表开展视察、调研、联系选民等闭会期间活动，提升代表履职实效。",
        "全年组织代表集中视察调研活动，代表联系选民常态化开展，代表建议按期交办。",
        [
            (
                "output",
                "quantity",
                "代表集中视察调研次数",
                "≥4次",
                "5",
                "年中增加一次专题视察，实际开展5次，指标值设置偏低，下年度据实设定。",
            ),
            ("output", "timeliness", "代表活动完成时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "代表建议办结率", "≥95%", "96", ""),
            ("satisfaction", "service_satisfaction", "代表满意度", "≥90%", "94", ""),
        ],
    ),
    "国、省人大代表专项活动经费": (
        "保障驻县国、省人大代表开展专题调研和联系群众活动。",
        "协助驻县国、省人大代表完成专题调研，反映的意见建议已按程序报送。",
        [
            ("output", "quantity", "组织国、省人大代表专题调研次数", "≥2次", "2", ""),
            ("output", "timeliness", "调研报告报送时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "反映群众意见建议件数", "≥10件", "12", ""),
            ("satisfaction", "service_satisfaction", "代表满意度", "≥90%", "95", ""),
        ],
    ),
    "乡镇人大工作经费": (
        "支持各乡镇人大主席团规范开展工作，推进乡镇人大代表之家（站）建设。",
        "各乡镇人大按期召开人代会，代表之家（站）正常运行，个别站点活动频次不足。",
        [
            ("output", "quantity", "代表之家（站）正常运行个数", "=17个", "17", ""),
            ("output", "timeliness", "经费拨付时限", DEADLINE, ("achieved", "100"), ""),
            (
                "benefit",
                "social",
                "站点活动开展达标率",
                "≥95%",
                "90",
                "部分偏远站点受交通条件影响活动频次不足，已纳入下年度督导重点。",
            ),
            ("satisfaction", "service_satisfaction", "乡镇人大满意度", "≥90%", "93", ""),
        ],
    ),
    "农民健康行、环保世纪行、农产品质量安全行、民族团结进步行、司法公正安化行": (
        "围绕五项主题开展监督宣传活动，推动相关领域问题整改。",
        "五项主题活动全部开展，发现问题已交办整改，个别问题整改尚在推进。",
        [
            ("output", "quantity", "主题监督活动开展项数", "=5项", "5", ""),
            ("output", "timeliness", "活动完成时限", DEADLINE, ("achieved", "100"), ""),
            (
                "benefit",
                "social",
                "交办问题整改完成率",
                "≥90%",
                "85",
                "部分问题涉及资金和跨部门协调，整改周期较长；已建立台账跟踪督办。",
            ),
            ("satisfaction", "service_satisfaction", "群众对主题活动满意度", "≥90%", "92", ""),
        ],
    ),
    "县人大常委会组成人员履职培训与人大系统工作人员业务培训": (
        "组织常委会组成人员和人大系统工作人员履职能力培训，提升依法履职水平。",
        "完成集中培训和专题讲座，参训人员履职能力得到提升。",
        [
            ("output", "quantity", "培训人次", "≥150人次", "162", ""),
            ("output", "timeliness", "培训完成时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "履职能力提升", "有效提升", ("achieved", "90"), ""),
            ("satisfaction", "service_satisfaction", "参训人员满意度", "≥90%", "96", ""),
        ],
    ),
    "机关基层党组织活动经费": (
        "保障机关党支部开展主题党日、党员教育等组织生活。",
        "主题党日按月开展，党员教育培训按计划完成。",
        [
            ("output", "quantity", "主题党日活动次数", "≥12次", "12", ""),
            ("output", "timeliness", "活动完成时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "党员教育覆盖率", "100%", "100", ""),
            ("satisfaction", "service_satisfaction", "党员满意度", "≥90%", "97", ""),
        ],
    ),
    "离退休干部公用经费": (
        "保障离退休干部活动和走访慰问，落实离退休干部待遇。",
        "按时开展节日走访慰问，离退休干部活动正常组织。",
        [
            ("output", "quantity", "走访慰问人次", "≥30人次", "32", ""),
            ("output", "timeliness", "慰问完成时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "离退休干部待遇落实", "全面落实", ("achieved", "95"), ""),
            ("satisfaction", "service_satisfaction", "离退休干部满意度", "≥95%", "98", ""),
        ],
    ),
    "县人大常委会会议、主任会议及县委交办专题调研及执法检查等工作": (
        "保障常委会会议、主任会议召开，完成年度执法检查和专题调研任务。",
        "常委会会议、主任会议按计划召开，执法检查和专题调研完成，审议意见已交办。",
        [
            ("output", "quantity", "执法检查和专题调研项数", "≥6项", "7", ""),
            ("output", "timeliness", "年度监督计划完成时限", DEADLINE, ("achieved", "100"), ""),
            (
                "benefit",
                "social",
                "审议意见落实",
                "有效落实",
                ("partial", "75"),
                "个别审议意见涉及长期性工作，年内仅部分落实；已纳入跟踪监督。",
            ),
            ("satisfaction", "service_satisfaction", "常委会组成人员满意度", "≥90%", "93", ""),
        ],
    ),
    "财政绩效评价（人大与财政同步监督）": (
        "对重点支出项目开展人大与财政同步绩效监督，提高财政资金使用效益。",
        "完成重点项目绩效监督，评价结果已反馈有关部门。",
        [
            ("output", "quantity", "绩效监督项目个数", "≥5个", "5", ""),
            ("output", "timeliness", "评价报告完成时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "评价发现问题整改率", "≥90%", "92", ""),
            ("satisfaction", "service_satisfaction", "被评价单位满意度", "≥85%", "90", ""),
        ],
    ),
    "人大财政预算联网服务运行维护费": (
        "保障人大预算联网监督系统稳定运行，实现预算执行数据实时查询。",
        "系统全年稳定运行，预算执行数据按月更新。",
        [
            ("output", "quantity", "接入预算单位数", "≥80个", "86", ""),
            ("output", "timeliness", "故障修复时限", DEADLINE, ("achieved", "100"), ""),
            ("benefit", "social", "系统正常运行率", "≥98%", "99.5", ""),
            ("satisfaction", "service_satisfaction", "使用人员满意度", "≥90%", "93", ""),
        ],
    ),
}


def demo_project_tables_create(unit_year: UnitYear) -> bool:
    """Each of the ten projects' goal, money by source (all 当年财政拨款, as the reference's
    project amounts are appropriations) and indicator table — generated (``demo.projects``)."""
    lines = {line.name: line for line in ProjectLine.objects.filter(unit_year=unit_year, kind=ProjectKind.PROJECT)}
    evaluations, funds, rows = [], [], []
    for name, (goal, _outcome, table) in PROJECT_EVALUATIONS.items():
        line = lines[name]
        evaluations.append(ProjectEvaluation(project=line, expected_goal=goal + GOAL_SUFFIX))
        funds.append(
            ProjectFunds(
                project=line,
                source=ProjectFundSource.APPROPRIATION,
                initial_budget=line.initial_budget,
                full_year_budget=line.full_year_budget,
                actual=line.actual,
            )
        )
        for order, (tier1, tier2, ind_name, target, _result, _reason) in enumerate(table, start=1):
            parsed = parse_target(target)
            indicator = Indicator(
                unit_year=unit_year,
                project=line,
                fund_category="project",
                order=order,
                tier1=tier1,
                tier2=tier2,
                name=ind_name,
                target_kind=parsed.kind,
                comparator=parsed.comparator,
                target_value=parsed.value,
                target_unit=parsed.unit,
                target_text=parsed.text,
                deadline=parsed.deadline,
                note=GENERATED_NOTE,
            )
            indicator.full_clean()
            rows.append(indicator)
    for model, objs in ((ProjectEvaluation, evaluations), (ProjectFunds, funds), (Indicator, rows)):
        bulk_create_with_history(objs, model)  # each with a history record, as the demo's other rows
    return True
