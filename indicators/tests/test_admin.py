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
