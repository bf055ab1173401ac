"""The demo county (示例县): thirty synthetic units over three years, so the overview, a unit's
charts and the batch show what a finance bureau sees. Nothing here is real: every name says
示例, and every figure is generated from a seeded random generator (the same on every load).

The figures are consistent the way a careful unit's are: income equals spending in every column,
the parts add up to their totals, projects add up to 项目支出, nothing is overspent and execution
rates lie between 85 and 100 per cent — so the 数据校验 finds nothing and the years can be
finalised. Each year is taken through the flow with the services a user's clicks call (送审,
开始评价, scoring, the lead's confirmation, 退回, 定稿), so its 修改记录 and StatusChange history
are what the app would have recorded; past steps are then dated in the spring after the year.

The reference unit (``demo.data``) is not touched.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import Duty, Membership, Role, Unit, UnitYear
from flow import services as flow
from flow.models import StatusChange
from indicators import services as indicators
from indicators.models import Goal, Indicator
from indicators.scoring import qualitative_range
from indicators.selectors import rules_for_year
from indicators.targets import parse_target

REGION = "示例县"
CODE_PREFIX = "DEMO-"
YEARS = (2022, 2023, 2024)
SEED = "perfeval-demo-county"

# (name, 2022 full-year budget in 万元 roughly, function, three projects of its own)
UNITS: tuple[tuple[str, int, str, tuple[str, str, str]], ...] = (
    ("教育局", 9800, "教育事业发展规划与管理", ("义务教育薄弱环节改善", "学生资助", "教师培训")),
    ("卫生健康局", 4200, "卫生健康事业管理", ("基本公共卫生服务", "家庭医生签约服务", "卫生应急能力建设")),
    ("公安局", 6100, "治安管理与刑事侦查", ("天网工程运行维护", "禁毒宣传教育", "执法办案中心运行")),
    ("民政局", 3300, "社会救助与社会福利", ("城乡低保资金管理", "养老服务体系建设", "殡葬改革")),
    ("人力资源和社会保障局", 2100, "就业与社会保障", ("职业技能培训", "就业创业服务", "劳动保障监察")),
    ("财政局", 1500, "财政预算管理与监督", ("预算管理一体化运行维护", "财政投资评审", "会计人员继续教育")),
    ("发展和改革局", 900, "经济社会发展规划", ("重点项目前期工作", "价格监测", "粮食安全保障")),
    ("自然资源局", 2600, "国土空间规划与自然资源管理", ("国土空间规划编制", "不动产登记", "耕地保护")),
    ("住房和城乡建设局", 3800, "城乡建设与住房保障", ("老旧小区改造", "农村危房改造", "建筑市场监管")),
    ("交通运输局", 4600, "交通基础设施与运输管理", ("农村公路养护", "客运站运行补助", "交通安全隐患整治")),
    ("水利局", 3900, "水利工程与水资源管理", ("小型水库除险加固", "河长制工作", "农村饮水安全")),
    ("农业农村局", 5200, "农业农村发展", ("高标准农田建设", "动物疫病防控", "农技推广服务")),
    ("林业局", 2300, "林业资源保护与发展", ("森林防火", "林长制工作", "国土绿化")),
    ("商务局", 800, "商贸流通与对外经济", ("电子商务进农村", "招商引资", "市场保供")),
    ("文化旅游广电体育局", 1700, "文化旅游与体育事业", ("公共文化服务", "全域旅游宣传", "全民健身活动")),
    ("应急管理局", 1300, "应急管理与安全生产", ("安全生产监管", "防汛抗旱物资储备", "应急救援队伍建设")),
    ("审计局", 700, "审计监督", ("政府投资项目审计", "经济责任审计", "审计信息化")),
    ("统计局", 500, "统计调查与分析", ("经济普查", "统计执法检查", "统计数据质量核查")),
    ("市场监督管理局", 2400, "市场监管与质量安全", ("食品安全抽检", "特种设备检验", "知识产权保护")),
    ("医疗保障局", 1100, "医疗保障管理", ("医保基金监管", "医保经办服务", "医保信息化")),
    ("司法局", 1200, "法治建设与法律服务", ("人民调解", "法律援助", "社区矫正")),
    ("退役军人事务局", 1000, "退役军人服务保障", ("优抚对象服务", "退役军人就业培训", "烈士纪念设施维护")),
    ("生态环境局", 1900, "生态环境保护", ("大气污染防治", "水环境监测", "农村环境整治")),
    ("工业和信息化局", 1100, "工业经济与信息化", ("中小企业服务", "园区基础设施", "工业企业安全生产")),
    ("科学技术局", 600, "科技创新与推广", ("科技特派员", "高新技术企业培育", "科普宣传")),
    ("城市管理和综合执法局", 2800, "城市管理与综合执法", ("环卫保洁", "市政设施维护", "违法建设整治")),
    ("融媒体中心", 900, "新闻宣传与媒体融合", ("县级融媒体平台运行", "重大主题宣传", "应急广播建设")),
    ("档案馆", 300, "档案收集与利用", ("档案数字化", "档案库房维护", "档案编研")),
    ("图书馆", 350, "公共阅读服务", ("图书购置", "全民阅读推广", "乡镇分馆建设")),
    ("机关事务服务中心", 1400, "机关后勤保障", ("公务用车平台运行", "机关办公区物业", "节约型机关建设")),
)

# Where each of the 30 units stands in the 2024 flow (the two earlier years are finalised,
# except two units still finishing 2023). "returned" is a draft sent back (退回) with reasons.
FINALISED, EVALUATING, SUBMITTED, RETURNED, DRAFT = "finalised", "evaluating", "submitted", "returned", "draft"
STATES_2024 = [FINALISED] * 8 + [EVALUATING] * 6 + [SUBMITTED] * 5 + [RETURNED] * 4 + [DRAFT] * 7  # 30, in unit order
LATE_2023 = {5: EVALUATING, 12: SUBMITTED}  # unit index → its 2023 state (2024 then a draft)
SEND_BACK = (["收支数据有误", "偏差原因分析不充分"], "请核对项目支出全年执行数，并补充偏差原因。")
ROLES = (Role.OFFICER, Role.LEADER, Role.EVALUATOR)
ROLE_NAMES = {Role.OFFICER: "财务人员", Role.LEADER: "单位领导", Role.EVALUATOR: "评价小组成员"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CountyResult:
    units: int
    years: int
    created: bool
    usernames: tuple[str, str]  # the first and the last officer, for the printed summary


def unit_code(index: int) -> str:
    return f"{CODE_PREFIX}{index + 1:02d}"


def unit_name(name: str) -> str:
    return f"示例县{name}（示例）"


def username(index: int, role: str) -> str:
    return f"demo{index + 1:02d}_{role}"


def state_of(index: int, year: int) -> str:
    if year == 2024:
        return DRAFT if index in LATE_2023 else STATES_2024[index]
    if year == 2023 and index in LATE_2023:
        return LATE_2023[index]
    return FINALISED


def county_years():
    """The county's unit-years (empty before the county is loaded)."""
    return UnitYear.objects.filter(unit__code__startswith=CODE_PREFIX)


