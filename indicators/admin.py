from django.contrib import admin

from departments.admin import FinalisedReadOnly, GuardedHistoryAdmin

from .models import EvaluationGroup, Goal, Indicator, LibraryIndicator, MemberScore, RuleSet, YearScoring


@admin.register(Goal)
class GoalAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "text")
    list_filter = ("kind", "unit_year__year")
    list_select_related = ("unit_year__unit",)


@admin.register(Indicator)
class IndicatorAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "group", "tier1", "tier2", "name", "target_display", "weight", "score")
    list_filter = ("group", "tier1", "tier2", "unit_year__year")
    search_fields = ("name", "unit_year__unit__name")
    list_select_related = ("unit_year__unit",)
    flow_fields = ("score",)  # the group's confirmed result, written when the lead confirms


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(GuardedHistoryAdmin):
    list_display = ("name", "tier1", "tier2", "suggested_target", "target_unit", "source", "unit", "active")
    list_filter = ("source", "tier1", "tier2", "active")
    search_fields = ("name", "explanation")
    list_select_related = ("unit",)


@admin.register(RuleSet)
class RuleSetAdmin(GuardedHistoryAdmin):
    list_display = (
        "name",
        "is_default",
        "output_weight",
        "benefit_weight",
        "satisfaction_weight",
        "execution_weight",
        "reverse_formula",
    )
    fieldsets = (
        (None, {"fields": ("name", "is_default", "note")}),
        ("权重", {"fields": ("output_weight", "benefit_weight", "satisfaction_weight", "execution_weight")}),
        ("等级", {"fields": ("grade_excellent", "grade_good", "grade_fair")}),
        ("定性指标档次", {"fields": ("achieved_low", "partial_low")}),
        ("定量指标", {"fields": ("reverse_formula", "overachievement_percent")}),
        ("执行率封顶", {"fields": ("cap_below_rate", "cap_total")}),
    )


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
    list_display = ("indicator", "member", "score", "proposed_score", "band", "updated_at")
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
    )
