from django.contrib import admin

from departments.admin import FinalisedReadOnly, GuardedHistoryAdmin

from .models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine


class YearLineAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_select_related = ("unit_year__unit",)
    list_filter = ("unit_year__year",)
    search_fields = ("unit_year__unit__name",)


@admin.register(IncomeLine)
class IncomeLineAdmin(YearLineAdmin):
    list_display = ("unit_year", "source", "initial_budget", "full_year_budget", "actual", "previous_year")


@admin.register(SpendingLine)
class SpendingLineAdmin(YearLineAdmin):
    list_display = ("unit_year", "kind", "initial_budget", "full_year_budget", "actual", "previous_year")


@admin.register(ThreePublicLine)
class ThreePublicLineAdmin(YearLineAdmin):
    list_display = ("unit_year", "kind", "budget", "actual", "previous_year")


@admin.register(ProjectLine)
class ProjectLineAdmin(YearLineAdmin):
    list_display = ("unit_year", "order", "name", "initial_budget", "full_year_budget", "actual")