@transaction.atomic
def county_load(*, password: str, reset: bool = False) -> CountyResult:
    """Load the demo county once (idempotent; ``reset`` deletes its years and loads them again).
    Returns how many units and unit-years it has."""
    first, last = username(0, Role.OFFICER), username(len(UNITS) - 1, Role.OFFICER)
    if reset:
        county_years().delete()  # with their lines, indicators, scores and StatusChanges
    if county_years().count() == len(UNITS) * len(YEARS):
        return CountyResult(len(UNITS), len(UNITS) * len(YEARS), False, (first, last))

    units = _ensure_units()
    people = _ensure_accounts(units, password=password)
    loaded = []
    for index, unit in enumerate(units):
        profile = _UnitProfile.draw(_rng(unit.code), index)
        for year in YEARS:
            if UnitYear.objects.filter(unit=unit, year=year).exists():
                continue
            rng = _rng(unit.code, year)  # each year its own draws: the same whichever years exist
            state = state_of(index, year)
            # about half the drafts have their weights already
            weighted = state != DRAFT or _rng(unit.code, year, "weights").random() < 0.5
            unit_year, drawn = _create_year(unit, year, profile, rng, weighted=weighted)
            _take_through_flow(unit_year, state, people[index], drawn, profile.diligence, rng)
            loaded.append(unit_year.pk)
    return CountyResult(len(units), len(units) * len(YEARS), bool(loaded), (first, last))


