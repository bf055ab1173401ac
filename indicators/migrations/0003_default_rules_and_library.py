"""The national rule set (财预〔2020〕10号) as the default, and the indicator library shipped with
the common department-wide indicators (财预〔2013〕53号 and the 2020 framework) and the reference
report's own 19 indicators (2024, 安化县人大常委会办公室)."""

from decimal import Decimal

from django.db import migrations

QUALITATIVE_STANDARD = (
    "达成年度指标：得分值的80%–100%；部分达成并具有一定效果：60%–80%；未达成且效果较差：0–60%。评价时须列明佐证材料。"
)

# (tier1, tier2, name, unit, suggested target, explanation)
FRAMEWORK_2013 = [
    (
        "input",
        "goal_setting",
        "绩效目标合理性",
        "",
        "合理",
        "部门（单位）所设立的整体绩效目标依据是否充分，是否符合客观实际。",
    ),
    ("input", "goal_setting", "绩效指标明确性", "", "明确", "绩效指标是否清晰、细化、可衡量。"),
    ("input", "budget_allocation", "在职人员控制率", "%", "≤100%", "在职人员控制率＝（在职人员数÷编制数）×100%。"),
    (
        "input",
        "budget_allocation",
        "“三公经费”变动率",
        "%",
        "≤0%",
        "“三公经费”变动率＝〔（本年度“三公经费”总额－上年度“三公经费”总额）÷上年度“三公经费”总额〕×100%。",
    ),
    ("input", "budget_allocation", "重点支出安排率", "%", "≥60%", "重点支出安排率＝（重点项目支出÷项目总支出）×100%。"),
    ("process", "budget_execution", "预算完成率", "%", "≥95%", "预算完成率＝（预算完成数÷预算数）×100%。"),
    ("process", "budget_execution", "预算调整率", "%", "≤10%", "预算调整率＝（预算调整数÷预算数）×100%。"),
    ("process", "budget_execution", "支付进度率", "%", "≥90%", "支付进度率＝（实际支付进度÷既定支付进度）×100%。"),
    ("process", "budget_execution", "结转结余率", "%", "≤5%", "结转结余率＝（结转结余总额÷支出预算数）×100%。"),
    (
        "process",
        "budget_execution",
        "结转结余变动率",
        "%",
        "≤0%",
        "结转结余变动率＝〔（本年度累计结转结余资金总额－上年度累计结转结余资金总额）÷上年度累计结转结余资金总额〕×100%。",
    ),
    (
        "process",
        "budget_execution",
        "公用经费控制率",
        "%",
        "≤100%",
        "公用经费控制率＝（实际支出公用经费总额÷预算安排公用经费总额）×100%。",
    ),
    (
        "process",
        "budget_execution",
        "“三公经费”控制率",
        "%",
        "≤100%",
        "“三公经费”控制率＝（“三公经费”实际支出数÷“三公经费”预算安排数）×100%。",
    ),
    (
        "process",
        "budget_execution",
        "政府采购执行率",
        "%",
        "=100%",
        "政府采购执行率＝（实际政府采购金额÷政府采购预算数）×100%。",
    ),
    (
        "process",
        "budget_management",
        "管理制度健全性",
        "",
        "健全",
        "是否已制定或具有相应的预算资金管理办法、内部财务管理制度等。",
    ),
    ("process", "budget_management", "资金使用合规性", "", "合规", "资金使用是否符合国家财经法规和财务管理制度。"),
    ("process", "budget_management", "预决算信息公开性", "", "按规定公开", "是否按规定内容、时限公开预决算信息。"),
    ("process", "budget_management", "基础信息完善性", "", "完善", "基础数据信息和会计信息资料是否真实、完整、准确。"),
    ("process", "asset_management", "资产管理制度健全性", "", "健全", "是否已制定或具有资产管理制度。"),
    (
        "process",
        "asset_management",
        "资产管理安全性",
        "",
        "安全",
        "资产保存是否完整、配置是否合理、处置是否规范、收入是否及时足额上缴。",
    ),
    (
        "process",
        "asset_management",
        "固定资产利用率",
        "%",
        "≥90%",
        "固定资产利用率＝（实际在用固定资产总额÷所有固定资产总额）×100%。",
    ),
    ("output", "duty_performance", "实际完成率", "%", "≥95%", "实际完成率＝（实际完成工作数÷计划工作数）×100%。"),
    ("output", "duty_performance", "完成及时率", "%", "≥95%", "完成及时率＝（及时完成实际工作数÷计划工作数）×100%。"),
    ("output", "duty_performance", "质量达标率", "%", "≥95%", "质量达标率＝（质量达标实际工作数÷计划工作数）×100%。"),
    (
        "output",
        "duty_performance",
        "重点工作办结率",
        "%",
        "=100%",
        "重点工作办结率＝（已办结的重点工作数÷交办或下达的重点工作数）×100%。",
    ),
    ("effect", "duty_benefit", "经济效益", "", "有效促进", "部门履行职责对经济发展所带来的直接或间接影响。"),
    ("effect", "duty_benefit", "社会效益", "", "有效促进", "部门履行职责对社会发展所带来的直接或间接影响。"),
    ("effect", "duty_benefit", "生态效益", "", "有效改善", "部门履行职责对生态环境所带来的直接或间接影响。"),
    (
        "effect",
        "duty_benefit",
        "社会公众或服务对象满意度",
        "%",
        "≥90%",
        "社会公众或部门的服务对象对部门履职效果的满意程度。",
    ),
]

