"""Forms of the indicator table, the library, the evaluation group and the scoring page."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from budgets.forms import MoneyField, mark_errors
from budgets.models import ProjectFundSource
from departments.forms import OrderedForm
from departments.models import UnitYear

from .models import Goal, GoalKind, Indicator, LibraryIndicator, ProjectEvaluation
from .services import indicator_set_target
from .vocabulary import TIER2_BY_TIER1, Band, FundCategory, Tier1, Tier2, tier2_mismatch


def tier2_grouped_choices():
    """Tier 2 options grouped under their tier 1 (an <optgroup> each)."""
    return [("", "---------")] + [
        (Tier1(t1).label, [(t2, Tier2(t2).label) for t2 in t2s]) for t1, t2s in TIER2_BY_TIER1.items()
    ]


# Short help for the columns that need it: shown once in the column's header (the element
# ``help-<field>``, templates/indicators/table.html and scoring.html) and tied to every input of
# the column by aria-describedby (with the row's error message first, when there is one).
EDITOR_HELP = {
    "target": "如 ≥20次、≤760万元、有效促进、2024年12月底之前完成",
    "weight": "同一一级指标下合计须等于其权重",
    "not_applicable": "本年无此项工作时勾选：不评分，其余得分折算为百分制",
}
SCORING_HELP = {
    "override_reason": "得分低于建议得分时必填。",
    "deviation_reason": "未达到指标值、完成率达到指标值 {percent}% 以上、定性指标“部分达成”或“未达成”时必填。",
}


def scoring_help(rules) -> dict[str, str]:
    """The scoring columns' help with the year's over-achievement line (130 % nationally)."""
    percent = format(rules.overachievement_percent.normalize(), "f")
    return {name: text.format(percent=percent) for name, text in SCORING_HELP.items()}


def describe(form, helps: dict[str, str]) -> None:
    """Tie each input with a help text in ``helps`` to its column's help element."""
    for name in helps:
        if name in form.fields:
            field = form.fields[name]
            ids = [field.widget.attrs.get("aria-describedby"), f"help-{name}"]
            field.widget.attrs["aria-describedby"] = " ".join(i for i in ids if i)


class _RowField:
    """Subclasses of a table row's fields whose per-row copies are cheap: the field and its
    widget are copied with their own ``attrs`` (each row's aria-label, error marks), messages and
    validators, as ``Field.__deepcopy__`` copies them, but the choices are shared, not copied and
    normalised again per row (a table of 40 rows copied 614 options per row), and neither goes
    through ``copy.copy``'s generic protocol (together a third of the editor's CPU in a profile)."""

    _made: dict[type, type] = {}

    @classmethod
    def get(cls, field_class: type) -> type:
        if field_class in cls._made.values():
            return field_class
        if field_class not in cls._made:

            def __deepcopy__(self, memo):
                widget = self.widget
                assert not isinstance(widget, forms.MultiWidget)  # noqa: S101 - its subwidgets would be shared
                copied = object.__new__(type(self))
                copied.__dict__.update(self.__dict__)
                memo[id(self)] = copied
                copied.widget = object.__new__(type(widget))
                copied.widget.__dict__.update(widget.__dict__)
                copied.widget.attrs = widget.attrs.copy()
                copied.error_messages = self.error_messages.copy()
                copied.validators = self.validators[:]
                return copied

            cls._made[field_class] = type(field_class.__name__, (field_class,), {"__deepcopy__": __deepcopy__})
        return cls._made[field_class]


REQUIRED_MESSAGES = {
    "fund_category": "请选择经费类别。",
    "tier1": "请选择一级指标。",
    "tier2": "请选择二级指标。",
    "name": "请填写三级指标名称。",
    "target": "请填写指标值，如“≥20次”“100%”“有效促进”。",
    "weight": "请填写分值。",
}