def _rng(*key: object) -> random.Random:
    """A generator seeded by ``key`` (a unit's code, and a year): the same draws on every load."""
    return random.Random(":".join([SEED, *map(str, key)]))  # noqa: S311 - demo figures, not security


def _ensure_units() -> list[Unit]:
    units = []
    for index, (name, *_rest) in enumerate(UNITS):
        unit, _ = Unit.objects.get_or_create(
            code=unit_code(index), defaults={"name": unit_name(name), "region": REGION}
        )
        units.append(unit)
    return units


def _ensure_accounts(units: list[Unit], *, password: str) -> list[dict[str, object]]:
    """One finance officer, one leader and one evaluator per unit. The password is hashed once
    and shared (ninety hashes would take most of the load's time)."""
    User = get_user_model()
    names = [username(i, role) for i in range(len(units)) for role in ROLES]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    encoded = make_password(password)
    new = [
        User(username=name, first_name=f"{units[i].name.removesuffix('（示例）')}{ROLE_NAMES[role]}", password=encoded)
        for i in range(len(units))
        for role in ROLES
        if (name := username(i, role)) not in existing
    ]
    User.objects.bulk_create(new)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    memberships = [
        Membership(user=users[username(i, role)], unit=unit, role=role)
        for i, unit in enumerate(units)
        for role in ROLES
    ]
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    return [{role: users[username(i, role)] for role in ROLES} for i in range(len(units))]


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class _UnitProfile:
    base: int  # full-year budget of 2022 in cents
    growth: float
    basic_share: float
    personnel_share: float
    non_tax_share: float
    headcount: int
    has_vehicle: bool
    diligence: float  # 0–1: how well its targets are met and its indicator table kept
    name: str
    function: str
    projects: tuple[str, str, str]

    @classmethod
    def draw(cls, rng: random.Random, index: int) -> _UnitProfile:
        name, budget, function, projects = UNITS[index]
        base = int(budget * rng.uniform(0.9, 1.1) * 100)
        return cls(
            base=base,
            growth=rng.uniform(-0.03, 0.07),
            basic_share=rng.uniform(0.55, 0.82),
            personnel_share=rng.uniform(0.72, 0.88),
            non_tax_share=rng.choice((0.0, 0.0, rng.uniform(0.01, 0.05))),
            headcount=max(8, int(budget / rng.uniform(18, 30))),
            has_vehicle=rng.random() < 0.6,
            diligence=rng.random(),
            name=name,
            function=function,
            projects=projects,
        )


def _money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _part(total: int, share: float) -> int:
    return int(round(total * share))


@dataclass(frozen=True)
class _Column:
    """One column (年初预算数, 全年预算数 or 全年执行数) of the spending side, in cents."""

    personnel: int
    public: int
    project: int

    @property
    def basic(self) -> int:
        return self.personnel + self.public

    @property
    def total(self) -> int:
        return self.basic + self.project


def _year_columns(profile: _UnitProfile, year: int, rng: random.Random) -> tuple[_Column, _Column, _Column, _Column]:
    """(年初预算数, 全年预算数, 全年执行数, the previous year's 全年执行数)."""

    def full_year(k: int, noise: float) -> _Column:
        total = int(profile.base * (1 + profile.growth) ** k * noise)
        basic = _part(total, profile.basic_share)
        personnel = _part(basic, profile.personnel_share)
        return _Column(personnel, basic - personnel, total - basic)

    k = year - YEARS[0]
    full = full_year(k, rng.uniform(0.97, 1.03))
    initial = _Column(
        _part(full.personnel, rng.uniform(0.93, 1.0)),
        _part(full.public, rng.uniform(0.85, 1.0)),
        _part(full.project, rng.uniform(0.6, 0.95)),
    )
    actual = _Column(
        _part(full.personnel, rng.uniform(0.97, 1.0)),
        _part(full.public, rng.uniform(0.88, 0.995)),
        _part(full.project, rng.uniform(0.75 + 0.1 * profile.diligence, 0.99)),
    )
    before = full_year(k - 1, rng.uniform(0.97, 1.03))
    previous = _Column(
        _part(before.personnel, 0.985), _part(before.public, 0.94), _part(before.project, rng.uniform(0.85, 0.98))
    )
    return initial, full, actual, previous


