from __future__ import annotations

from django import forms


class BatchStartForm(forms.Form):
    """Which year to batch-generate: one of the years the user may (``batch_years``)."""

    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "请选择有效的年度。"},
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年度") for year in years]
