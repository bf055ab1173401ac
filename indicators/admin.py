from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from departments.admin import FinalisedReadOnly

from .models import EvaluationGroup, Goal, Indicator, LibraryIndicator, MemberScore, RuleSet, YearScoring


@admin.register(Goal)
class GoalAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "text")
    list_filter = ("kind", "unit_year__year")
    list_select_related = ("unit_year__unit",)


@admin.register(Indicator)
class IndicatorAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit_year", "fund_category", "tier1", "tier2", "name", "target_display", "weight", "score")
    list_filter = ("fund_category", "tier1", "tier2", "unit_year__year")
    search_fields = ("name", "unit_year__unit__name")
    list_select_related = ("unit_year__unit",)


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "tier1", "tier2", "suggested_target", "target_unit", "source", "unit", "active")
    list_filter = ("source", "tier1", "tier2", "active")
    search_fields = ("name", "explanation")
    list_select_related = ("unit",)


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
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
class YearScoringAdmin(SimpleHistoryAdmin):
    list_display = ("unit_year", "rule_set", "started_at", "confirmed_by", "confirmed_at")
    list_select_related = ("unit_year__unit", "rule_set", "confirmed_by")
    readonly_fields = ("unit_year", "rule_set", "rules_snapshot", "started_at", "confirmed_by", "confirmed_at")

    def has_add_permission(self, request):
        return False  # recorded by the flow when evaluation starts


@admin.register(EvaluationGroup)
class EvaluationGroupAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit_year", "lead", "named_by", "named_at")
    list_select_related = ("unit_year__unit", "lead", "named_by")


@admin.register(MemberScore)
class MemberScoreAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    year_path = "indicator__unit_year"
    list_display = ("indicator", "member", "score", "proposed_score", "band", "updated_at")
    list_select_related = ("indicator__unit_year__unit", "member")
    readonly_fields = ("proposed_score", "over_achieved")