def _split(total: int, shares: list[float]) -> list[int]:
    parts = [int(total * s / sum(shares)) for s in shares[:-1]]
    return [*parts, total - sum(parts)]


def _create_year(
    unit: Unit, year: int, profile: _UnitProfile, rng: random.Random, *, weighted: bool
) -> tuple[UnitYear, dict[str, tuple]]:
    """The unit-year with its figures, goals and indicators (``weighted``: with the weights
    按默认权重分配 gives them); and, by indicator name, how its actual value is drawn when it
    is scored."""
    initial, full, actual, previous = _year_columns(profile, year, rng)
    headcount = profile.headcount + rng.randint(-2, 2)
    unit_year = UnitYear(
        unit=unit,
        year=year,
        headcount_authorized=headcount,
        headcount_actual=headcount - rng.randint(0, 2),
        contact_name="示例联系人",
        contact_phone="13800000000",
        function_summary=profile.function,
        evaluation_method="单位自评",
        income_change_note="人员工资调整及项目经费变动所致（示例）。",
        spending_change_note="按项目实施进度拨付资金，厉行节约压减一般性支出（示例）。",
        project_usage_note="项目资金专款专用，无挤占挪用（示例）。",
        implementation_procurement="按规定实行政府采购，履行验收手续（示例）。",
        implementation_management="执行单位财务管理制度，支出经审核审批（示例）。",
        evaluation_process="成立绩效评价工作小组，对照指标逐项打分（示例）。",
        problems="部分绩效指标量化程度不高（示例）。",
        measures="完善绩效目标编制，加强执行监控（示例）。",
    )
    unit_year.full_clean()
    unit_year.save()
    bulk_create_with_history(
        [Duty(unit_year=unit_year, order=1, text=f"负责全县{profile.function}工作（示例）。")], Duty
    )

    def amounts(pick) -> dict[str, Decimal]:
        return {
            "initial_budget": _money(pick(initial)),
            "full_year_budget": _money(pick(full)),
            "actual": _money(pick(actual)),
            "previous_year": _money(pick(previous)),
        }

    def non_tax(col: _Column) -> int:
        return _part(col.total, profile.non_tax_share)

    income = [
        IncomeLine(unit_year=unit_year, source="total", **amounts(lambda c: c.total)),
        IncomeLine(unit_year=unit_year, source="appropriation", **amounts(lambda c: c.total - non_tax(c))),
        IncomeLine(unit_year=unit_year, source="general_public", **amounts(lambda c: c.total - non_tax(c))),
    ]
    if profile.non_tax_share:
        income.append(IncomeLine(unit_year=unit_year, source="non_tax", **amounts(non_tax)))
    bulk_create_with_history(income, IncomeLine)
    bulk_create_with_history(
        [
            SpendingLine(unit_year=unit_year, kind="total", **amounts(lambda c: c.total)),
            SpendingLine(unit_year=unit_year, kind="basic", **amounts(lambda c: c.basic)),
            SpendingLine(unit_year=unit_year, kind="personnel", **amounts(lambda c: c.personnel)),
            SpendingLine(unit_year=unit_year, kind="public", **amounts(lambda c: c.public)),
            SpendingLine(unit_year=unit_year, kind="project", **amounts(lambda c: c.project)),
        ],
        SpendingLine,
    )
    reception = max(50, _part(full.public, rng.uniform(0.01, 0.03)))
    three_public = [
        ThreePublicLine(
            unit_year=unit_year,
            kind="reception",
            budget=_money(reception),
            actual=_money(_part(reception, rng.uniform(0.6, 0.98))),
            previous_year=_money(_part(reception, rng.uniform(0.7, 1.05))),
        )
    ]
    if profile.has_vehicle:
        vehicle = _part(full.public, rng.uniform(0.02, 0.05))
        three_public.append(
            ThreePublicLine(
                unit_year=unit_year,
                kind="vehicle",
                budget=_money(vehicle),
                actual=_money(_part(vehicle, rng.uniform(0.75, 0.99))),
                previous_year=_money(_part(vehicle, rng.uniform(0.8, 1.05))),
            )
        )
    bulk_create_with_history(three_public, ThreePublicLine)
    shares = [rng.uniform(1, 3) for _ in profile.projects]
    columns = {
        "initial_budget": _split(initial.project, shares),
        "full_year_budget": _split(full.project, shares),
        "actual": _split(actual.project, shares),
    }
    bulk_create_with_history(
        [
            ProjectLine(
                unit_year=unit_year,
                order=i + 1,
                name=name,
                **{column: _money(values[i]) for column, values in columns.items()},
            )
            for i, name in enumerate(profile.projects)
        ],
        ProjectLine,
    )
    bulk_create_with_history(
        [
            Goal(unit_year=unit_year, kind="overall", order=1, text=f"保障全县{profile.function}工作正常开展（示例）"),
            Goal(unit_year=unit_year, kind="annual", order=1, text=f"完成{year}年度{profile.projects[0]}任务（示例）"),
        ],
        Goal,
    )
    rows, drawn = [], {}
    for order, (fund, tier1, tier2, name, target, how) in enumerate(_indicators(profile, year, full), start=1):
        drawn[name] = how
        parsed = parse_target(target)
        standard = ""
        if parsed.kind == "qualitative" and profile.diligence > 0.25:
            standard = "达成：全面完成并有佐证材料；部分达成：完成主要任务；未达成：未开展或效果差（示例）。"
        indicator = Indicator(
            unit_year=unit_year,
            grading_standard=standard,
            fund_category=fund,
            order=order,
            tier1=tier1,
            tier2=tier2,
            name=name,
            target_kind=parsed.kind,
            comparator=parsed.comparator,
            target_value=parsed.value,
            target_unit=parsed.unit,
            target_text=parsed.text,
            deadline=parsed.deadline,
        )
        # Fields and uniqueness here; the check constraints are the database's at the insert
        # (validating them in Python costs a query each, ~800 rows).
        indicator.full_clean(validate_constraints=False)
        rows.append(indicator)
    if weighted:
        _default_weights(rows, rules_for_year(unit_year))
    bulk_create_with_history(rows, Indicator)
    return unit_year, drawn