class IndicatorForm(forms.ModelForm):
    target = forms.CharField(
        label="指标值",
        max_length=200,
        help_text="按习惯写法填写，如“≥20次”“≤760万元”“=17个”“100%”“有效促进”“2024年12月底之前完成”。",
    )

    class Meta:
        model = Indicator
        fields = [
            "fund_category",
            "order",
            "tier1",
            "tier2",
            "name",
            "weight",
            "grading_standard",
            "not_applicable",
            "direction",
        ]
        widgets = {
            "grading_standard": forms.Textarea(attrs={"rows": 1}),
            "order": forms.NumberInput(attrs={"class": "order-input", "min": 0}),
            "name": forms.TextInput(attrs={"size": 24}),
        }

    @classmethod
    def _prepare_fields(cls) -> None:
        """What is the same on every row (choices, messages, classes): set once on the class's
        fields, not on each of a table's forms (a form copies its class's fields)."""
        fields = cls.base_fields
        fields["tier2"].choices = tier2_grouped_choices()
        fields["order"].required = False
        # Only a bare target ("3%") needs a direction; "待确认" until the officer picks one.
        fields["direction"].label = "理解方向"
        fields["direction"].choices = [("", "待确认")] + [
            (value, label) for value, label in fields["direction"].choices if value
        ]
        for name, field in fields.items():
            if name in REQUIRED_MESSAGES:
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
            field.error_messages["invalid_choice"] = f"请从列表中选择{field.label}。"
            if name in ("weight", "order"):
                field.error_messages["invalid"] = f"{field.label}请填写数字。"
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            present = widget.attrs.get("class", "")
            if not present.startswith(css):  # a widget shared by both classes is prepared once
                widget.attrs["class"] = f"{css} {present}".strip()
            if isinstance(field, forms.ChoiceField):
                # A model field's choices come as a lazy iterator that normalises them on every
                # pass: listed once, every row's select shares (and the editor compares) one list.
                field.choices = list(field.choices)
            field.__class__ = _RowField.get(field.__class__)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["target"].initial = self.instance.target_display
        for name, attrs in self.row_attrs(self.prefix).items():
            self.fields[name].widget.attrs.update(attrs)

    @classmethod
    def row_attrs(cls, prefix: str | None) -> dict[str, dict[str, str]]:
        """What a row's inputs carry besides the class's attrs: an aria-label naming the row and
        the column, and the column's help (``describe``) — for the forms and for the rows the
        editor writes without them (``indicators.editor``)."""
        index = (prefix or "").rsplit("-", 1)[-1]
        row = f"第{int(index) + 1}行" if index.isdigit() else "新增指标"
        attrs = {name: {"aria-label": f"{row} · {field.label}"} for name, field in cls.base_fields.items()}
        for name in EDITOR_HELP:
            ids = [cls.base_fields[name].widget.attrs.get("aria-describedby"), f"help-{name}"]
            attrs[name]["aria-describedby"] = " ".join(i for i in ids if i)
        # The direction's help is the note below the table (Django would otherwise point at a
        # "…_helptext" element the grid does not render).
        attrs["direction"]["aria-describedby"] = "help-direction"
        return attrs

    def mark_errors(self) -> None:
        """After validation: mark each refused field red and tie it to its message."""
        mark_errors(self, red=True)

    def clean(self):
        data = super().clean()
        tier1, tier2 = data.get("tier1"), data.get("tier2")
        mismatch = tier2_mismatch(tier1 or "", tier2 or "")
        if mismatch:
            self.add_error("tier2", mismatch)
        target = data.get("target")
        if target:
            try:
                indicator_set_target(indicator=self.instance, text=target)
            except ValidationError as exc:
                self.add_error("target", exc.message_dict["target"])
        return data


IndicatorForm._prepare_fields()


class BaseIndicatorFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, unit_year=None, **kwargs):
        self.unit_year = unit_year
        self._id_fields: dict[str | None, forms.ModelChoiceField] = {}  # per database: add_fields
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.unit_year is not None and not form.instance.pk:
            form.instance.unit_year = self.unit_year
        return form

    def add_fields(self, form, index):
        """``BaseModelFormSet.add_fields`` for the indicator's plain ``id``: the same hidden
        ``ModelChoiceField`` on every row, copied from one made per table instead of built on a
        fresh queryset cloned twice per row (two fifths of the cost of a table's forms)."""
        self._pk_field = Indicator._meta.pk
        if form.is_bound:
            pk_value = None if form.instance._state.adding else form.instance.pk
        else:
            try:
                pk_value = self.get_queryset()[index].pk if index is not None else None
            except IndexError:
                pk_value = None
        field = copy.deepcopy(self.id_field(form.instance._state.db))
        field.initial = pk_value
        form.fields[self._pk_field.name] = field
        forms.BaseFormSet.add_fields(self, form, index)  # 删除 (DELETE): delete_field's

    def id_field(self, db: str | None) -> forms.ModelChoiceField:
        """The rows' hidden ``id`` (as ``BaseModelFormSet.add_fields`` makes it), one per table."""
        if db not in self._id_fields:
            self._id_fields[db] = _RowField.get(forms.ModelChoiceField)(
                Indicator._default_manager.using(db), required=False, widget=forms.HiddenInput
            )
        return self._id_fields[db]

    def delete_field(self) -> forms.BooleanField:
        """The rows' 删除 box as ``BaseFormSet.add_fields`` makes it (for rows written without
        their forms: ``indicators.editor``)."""
        return forms.BooleanField(label=_("Delete"), required=False, widget=self.get_deletion_widget())


IndicatorFormSet = forms.modelformset_factory(
    Indicator, form=IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True
)
IndicatorFormSet.form._prepare_fields()  # the factory's form class builds its fields afresh


class LibraryPickForm(forms.Form):
    entry = forms.ModelChoiceField(label="指标库指标", queryset=LibraryIndicator.objects.none())
    fund_category = forms.ChoiceField(label="经费类别", choices=FundCategory.choices)

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = LibraryIndicator.objects.for_unit(unit_id)


class GroupForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="小组成员", queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    lead = forms.ModelChoiceField(label="组长", queryset=None, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["lead"].queryset = candidates
        self.fields["members"].label_from_instance = self.fields["lead"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}（{u.username}）"
        )


class MemberScoreForm(forms.Form):
    """One row of the scoring page. The service checks everything against the rules."""

    actual = forms.CharField(label="实际完成值", max_length=200, required=False)
    band = forms.ChoiceField(label="评价档次", choices=[("", "请选择")] + Band.choices, required=False)
    score = forms.CharField(label="得分", max_length=12, required=False)
    override_reason = forms.CharField(
        label="调整理由", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 20})
    )
    deviation_reason = forms.CharField(
        label="偏差原因分析及改进措施", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 20})
    )

    def __init__(self, *args, form_id: str = "", row_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if form_id:  # the inputs sit in table cells and belong to the row's <form> by id
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if name == "band" else "form-control form-control-sm"
            )
            field.widget.attrs["data-field"] = name
            field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            if row_label:
                field.widget.attrs["aria-label"] = f"{row_label} · {field.label}"
        describe(self, SCORING_HELP)


# -- 绩效目标: the department's goals and what became of them ----------------------------------

GOAL_TEXT_WIDGET = {"class": "form-control form-control-sm", "rows": 2}


class GoalForm(OrderedForm):
    """One goal (中长期 or 部门总目标): its text."""

    class Meta:
        model = Goal
        fields = ("order", "text")
        widgets = {"text": forms.Textarea(attrs={**GOAL_TEXT_WIDGET, "aria-label": "目标内容"})}
        error_messages = {"text": {"required": "请填写目标内容，或勾选“删除”去掉这一条。"}}


class AnnualGoalForm(OrderedForm):
    """One 年度绩效目标 with its 实际完成情况 (entered once; the report and the 自评表 print it)."""

    class Meta:
        model = Goal
        fields = ("order", "text", "achievement")
        widgets = {
            "text": forms.Textarea(attrs={**GOAL_TEXT_WIDGET, "aria-label": "年度绩效目标"}),
            "achievement": forms.Textarea(attrs={**GOAL_TEXT_WIDGET, "aria-label": "实际完成情况"}),
        }
        error_messages = {"text": {"required": "请填写目标内容，或勾选“删除”去掉这一条。"}}


