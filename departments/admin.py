from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Duty, Membership, Organ, Unit, UnitYear, YearStatus


class FinalisedReadOnly:
    """A finalised year is read-only to everyone, in the admin too (reopen it through the flow).

    ``year_path`` leads from the admin's object to its ``UnitYear`` ("" for the year itself);
    on inlines the object passed in is the parent ``UnitYear``."""

    year_path = "unit_year"

    def _year(self, obj):
        if isinstance(obj, UnitYear):
            return obj
        for part in filter(None, self.year_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def _finalised(self, obj) -> bool:
        return obj is not None and self._year(obj).status == YearStatus.FINALISED

    def has_change_permission(self, request, obj=None):
        return not self._finalised(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._finalised(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, InlineModelAdmin):  # inlines are asked with the parent year
            return not self._finalised(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)


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


class DutyInline(FinalisedReadOnly, admin.TabularInline):
    model = Duty
    extra = 0


class OrganInline(FinalisedReadOnly, admin.TabularInline):
    model = Organ
    extra = 0


@admin.register(UnitYear)
class UnitYearAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit", "year", "status", "updated_at", "updated_by")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    inlines = [DutyInline, OrganInline]


@admin.register(Duty)
class DutyAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit_year", "order", "text")
    list_select_related = ("unit_year__unit",)


@admin.register(Organ)
class OrganAdmin(FinalisedReadOnly, SimpleHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "name")
    list_filter = ("kind",)
    list_select_related = ("unit_year__unit",)
