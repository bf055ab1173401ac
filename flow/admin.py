from django.contrib import admin

from .models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("unit_year", "action", "from_status", "to_status", "user", "at")
    list_filter = ("action", "to_status")
    list_select_related = ("unit_year__unit", "user")
