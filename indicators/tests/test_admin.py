from decimal import Decimal as D

from django.urls import reverse

from departments.models import YearStatus
from indicators.models import RuleSet
from indicators.tests.factories import ready_year


def test_administrator_edits_the_rule_set_in_the_admin(client, admin_user):
    admin_user.is_superuser = True  # the demo administrator is a superuser
    admin_user.save()
    rule_set = RuleSet.objects.default()
    client.force_login(admin_user)
    url = reverse("admin:indicators_ruleset_change", args=[rule_set.pk])
    assert "全国通用规则" in client.get(url).content.decode()
    data = {
        "name": "湖南省规则",
        "is_default": "on",
        "note": "",
        "output_weight": "40",
        "benefit_weight": "30",
        "satisfaction_weight": "10",
        "execution_weight": "20",
        "grade_excellent": "90",
        "grade_good": "80",
        "grade_fair": "60",
        "achieved_low": "80",
        "partial_low": "60",
        "reverse_formula": "linear",
        "overachievement_percent": "130",
        "overachievement_deduction": "2",
        # The ladder as typed: one step a line, in any order, with or without "%".
        "execution_ladder": "60 69\n80% 89\n50，59\n70 79",
        "no_budget_rule": "full",
        "min_group_members": "0",  # the group rules, off (the form shows them prefilled)
    }
    assert client.post(url, data).status_code == 302
    rules = RuleSet.objects.default().to_rules()
    assert (
        rules.execution_weight,
        rules.reverse_formula,
        rules.execution_caps,
        rules.overachievement_deduction,
        rules.no_budget,
    ) == (
        D("20"),
        "linear",
        ((D("80"), D("89")), (D("70"), D("79")), (D("60"), D("69")), (D("50"), D("59"))),
        D("2"),
        "full",
    )
    # The change form shows the ladder as lines again.
    assert "80 89\n70 79\n60 69\n50 59" in client.get(url).content.decode()
    # Weights that do not add up to 100 are refused in Chinese.
    response = client.post(url, {**data, "execution_weight": "10"})
    assert "合计须为 100" in response.content.decode()
    # A ladder whose lower rate allows a higher total, or a line that is not two numbers, too.
    response = client.post(url, {**data, "execution_ladder": "80 79\n70 89"})
    assert "不能高于" in response.content.decode()
    response = client.post(url, {**data, "execution_ladder": "80"})
    assert "第 1 行须为两个数" in response.content.decode()


def test_finalised_indicators_are_read_only_in_the_admin(client, admin_user, personas, year_a):
    ready_year(year_a, status=YearStatus.FINALISED, leader=personas["leader_a"], lead=personas["evaluator_a"])
    ind = year_a.indicators.first()
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[ind.pk])
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    ind.refresh_from_db()
    assert ind.name != "改名"


def test_administrator_assigns_rule_sets_and_allows_a_unit_years_weights(client, admin_user, year_a):
    from indicators.models import RuleSetAssignment, UnitYearWeights
    from indicators.selectors import rules_for_year

    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    province = RuleSet.objects.create(name="某省规则", execution_ladder=[["60", "69"]])
    assert client.get(reverse("admin:indicators_rulesetassignment_add")).status_code == 200
    response = client.post(
        reverse("admin:indicators_rulesetassignment_add"),
        {"rule_set": province.pk, "unit": year_a.unit_id, "include_descendants": "on", "year": "", "note": "省文件"},
    )
    assert response.status_code == 302
    assert RuleSetAssignment.objects.get().rule_set == province
    assert rules_for_year(year_a).name == "某省规则"
    data = {
        "unit_year": year_a.pk,
        "output_weight": "60",
        "benefit_weight": "30",
        "satisfaction_weight": "0",
        "execution_weight": "10",
        "reason": "",
    }
    response = client.post(reverse("admin:indicators_unityearweights_add"), data)
    assert "请填写调整理由" in response.content.decode()
    response = client.post(reverse("admin:indicators_unityearweights_add"), {**data, "reason": "无服务对象"})
    assert response.status_code == 302
    weights = UnitYearWeights.objects.get()
    assert weights.approved_by == admin_user
    rules = rules_for_year(year_a)
    assert (rules.name, rules.tier1_weights, rules.execution_caps) == (
        "某省规则",
        {"output": D("60"), "benefit": D("30")},
        ((D("60"), D("69")),),
    )
