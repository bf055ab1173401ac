from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Goal, Indicator


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "text")
    list_filter = ("kind", "unit_year__year")
    list_select_related = ("unit_year__unit",)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("unit_year", "group", "tier1", "tier2", "name", "target_display", "weight", "score")
    list_filter = ("group", "tier1", "tier2", "unit_year__year")
    search_fields = ("name", "unit_year__unit__name")
    list_select_related = ("unit_year__unit",)
