"""Forms of the reports app: the batch start and the report's narrative (文字说明)."""

from django import forms

from departments.models import UnitYear


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


# 文字说明: the report's narrative, by the section of the report it belongs to.
TEXT_SECTIONS = (
    (
        "二、部门整体支出管理及使用情况分析（增减变化原因）",
        ("income_change_note", "spending_change_note", "project_usage_note"),
    ),
    ("三、项目组织实施情况分析", ("implementation_procurement", "implementation_management")),
    ("五、绩效评价工作开展情况", ("evaluation_purpose", "evaluation_process")),
    ("六、存在的主要问题", ("problems",)),
    ("七、改进措施和有关建议", ("measures",)),
)


class TextsForm(forms.ModelForm):
    class Meta:
        model = UnitYear
        fields = tuple(name for _, names in TEXT_SECTIONS for name in names)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
