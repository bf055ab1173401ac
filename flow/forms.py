"""Forms of the flow's steps (送审 / 开始评价 / 退回 / 定稿 / 重新开启)."""

from __future__ import annotations

from django import forms

from departments.models import YearStatus

from .reasons import SEND_BACK_REASONS
from .services import REOPEN_TARGETS


class SubmitForm(forms.Form):
    comment = forms.CharField(label="送审说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge = forms.BooleanField(label="我已知悉指标质量检查发现的问题，仍然送审", required=False)


class SendBackForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label="退回原因",
        choices=[(r, r) for r in SEND_BACK_REASONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(label="退回意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    to_status = forms.ChoiceField(
        label="重新开启为", choices=[(s, YearStatus(s).label) for s in REOPEN_TARGETS], initial=YearStatus.DRAFT
    )
    comment = forms.CharField(label="重新开启原因", widget=forms.Textarea(attrs={"rows": 2}))


class ExplainForm(forms.Form):
    """A written explanation of one 数据校验 finding (``flow.findings.Finding.key``)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    explanation = forms.CharField(
        label="说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写说明。"},
    )