COMMON_2020 = [
    ("output", "timeliness", "工作任务按时完成率", "%", "≥95%", "按时完成的工作任务数÷计划工作任务数×100%。"),
    (
        "output",
        "cost",
        "“三公经费”支出控制",
        "万元",
        "",
        "“三公经费”实际支出不超过预算数；指标值填写预算数，如“≤11.31万元”。",
    ),
    ("benefit", "sustainable", "长效管理机制健全性", "", "长期有效", "是否建立并执行相关长效管理制度。"),
    ("satisfaction", "service_satisfaction", "服务对象满意度", "%", "≥90%", "以问卷调查等方式取得的满意率。"),
]

# The reference report's own indicators, as written there.
REFERENCE = [
    ("output", "quantity", "人大会议次数", "次", "≥20次"),
    ("output", "quantity", "人大资讯", "篇", "≥20篇"),
    ("output", "quality", "下发文件差错率", "%", "≤1%"),
    ("output", "timeliness", "工作按时完成率", "%", "≥98%"),
    ("output", "cost", "工资福利支出", "万元", "≤760万元"),
    ("output", "cost", "商品和服务支出", "万元", "≤440万元"),
    ("output", "quantity", "组织各类活动", "个", "≥3个"),
    ("output", "quantity", "代表联系群众次数", "次", "≥50次"),
    ("output", "quantity", "代表工作站运行个数", "个", "=17个"),
    ("output", "quality", "解决群众问题的完成率", "%", "≥95%"),
    ("output", "quality", "代表工作站建设质量合格率", "%", "100%"),
    ("output", "timeliness", "完成及时性", "", "2024年12月底之前完成"),
    ("output", "cost", "项目支出成本节约率", "%", "≥0%"),
    ("output", "cost", "年度项目经费总额", "万元", "≤280万元"),
    ("benefit", "economic", "促进本县经济发展", "", "有效促进"),
    ("benefit", "social", "促进社会和谐，充分发挥桥梁作用", "", "有所促进"),
    ("benefit", "environmental", "将环保意识、绿色发展要求贯穿人大各项工作中", "", "有效改善"),
    ("benefit", "sustainable", "加强同各级代表的联系，为县委决策提供依据", "", "长期有效"),
    ("satisfaction", "service_satisfaction", "群众满意度", "%", "≥97%"),
]


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("indicators", "RuleSet")
    LibraryIndicator = apps.get_model("indicators", "LibraryIndicator")
    if not RuleSet.objects.filter(is_default=True).exists():
        RuleSet.objects.create(
            name="全国通用规则（财预〔2020〕10号）",
            is_default=True,
            output_weight=Decimal("50"),
            benefit_weight=Decimal("30"),
            satisfaction_weight=Decimal("10"),
            execution_weight=Decimal("10"),
            grade_excellent=Decimal("90"),
            grade_good=Decimal("80"),
            grade_fair=Decimal("60"),
            achieved_low=Decimal("80"),
            partial_low=Decimal("60"),
            reverse_formula="ratio",
            overachievement_percent=Decimal("130"),
            note="财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）单位自评：产出50、效益30、满意度10、预算执行率10。",
        )
    rows = []
    for tier1, tier2, name, unit, target, explanation in FRAMEWORK_2013:
        standard = QUALITATIVE_STANDARD if not unit else ""
        rows.append((tier1, tier2, name, unit, target, explanation, standard, "framework_2013"))
    for tier1, tier2, name, unit, target, explanation in COMMON_2020:
        standard = QUALITATIVE_STANDARD if not unit else ""
        rows.append((tier1, tier2, name, unit, target, explanation, standard, "common"))
    for tier1, tier2, name, unit, target in REFERENCE:
        rows.append((tier1, tier2, name, unit, target, "", "", "reference"))
    for tier1, tier2, name, unit, target, explanation, standard, source in rows:
        LibraryIndicator.objects.get_or_create(
            tier1=tier1,
            tier2=tier2,
            name=name,
            unit=None,
            defaults={
                "target_unit": unit,
                "suggested_target": target,
                "explanation": explanation,
                "grading_standard": standard,
                "source": source,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("indicators", "LibraryIndicator").objects.filter(unit__isnull=True).delete()
    apps.get_model("indicators", "RuleSet").objects.filter(name="全国通用规则（财预〔2020〕10号）").delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_scoring_library_group")]

    operations = [migrations.RunPython(forwards, backwards)]
