from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from simple_history.middleware import HistoryRequestMiddleware

from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import Membership, Role, UnitYear
from indicators.models import Indicator


def test_one_record_per_unit_and_year(year_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitYear.objects.create(unit=year_a.unit, year=2024)


def test_duplicate_unit_year_message_is_chinese(year_a):
    with pytest.raises(ValidationError) as exc:
        UnitYear(unit=year_a.unit, year=2024).full_clean()
    assert "该单位这一年度的自评已存在" in str(exc.value)


@pytest.mark.parametrize(
    "model,field",
    [
        (IncomeLine, "full_year_budget"),
        (SpendingLine, "actual"),
        (ThreePublicLine, "budget"),
        (ProjectLine, "initial_budget"),
    ],
)
def test_negative_amounts_refused_by_database(year_a, model, field):
    extra = {"name": "项目"} if model is ProjectLine else {}
    if model is IncomeLine:
        extra["source"] = "appropriation"
    elif model in (SpendingLine, ThreePublicLine):
        extra["kind"] = "reception" if model is ThreePublicLine else "basic"
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(unit_year=year_a, **{field: Decimal("-0.01")}, **extra)


def test_negative_amount_message_is_chinese(year_a):
    line = IncomeLine(unit_year=year_a, source="appropriation", actual=Decimal("-1"))
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "金额不能为负数" in str(exc.value)


def test_negative_headcount_refused(unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitYear.objects.create(unit=unit_a, year=2023, headcount_actual=-1)


def test_float_rounding_case_refused(year_a):
    """0.1 + 0.2 as a float is 0.30000000000000004: not a two-decimal amount."""
    line = IncomeLine(unit_year=year_a, source="appropriation", actual=0.1 + 0.2)
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "actual" in exc.value.message_dict


def test_more_than_two_decimals_refused(year_a):
    line = IncomeLine(unit_year=year_a, source="appropriation", actual=Decimal("1.005"))
    with pytest.raises(ValidationError):
        line.full_clean()


def test_money_is_stored_exactly(year_a):
    IncomeLine.objects.create(unit_year=year_a, source="appropriation", actual=Decimal("1304.57"))
    assert IncomeLine.objects.get().actual == Decimal("1304.57")


def test_score_cannot_exceed_weight(year_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            unit_year=year_a,
            fund_category="basic",
            tier1="output",
            tier2="quantity",
            name="x",
            target_kind="qualitative",
            target_text="有效",
            weight=Decimal("5"),
            score=Decimal("6"),
        )


def test_tier2_must_belong_to_tier1(year_a):
    indicator = Indicator(
        unit_year=year_a,
        fund_category="basic",
        tier1="satisfaction",
        tier2="quantity",
        name="x",
        target_kind="qualitative",
        target_text="有效",
    )
    with pytest.raises(ValidationError) as exc:
        indicator.full_clean()
    assert "不属于一级指标" in str(exc.value)


def test_membership_needs_unit_unless_admin(officer_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=officer_a, unit=None, role=Role.OFFICER)


def test_changes_are_recorded_in_history(year_a, officer_a, rf):
    """A save made while serving a signed-in user's request is recorded under that user (the
    request reaches simple-history through its middleware, as in the app)."""
    request = rf.post("/")
    request.user = officer_a

    def save(request):
        year_a.headcount_actual = 43
        year_a.save()
        return HttpResponse()

    HistoryRequestMiddleware(save)(request)
    latest = year_a.history.first()
    assert latest.headcount_actual == 43
    assert latest.history_user == officer_a