def _goal_formset(form: type[forms.ModelForm]) -> type[forms.BaseInlineFormSet]:
    return forms.inlineformset_factory(
        UnitYear, Goal, form=form, extra=1, can_delete=True, max_num=100, validate_max=True
    )


# (kind, the table's title, its formset): in the order of the report (section 二).
GOAL_SECTIONS = (
    (GoalKind.LONG_TERM, "中长期绩效目标", _goal_formset(GoalForm)),
    (GoalKind.ANNUAL, "年度绩效目标", _goal_formset(AnnualGoalForm)),
    (GoalKind.OVERALL, "部门绩效总目标", _goal_formset(GoalForm)),
)


def goal_formsets(unit_year: UnitYear, data=None) -> list[tuple[str, str, forms.BaseInlineFormSet]]:
    """The three goal tables of ``unit_year`` as (kind, title, formset), bound to ``data`` if given."""
    return [
        (
            kind,
            title,
            formset_class(
                data,
                instance=unit_year,
                prefix=f"goals-{kind}",
                queryset=Goal.objects.filter(unit_year=unit_year, kind=kind).order_by("order", "id"),
            ),
        )
        for kind, title, formset_class in GOAL_SECTIONS
    ]


class ProjectEvaluationForm(forms.ModelForm):
    """A project's 年度总体目标 (预期目标), whether it is evaluated and its own tier-1 weights —
    set by the finance officer while the year is a draft."""

    class Meta:
        model = ProjectEvaluation
        fields = [
            "expected_goal",
            "included",
            "exclusion_reason",
            "output_weight",
            "benefit_weight",
            "satisfaction_weight",
            "execution_weight",
            "weights_reason",
        ]
        widgets = {
            "expected_goal": forms.Textarea(attrs={"rows": 3}),
            "exclusion_reason": forms.Textarea(attrs={"rows": 1}),
            "weights_reason": forms.Textarea(attrs={"rows": 1}),
        }

    def __init__(self, *args, project_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control form-control-sm"
            widget.attrs["class"] = css
            if name.endswith("_weight"):
                field.error_messages["invalid"] = f"{field.label}请填写数字。"
                widget.attrs["inputmode"] = "decimal"
            widget.attrs["aria-label"] = f"{project_name} · {field.label}"


class ProjectOutcomeForm(forms.ModelForm):
    """The 实际完成情况 of a project's 年度总体目标, written by the evaluation group."""

    class Meta:
        model = ProjectEvaluation
        fields = ["actual_outcome"]
        widgets = {"actual_outcome": forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"})}

    def __init__(self, *args, project_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_outcome"].widget.attrs["aria-label"] = f"{project_name} · 实际完成情况"


class ProjectFundsForm(forms.Form):
    """One source of a project's money: 年初预算数 / 全年预算数 / 全年执行数 (万元)."""

    initial_budget = MoneyField(label="年初预算数")
    full_year_budget = MoneyField(label="全年预算数")
    actual = MoneyField(label="全年执行数")

    def __init__(self, *args, row_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.row_label = row_label
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{row_label} · {field.label}（万元）"

    def mark_errors(self) -> None:
        """After validation: mark each refused amount red and tie it to its message below it."""
        mark_errors(self, red=True)


def project_funds_forms(data, project) -> dict[str, ProjectFundsForm]:
    """One form per source (当年财政拨款 / 上年结转资金 / 其他资金), filled from the stored rows."""
    stored = {row.source: row for row in project.funds.all()}
    result = {}
    for source in ProjectFundSource:
        row = stored.get(source.value)
        initial = {f: getattr(row, f) for f in ("initial_budget", "full_year_budget", "actual")} if row else {}
        result[source.value] = ProjectFundsForm(
            data, initial=initial, prefix=f"funds-{source.value}", row_label=source.label
        )
    return result
