"""Data-entry forms for the year's money. Every amount goes through ``parse_money`` — the
browser form and the Excel import refuse the same inputs with the same Chinese messages."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from perfeval.xlsx_guard import MAX_ROWS as MAX_PROJECTS

from .models import AMOUNT_LABELS, IncomeSource, ProjectKind, ProjectLine, SpendingKind, ThreePublicKind

# 1 000 亿元. A unit's figure beyond this is a unit mistake (元 typed into a 万元 field).
MONEY_LIMIT = Decimal("10000000")
_SEPARATORS = re.compile(r"[,，\s]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
# After full-width digits are made ASCII and separators dropped: ASCII digits, and a decimal point
# only with digits on both sides — the page's rule (static/js/budgets/figures.js parseCents).
# "-" is let through so a negative gets its own message; Decimal() would also take "1e2", "+5",
# ".5", "1_000", "NaN" and other scripts' digits ("١٢٣"), which the page refuses.
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def parse_money(value: object) -> Decimal | None:
    """An amount in 万元 from what a person typed (or a spreadsheet cell held).

    Blank → ``None`` ("not stated", which is not 0). Refuses non-numbers, negatives, more than
    two decimals and absurd magnitudes with a Chinese message."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError("请输入数字金额（万元）。", code="invalid")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Spreadsheet cells hold binary floats; their shortest repr is what the person typed.
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = _SEPARATORS.sub("", str(value).translate(_FULLWIDTH))
        if text == "":
            return None
        if text.endswith("万元"):
            text = text[:-2]
        try:
            if not _AMOUNT.fullmatch(text):
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                f"“{value}”不是数字，请填写以万元为单位的金额，例如 1304.57。", code="invalid"
            ) from None
    if not number.is_finite():
        raise ValidationError("请输入数字金额（万元）。", code="invalid")
    if number < 0:
        raise ValidationError("金额不能为负数。", code="negative")
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise ValidationError("金额最多保留两位小数（单位：万元）。", code="decimals")
    if number >= MONEY_LIMIT:
        raise ValidationError("金额超过 1000 亿元（10000000 万元），请确认单位是万元而不是元。", code="magnitude")
    return number.quantize(Decimal("0.01"))


# What each money column means, shown once above the tables of 收支与项目 (figures.html, the
# element ``help-<column>``) and tied to every input of that column by aria-describedby.
COLUMN_HELP = {
    "initial_budget": "年初预算数：年初人代会批准的预算。",
    "full_year_budget": "全年预算数：年初预算加年中追加、调整后的预算；执行率按它计算。",
    "actual": "全年执行数：全年实际收入或支出（决算数）。",
    "previous_year": "上年数：上年的全年执行数。",
}


def describe_columns(form) -> None:
    """Point each money input of ``form`` at its column's help (``COLUMN_HELP``)."""
    for name, field in form.fields.items():
        if name in COLUMN_HELP:
            field.help_text = COLUMN_HELP[name]
            field.widget.attrs["aria-describedby"] = f"help-{name}"


