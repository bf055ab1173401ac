from django.contrib import admin

from .models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The flow's own record of each step: shown, never written here."""

    list_display = ("unit_year", "action", "from_status", "to_status", "user", "at")
    list_filter = ("action", "to_status")
    list_select_related = ("unit_year__unit", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