def _default_weights(rows: list[Indicator], rules) -> None:
    """The weights ``indicators.services.indicator_weights_default`` (按默认权重分配) gives, set
    before the rows are created: each tier-1 weight spread evenly over its indicators in the
    editor's order, two decimals, the remainder on the last. (Calling the service on ninety
    years would double the load's time: it validates and saves each indicator on its own.)"""
    by_tier1: dict[str, list[Indicator]] = {}
    for row in sorted(rows, key=lambda r: (r.fund_category, r.order)):
        by_tier1.setdefault(row.tier1, []).append(row)
    for tier1, weight in rules.tier1_weights.items():
        members = by_tier1.get(tier1, [])
        if not members:
            continue
        share = (weight / len(members)).quantize(CENT, rounding=ROUND_DOWN)
        for k, row in enumerate(members):
            row.weight = share if k < len(members) - 1 else weight - share * (len(members) - 1)


def _indicators(profile: _UnitProfile, year: int, full: _Column):
    """(资金, 一级, 二级, 三级指标, 指标值, how the actual value is drawn) of one unit-year.
    The drawn values stay below 130% of a floor (over-achievement needs a written reason)."""
    times = 4 + len(profile.name) % 5
    cost = int(full.public / 100 * 1.02) + 1
    return [
        ("basic", "output", "quantity", "重点工作任务完成数", f"≥{times}项", ("ratio", times, 1.0, 1.25)),
        (
            "project",
            "output",
            "quantity",
            f"{profile.projects[0]}实施数",
            f"≥{times + 2}个",
            ("ratio", times + 2, 0.85, 1.2),
        ),
        ("basic", "output", "quality", "资金使用合规率", "≥98%", ("percent", 98, 99, 100)),
        ("basic", "output", "timeliness", "工作按时完成率", "≥95%", ("percent", 95, 93, 100)),
        ("project", "output", "timeliness", "项目完成及时性", f"{year}年12月底之前完成", ("band",)),
        ("basic", "output", "cost", "公用经费支出", f"≤{cost}万元", ("money", cost, 0.86, 0.99)),
        ("project", "benefit", "social", f"{profile.function}服务水平", "有效提升", ("band",)),
        ("project", "benefit", "sustainable", "长效管理机制", "长期有效", ("band",)),
        ("basic", "satisfaction", "service_satisfaction", "服务对象满意度", "≥90%", ("percent", 90, 88, 99)),
    ]


