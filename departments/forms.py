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
    default_renderer = PYTHON_WIDGETS
    order = forms.IntegerField(
        label="序号",
        required=False,
        min_value=0,
        max_value=9999,
        widget=forms.NumberInput(attrs={**SMALL, "data-order": ""}),
    )

    def clean_order(self) -> int:
        order = self.cleaned_data.get("order")
        return 9999 if order is None else order


class DutyForm(OrderedForm):
    class Meta:
        model = Duty
        fields = ("order", "text")
        widgets = {"text": forms.Textarea(attrs={**SMALL, "rows": 2})}
        error_messages = {"text": {"required": "请填写职责内容。"}}


class OrganForm(OrderedForm):
    class Meta:
        model = Organ
        fields = ("kind", "order", "name")
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "name": forms.TextInput(attrs=SMALL),
        }
        error_messages = {"name": {"required": "请填写机构名称。"}}


DutyFormSet = forms.inlineformset_factory(
    UnitYear, Duty, form=DutyForm, extra=1, can_delete=True, max_num=500, validate_max=True, renderer=PYTHON_WIDGETS
)
OrganFormSet = forms.inlineformset_factory(
    UnitYear, Organ, form=OrganForm, extra=1, can_delete=True, max_num=200, validate_max=True, renderer=PYTHON_WIDGETS
)
