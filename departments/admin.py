"""The Django admin cannot go around the flow.

* A finalised year is read-only to everyone, admin included: its objects cannot be changed,
  deleted, added to, moved into, or reverted from history (``FinalisedReadOnly``).
* Flow fields (a year's status, who scored and confirmed what, the flow's own records) are
  read-only in every admin form; they change only through the flow's services, which record
  each step (``flow_fields``).
* simple-history's revert form saves on POST after checking only the *view* permission, and
  saves the whole historical row, read-only fields included. ``GuardedHistoryAdmin`` refuses
  the POST unless the object may be changed now, and keeps every read-only field as it is now.
"""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .models import Duty, Membership, Organ, Unit, UnitYear, YearStatus

FINALISED_MESSAGE = "该年度已定稿，不能修改。如需修改，请由管理员在“流程”页面重新打开该年度。"


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin whose revert form changes only what the change form may change."""

    flow_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(f for f in self.flow_fields if f not in fields)

    def _current(self, pk):
        return self.model._default_manager.filter(pk=pk).first()

    def revert_disabled(self, request, obj=None):
        # ``obj`` is the historical version; what matters is whether the object may change now.
        if obj is not None:
            current = self._current(obj.pk)
            if current is None or not self.has_change_permission(request, current):
                return True
        return super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self._current(unquote(object_id))
            if current is None or self.revert_disabled(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            # A reverted version carries old values in the fields the form does not show.
            current = self._current(obj.pk)
            for name in self.get_readonly_fields(request, current):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                if field.concrete and not field.many_to_many:
                    setattr(obj, field.attname, getattr(current, field.attname))
        super().save_model(request, obj, form, change)


class FinalisedReadOnly:
    """A finalised year is read-only to everyone, in the admin too (reopen it through the flow).

    ``year_path`` leads from the admin's object to its ``UnitYear`` ("" for the year itself);
    on inlines the object passed in is the parent ``UnitYear``. The link to the year is
    read-only once an object exists (nothing moves between years), and a new object cannot be
    added to a finalised year."""

    year_path = "unit_year"

    def _year(self, obj):
        if isinstance(obj, UnitYear):
            return obj
        for part in filter(None, self.year_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def _finalised(self, obj) -> bool:
        return obj is not None and self._year(obj).status == YearStatus.FINALISED

    def _year_link(self) -> str:
        return self.year_path.split("__")[0] if self.year_path else ""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        link = self._year_link()
        if obj is not None and link and not isinstance(self, InlineModelAdmin) and link not in fields:
            fields += (link,)
        return fields

    def _target_year(self, instance, cleaned: dict):
        """The year an object is being saved into (``None`` for the year itself)."""
        link = self._year_link()
        if not link:
            return None
        obj = cleaned.get(link) or getattr(instance, link, None)  # None when not chosen yet
        for part in self.year_path.split("__")[1:]:
            obj = getattr(obj, part, None)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        owner = self

        class OpenYearOnly(form):
            def clean(self):
                cleaned = super().clean()
                year = owner._target_year(self.instance, cleaned)
                if year is not None and year.status == YearStatus.FINALISED:
                    raise ValidationError(FINALISED_MESSAGE)
                return cleaned

        return OpenYearOnly

    def save_model(self, request, obj, form, change):
        if self._finalised(obj):
            raise PermissionDenied(FINALISED_MESSAGE)
        super().save_model(request, obj, form, change)

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
class UnitYearAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    year_path = ""
    list_display = ("unit", "year", "status", "updated_at", "updated_by")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    # A year's status changes only through the flow (送审, 开始评价, 退回, 定稿, 重新打开).
    flow_fields = ("status",)
    inlines = [DutyInline, OrganInline]


@admin.register(Duty)
class DutyAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "order", "text")
    list_select_related = ("unit_year__unit",)


@admin.register(Organ)
class OrganAdmin(FinalisedReadOnly, GuardedHistoryAdmin):
    list_display = ("unit_year", "kind", "order", "name")
    list_filter = ("kind",)
    list_select_related = ("unit_year__unit",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PerfevalUserAdmin(UserAdmin):
    """Accounts are deactivated (取消“有效”), never deleted: the flow's records name who did each
    step, and deleting a user would blank them on finalised years."""

    def has_delete_permission(self, request, obj=None):
        return False