def mark_errors(form, *, red: bool = False) -> None:
    """Tie each refused field of a validated form to its message (aria-invalid, aria-describedby,
    the message first, then the column's help) and, ``red``, mark it so (Bootstrap's
    ``is-invalid``); call after validation, never from ``__init__`` (reading ``errors`` there
    validates too early)."""
    if not form.is_bound:
        return
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            described = " ".join(filter(None, [f"{form[name].auto_id}-error", attrs.get("aria-describedby")]))
            attrs.update({"aria-invalid": "true", "aria-describedby": described})
            if red:
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class MoneyField(forms.CharField):
    """A 万元 amount typed as text (so "1,304.57" is accepted) and cleaned by ``parse_money``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "class": "form-control form-control-sm num", "data-money": ""}
        )

    def __deepcopy__(self, memo):
        # Each form copies its fields (``BaseForm.__init__``), 收支与项目 about a hundred of these:
        # what ``Field.__deepcopy__`` copies (the widget with its attrs, the messages, the
        # validators), without ``copy.copy``'s generic reduce — a third of the page's form set-up.
        result = object.__new__(type(self))
        result.__dict__.update(self.__dict__)
        widget = object.__new__(type(self.widget))
        widget.__dict__.update(self.widget.__dict__)
        widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        memo[id(self)] = result
        return result

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value

    def to_python(self, value):
        return parse_money(super().to_python(value))


COLUMN_LABELS = AMOUNT_LABELS


class AmountsForm(forms.Form):
    """年初预算数 / 全年预算数 / 全年执行数 / 上年数 of one income or spending line."""

    initial_budget = MoneyField(label="年初预算数")
    full_year_budget = MoneyField(label="全年预算数")
    actual = MoneyField(label="全年执行数")
    previous_year = MoneyField(label="上年数")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_columns(self)


class ThreePublicForm(forms.Form):
    budget = MoneyField(label="预算数")
    actual = MoneyField(label="实际支出数")
    previous_year = MoneyField(label="上年实际数")


class ProjectLineForm(forms.ModelForm):
    # The position in the list; the service renumbers 1, 2, 3 … on save.
    order = forms.IntegerField(
        label="序号",
        required=False,
        min_value=0,
        max_value=9999,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "data-order": ""}),
    )
    # A project, or the year's mid-year addition not broken down by project (its own row).
    # Optional: a post without it (an older page) means a project.
    kind = forms.ChoiceField(
        label="类型",
        choices=ProjectKind.choices,
        required=False,
        initial=ProjectKind.PROJECT,
        widget=forms.Select(attrs={"class": "form-select form-select-sm mt-1", "data-project-kind": ""}),
    )
    initial_budget = MoneyField(label="年初预算数")
    full_year_budget = MoneyField(label="全年预算数")
    actual = MoneyField(label="全年执行数")

    class Meta:
        model = ProjectLine
        fields = ("order", "name", "kind", "initial_budget", "full_year_budget", "actual", "usage")
        widgets = {
            "name": forms.Textarea(attrs={"class": "form-control form-control-sm project-name", "rows": 2}),
            "usage": forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 1}),
        }
        error_messages = {"name": {"required": "请填写项目名称。"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        row = f"项目第{int(index) + 1}行" if index.isdigit() else "新增项目"
        self.row_label = row
        for field in self.fields.values():
            unit = "（万元）" if isinstance(field, MoneyField) else ""
            field.widget.attrs["aria-label"] = f"{row} · {field.label}{unit}"
        describe_columns(self)

    def clean_kind(self) -> str:
        # Not posted (an older page): a stored row keeps its kind, a new one is a project.
        return self.cleaned_data.get("kind") or (self.instance.kind if self.instance.pk else ProjectKind.PROJECT)

    def clean_order(self) -> int:
        order = self.cleaned_data.get("order")
        return 9999 if order is None else order


# As many project lines as the Excel import accepts (perfeval.xlsx_guard.MAX_ROWS): a year that
# could be imported can always be saved from the form.
class BaseProjectFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # named by the row it removes: "删除项目第3行"
            form.fields["DELETE"].widget.attrs["aria-label"] = f"删除{form.row_label}"


ProjectFormSet = forms.modelformset_factory(
    ProjectLine,
    form=ProjectLineForm,
    formset=BaseProjectFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_PROJECTS,
    validate_max=True,
)


def amounts_forms(data, lines: dict, choices, *, prefix: str) -> dict[str, AmountsForm]:
    """One ``AmountsForm`` per choice (income source / spending kind), filled from ``lines``."""
    forms_by_key = {}
    for choice in choices:
        line = lines.get(choice.value)
        initial = {name: getattr(line, name) for name in COLUMN_LABELS} if line else {}
        forms_by_key[choice.value] = AmountsForm(data, initial=initial, prefix=f"{prefix}-{choice.value}")
    return forms_by_key


def three_public_forms(data, lines: dict) -> dict[str, ThreePublicForm]:
    result = {}
    for kind in ThreePublicKind:
        line = lines.get(kind.value)
        initial = {n: getattr(line, n) for n in ("budget", "actual", "previous_year")} if line else {}
        result[kind.value] = ThreePublicForm(data, initial=initial, prefix=f"tp-{kind.value}")
    return result


__all__ = [
    "IncomeSource",
    "SpendingKind",
    "ThreePublicKind",
    "parse_money",
    "MoneyField",
    "AmountsForm",
    "ThreePublicForm",
    "ProjectFormSet",
    "amounts_forms",
    "three_public_forms",
    "COLUMN_LABELS",
]
