from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from departments.admin import FinalisedReadOnly, GuardedHistoryAdmin

from .models import (
    EvaluationGroup,
    Goal,
    Indicator,
    LibraryIndicator,
    MemberScore,
    RuleSet,
    RuleSetAssignment,
    UnitYearWeights,
    YearScoring,
    ladder_text,
)


@admin.register(Goal)
class GoalAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "text")
    list_filter = ("kind", "unit_year__year")
    list_select_related = ("unit_year__unit",)


@admin.register(Indicator)
class IndicatorAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "fund_category", "tier1", "tier2", "name", "target_reading", "weight", "score")
    list_filter = ("fund_category", "tier1", "tier2", "unit_year__year")
    search_fields = ("name", "unit_year__unit__name")
    list_select_related = ("unit_year__unit",)
    flow_fields = ("score",)  # the group's confirmed result, written when the lead confirms


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(GuardedHistoryAdmin):
    list_display = (
        "name",
        "tier1",
        "tier2",
        "suggested_target",
        "direction",
        "target_unit",
        "source",
        "unit",
        "active",
    )
    list_filter = ("source", "tier1", "tier2", "direction", "active")
    search_fields = ("name", "explanation")
    list_select_related = ("unit",)


class LadderField(forms.CharField):
    """The execution-rate ladder as an administrator types it: one step a line, "80 89" (rate
    below 80 % → total at most 89). Stored as [["80", "89"], …], highest rate first."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 30})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{below} {cap}" for below, cap in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        steps = []
        for n, line in enumerate((value or "").splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").replace("%", " ").replace("→", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise ValidationError(f"第 {n} 行须为两个数：执行率低于（%）和总分最高为，如“80 89”。")
            try:
                below, cap = (Decimal(p) for p in parts)
            except InvalidOperation as exc:
                raise ValidationError(f"第 {n} 行“{line.strip()}”不是两个数。") from exc
            steps.append((below, cap))
        return [[format(b.normalize(), "f"), format(c.normalize(), "f")] for b, c in sorted(steps, reverse=True)]


class RuleSetForm(forms.ModelForm):
    execution_ladder = LadderField(
        label="执行率封顶阶梯",
        required=False,
        help_text="每行一级：执行率低于（%）与总分最高为，如“80 89”。执行率同时低于几级时取最低上限；留空表示不封顶。",
    )

    class Meta:
        model = RuleSet
        fields = [
            "name",
            "is_default",
            "note",
            "output_weight",
            "benefit_weight",
            "satisfaction_weight",
            "execution_weight",
            "grade_excellent",
            "grade_good",
            "grade_fair",
            "achieved_low",
            "partial_low",
            "reverse_formula",
            "overachievement_percent",
            "overachievement_deduction",
            "execution_ladder",
            "no_budget_rule",
            "min_group_members",
            "finaliser_not_lead",
        ]


@admin.register(RuleSet)
class RuleSetAdmin(GuardedHistoryAdmin):
    form = RuleSetForm
    list_display = (
        "name",
        "is_default",
        "output_weight",
        "benefit_weight",
        "satisfaction_weight",
        "execution_weight",
        "reverse_formula",
        "ladder_display",
        "overachievement_deduction",
    )
    fieldsets = (
        (None, {"fields": ("name", "is_default", "note")}),
        ("权重", {"fields": ("output_weight", "benefit_weight", "satisfaction_weight", "execution_weight")}),
        ("等级", {"fields": ("grade_excellent", "grade_good", "grade_fair")}),
        ("定性指标档次（下限含，上限归上一档）", {"fields": ("achieved_low", "partial_low")}),
        ("定量指标", {"fields": ("reverse_formula", "overachievement_percent", "overachievement_deduction")}),
        ("执行率封顶与无预算", {"fields": ("execution_ladder", "no_budget_rule")}),
        ("评价小组与定稿（默认不要求）", {"fields": ("min_group_members", "finaliser_not_lead")}),
    )

    @admin.display(description="执行率封顶")
    def ladder_display(self, obj: RuleSet) -> str:
        return ladder_text(obj.ladder) or "—"


@admin.register(RuleSetAssignment)
class RuleSetAssignmentAdmin(GuardedHistoryAdmin):
    list_display = ("unit", "include_descendants", "year", "rule_set", "note")
    list_filter = ("rule_set", "year", "include_descendants")
    search_fields = ("unit__name", "unit__code", "note")
    list_select_related = ("unit", "rule_set")
    autocomplete_fields = ("unit",)


@admin.register(UnitYearWeights)
class UnitYearWeightsAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "weights_text", "reason", "approved_by", "approved_at")
    list_select_related = ("unit_year__unit", "approved_by")
    autocomplete_fields = ("unit_year",)
    readonly_fields = ("approved_by", "approved_at")
    fields = (
        "unit_year",
        ("output_weight", "benefit_weight", "satisfaction_weight", "execution_weight"),
        "reason",
        "approved_by",
        "approved_at",
    )

    @admin.display(description="权重")
    def weights_text(self, obj: UnitYearWeights) -> str:
        return obj.weights_text

    def save_model(self, request, obj, form, change):
        obj.approved_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(YearScoring)
class YearScoringAdmin(GuardedHistoryAdmin):
    """Recorded by the flow when evaluation starts and when the lead confirms: shown only."""

    list_display = ("unit_year", "rule_set", "started_at", "confirmed_by", "confirmed_at")
    list_select_related = ("unit_year__unit", "rule_set", "confirmed_by")
    readonly_fields = ("unit_year", "rule_set", "rules_snapshot", "started_at", "confirmed_by", "confirmed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationGroup)
class EvaluationGroupAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "lead", "named_by", "named_at")
    list_select_related = ("unit_year__unit", "lead", "named_by")
    flow_fields = ("named_by",)


@admin.register(MemberScore)
class MemberScoreAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    year_path = "indicator__unit_year"
    list_display = ("indicator", "member", "score", "proposed_score", "deduction", "band", "updated_at")
    list_select_related = ("indicator__unit_year__unit", "member")
    # A member's score is entered by that member on the scoring page, nowhere else.
    flow_fields = (
        "member",
        "actual_value",
        "actual_text",
        "band",
        "proposed_score",
        "score",
        "override_reason",
        "over_achieved",
        "deduction",
        "deduction_note",
    )
