"""The 数据校验 findings (``budgets.checks``) as the flow sees them: each with its written
explanation, if any. 定稿 needs every finding resolved (the figures corrected, so the finding is
gone) or explained; an explanation belongs to the exact finding (code and message, which names
the figures), so a finding whose figures change is open again."""

from __future__ import annotations

from dataclasses import dataclass

from budgets.checks import year_checks
from budgets.figures import FIGURE_PREFETCH, YearFigures, year_figures
from departments.models import UnitYear

from .models import CheckExplanation, check_key


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    explanation: CheckExplanation | None

    @property
    def key(self) -> str:
        return check_key(self.code, self.message)

    @property
    def is_open(self) -> bool:
        return self.explanation is None


def year_findings(unit_year: UnitYear, *, figures: YearFigures | None = None) -> list[Finding]:
    """The year's current findings with their explanations. Queries: the year with its four
    figure tables (1 + 4) unless its ``figures`` are given (the report has them), the
    explanations with their authors (1; none when nothing is found)."""
    if figures is None:
        unit_year = UnitYear.objects.prefetch_related(*FIGURE_PREFETCH).get(pk=unit_year.pk)
        figures = year_figures(unit_year)
    checks = year_checks(figures, unit_year)
    if not checks:
        return []
    # By key, so unsorted (the model's ordering would join the year and its unit to sort).
    found = CheckExplanation.objects.filter(unit_year=unit_year).select_related("user").order_by()
    explanations = {e.key: e for e in found}
    return [Finding(c.code, c.message, explanations.get(check_key(c.code, c.message))) for c in checks]


def open_findings(unit_year: UnitYear) -> list[Finding]:
    """The findings still needing an explanation (or a correction) before 定稿."""
    return [f for f in year_findings(unit_year) if f.is_open]