# ---------------------------------------------------------------- the flow


def _take_through_flow(
    unit_year: UnitYear, state: str, people: dict, drawn: dict, diligence: float, rng: random.Random
) -> None:
    officer, leader, evaluator = people[Role.OFFICER], people[Role.LEADER], people[Role.EVALUATOR]
    if state == DRAFT:
        return
    indicators.indicator_confirm_directions(unit_year=unit_year)
    flow.year_submit(unit_year=unit_year, user=officer, comment="数据已核对（示例）。", acknowledge_warnings=True)
    if state == SUBMITTED:
        return
    if state == RETURNED:
        reasons, comment = SEND_BACK
        flow.year_send_back(unit_year=unit_year, user=leader, reasons=reasons, comment=comment)
        return
    indicators.evaluation_group_name(unit_year=unit_year, user=leader, members=[evaluator], lead=evaluator)
    flow.year_start_evaluation(unit_year=unit_year, user=leader)
    rows = list(Indicator.objects.select_related("unit_year").filter(unit_year=unit_year).order_by("order"))
    scored = rows if state == FINALISED else rows[: len(rows) // 2]
    for indicator in scored:
        _score(indicator, drawn[indicator.name], evaluator, diligence, rng)
    if state == EVALUATING:
        return
    indicators.group_result_confirm(unit_year=unit_year, user=evaluator)
    flow.year_finalise(unit_year=unit_year, user=leader, comment="同意定稿（示例）。")
    _date_the_steps(unit_year, rng)


def _score(indicator: Indicator, how: tuple, evaluator, diligence: float, rng: random.Random) -> None:
    """One evaluator's score, drawn: a diligent unit meets its targets; a careless one misses some
    (each miss and each 部分达成 with its 偏差原因, as the rules require)."""
    kind = how[0]
    if kind == "band":
        weight = indicator.weight or Decimal(0)
        if rng.random() < 0.55 + 0.45 * diligence:
            band, score, text, reason = "achieved", weight, "按计划完成（示例）", ""
        else:
            allowed = qualitative_range(band="partial", weight=weight, rules=rules_for_year(indicator.unit_year))
            score = ((allowed.low + allowed.high) / 2).quantize(CENT)
            band, text = "partial", "完成主要任务（示例）"
            reason = "部分任务受资金到位时间影响推迟，已制定整改计划（示例）。"
        indicators.member_score_save(
            indicator=indicator,
            member=evaluator,
            actual=text,
            band=band,
            score=str(score),
            deviation_reason=reason,
        )
        return
    _, target, low, high = how
    slack = 1 - diligence
    if kind == "percent":
        value = Decimal(rng.randint(int((low - 6 * slack) * 10), high * 10)) / 10
        actual = f"{value}%"
    elif kind == "money":
        actual = str(_money(int(target * 100 * rng.uniform(low, high))))
    else:
        actual = str(max(0, round(target * rng.uniform(low - 0.3 * slack, high))))
    reason = ""
    parsed = Decimal(actual.rstrip("%"))
    if indicator.target_value is not None and parsed < indicator.target_value and kind != "money":
        reason = "受项目进度影响未全部完成，已列入下年度计划（示例）。"
    indicators.member_score_save(indicator=indicator, member=evaluator, actual=actual, deviation_reason=reason)


def _date_the_steps(unit_year: UnitYear, rng: random.Random) -> None:
    """A finalised year's steps happened in the spring after it: date them so (StatusChange.at,
    报告日期), a few weeks apart and in order."""
    tz = timezone.get_current_timezone()
    day = datetime.datetime(unit_year.year + 1, 3, 1, 9, 30, tzinfo=tz) + datetime.timedelta(days=rng.randint(0, 20))
    for change in StatusChange.objects.filter(unit_year=unit_year).order_by("pk"):
        day += datetime.timedelta(days=rng.randint(3, 15), hours=rng.randint(0, 6))
        StatusChange.objects.filter(pk=change.pk).update(at=day)
    UnitYear.objects.filter(pk=unit_year.pk).update(report_date=day.date())
