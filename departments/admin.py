from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Duty, Membership, Organ, StatusChange, Unit, UnitYear


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "parent")
    list_filter = ("region",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "unit__name")
    list_select_related = ("user", "unit")


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0


class OrganInline(admin.TabularInline):
    model = Organ
    extra = 0


@admin.register(UnitYear)
class UnitYearAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "status", "updated_at", "updated_by")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    inlines = [DutyInline, OrganInline]


@admin.register(Duty)
class DutyAdmin(SimpleHistoryAdmin):
    list_display = ("unit_year", "order", "text")
    list_select_related = ("unit_year__unit",)


@admin.register(Organ)
class OrganAdmin(SimpleHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "name")
    list_filter = ("kind",)
    list_select_related = ("unit_year__unit",)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("unit_year", "action", "from_status", "to_status", "user", "at")
    list_filter = ("action", "to_status")
    list_select_related = ("unit_year__unit", "user")
