"""Forms for a unit-year's profile (基本信息, 职责, 机构设置) and narrative texts."""

from __future__ import annotations

from django import forms

from perfeval.widgets import PYTHON_WIDGETS

from .models import REPORT_DATE_MAX, REPORT_DATE_MIN, Duty, Organ, UnitYear

SMALL = {"class": "form-control form-control-sm"}


class ProfileForm(forms.ModelForm):
    default_renderer = PYTHON_WIDGETS  # widgets formatted in Python: same HTML, no template each

    class Meta:
        model = UnitYear
        fields = (
            "headcount_authorized",
            "headcount_actual",
            "contact_name",
            "contact_phone",
            "function_summary",
            "evaluation_method",
            "report_date",
        )
        widgets = {
            "function_summary": forms.Textarea(attrs={"rows": 2}),
            "report_date": forms.DateInput(
                attrs={"type": "date", "min": REPORT_DATE_MIN.isoformat(), "max": REPORT_DATE_MAX.isoformat()},
                format="%Y-%m-%d",
            ),
        }
        error_messages = {
            "headcount_authorized": {"min_value": "人数不能为负数。", "invalid": "请填写整数人数。"},
            "headcount_actual": {"min_value": "人数不能为负数。", "invalid": "请填写整数人数。"},
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("headcount_authorized", "headcount_actual"):
            value = cleaned.get(name)
            if value is not None and value > 100000:
                self.add_error(name, "人数过大，请核对。")
        return cleaned


class OrderedForm(forms.ModelForm):
    """One row of an ordered list (部门职责, 机构设置). Each control is named by its list, row and
    column ("部门职责第2条 · 职责"); formset.js renames them when rows move."""

    default_renderer = PYTHON_WIDGETS
    list_label = ""
    order = forms.IntegerField(
        label="序号",
        required=False,
        min_value=0,
        max_value=9999,
        widget=forms.NumberInput(attrs={**SMALL, "data-order": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        self.row_label = f"{self.list_label}第{int(index) + 1}条" if index.isdigit() else f"{self.list_label}新增一条"
        for field in self.fields.values():
            field.widget.attrs.update(
                {"aria-label": f"{self.row_label} · {field.label}", "data-col-label": field.label}
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each refused field to its message (the row template gives it this id).
        for name in self._errors or {}:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )

    def clean_order(self) -> int:
        order = self.cleaned_data.get("order")
        return 9999 if order is None else order


class DutyForm(OrderedForm):
    list_label = "部门职责"

    class Meta:
        model = Duty
        fields = ("order", "text")
        widgets = {"text": forms.Textarea(attrs={**SMALL, "rows": 2})}
        error_messages = {"text": {"required": "请填写职责内容。"}}


class OrganForm(OrderedForm):
    list_label = "机构设置"

    class Meta:
        model = Organ
        fields = ("kind", "order", "name")
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "name": forms.TextInput(attrs=SMALL),
        }
        error_messages = {"name": {"required": "请填写机构名称。"}}


class OrderedFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, queryset=None, **kwargs):
        if queryset is None:
            # One year's rows in their model's order less its first key, the year: ordering by
            # the year sorts by UnitYear's own ordering, which joined the unit-year and its unit
            # into the query for nothing.
            ordering = [key for key in self.model._meta.ordering if key != self.fk.name]
            queryset = self.model._default_manager.order_by(*ordering)
        super().__init__(*args, queryset=queryset, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # named by its row: "删除部门职责第3条"
            form.fields["DELETE"].widget.attrs.update(
                {"aria-label": f"删除{form.row_label}", "data-row-action": "删除"}
            )


DutyFormSet = forms.inlineformset_factory(
    UnitYear,
    Duty,
    form=DutyForm,
    formset=OrderedFormSet,
    extra=1,
    can_delete=True,
    max_num=500,
    validate_max=True,
    renderer=PYTHON_WIDGETS,
)
OrganFormSet = forms.inlineformset_factory(
    UnitYear,
    Organ,
    form=OrganForm,
    formset=OrderedFormSet,
    extra=1,
    can_delete=True,
    max_num=200,
    validate_max=True,
    renderer=PYTHON_WIDGETS,
)
