"""Load the reference report as demo data, and the demo accounts. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from budgets.models import IncomeLine, ProjectKind, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import Duty, Membership, Organ, OrganKind, Role, Unit, UnitYear
from indicators.models import Goal, Indicator
from indicators.targets import parse_target
from overview.summaries import year_summaries_refresh

from . import data
from .county import CountyResult, county_load, county_years


@dataclass(frozen=True)
class DemoResult:
    unit_year: UnitYear
    created: bool
    accounts: list[tuple[str, str, str]]  # (username, role label, password or note)
    finalised: bool = False  # taken through the flow to 定稿 by this call
    county: CountyResult | None = None  # the demo county (demo.county), when asked for


@transaction.atomic
def demo_load(*, reset: bool = False, finalised: bool = False, county: bool = False) -> DemoResult:
    """The draft demo year (``make run``), or with ``finalised`` the same year scored, explained
    and finalised through the real services (``demo.finalise``). With ``county`` the demo county
    too (``demo.county``: thirty synthetic units over three years; ``load_demo`` loads it unless
    ``--no-county``). Idempotent; ``reset`` reloads."""
    unit, _ = Unit.objects.get_or_create(code=data.UNIT["code"], defaults=data.UNIT)
    for affiliated in data.AFFILIATED_UNITS:
        Unit.objects.get_or_create(
            code=affiliated["code"], defaults={**affiliated, "region": unit.region, "parent": unit}
        )

    existing = UnitYear.objects.filter(unit=unit, year=data.YEAR).first()
    if existing is not None and reset:
        existing.delete()
        existing = None
    created = existing is None
    unit_year = existing or _create_year(unit)
    accounts = _ensure_accounts(unit)
    done = False
    if finalised:
        from .finalise import demo_finalise

        done = demo_finalise(unit_year=unit_year)
        unit_year.refresh_from_db()
    loaded_county = county_load(password=data.DEMO_PASSWORD, reset=reset) if county else None
    # The lines were bulk-created (no signals): compute the overview's summaries here.
    county_ids = list(county_years().values_list("pk", flat=True)) if county else []
    year_summaries_refresh(unit_year_ids=[unit_year.pk, *county_ids])
    return DemoResult(unit_year=unit_year, created=created, accounts=accounts, finalised=done, county=loaded_county)


def _create_year(unit: Unit) -> UnitYear:
    unit_year = UnitYear(unit=unit, year=data.YEAR, **data.PROFILE)
    unit_year.full_clean()
    unit_year.save()

    _bulk(
        Duty,
        [Duty(unit_year=unit_year, order=i, text=text) for i, text in enumerate(data.DUTIES, start=1)],
    )
    affiliated = {u.name: u for u in Unit.objects.filter(parent=unit)}
    _bulk(
        Organ,
        [
            Organ(
                unit_year=unit_year,
                kind=OrganKind(kind),
                order=i,
                name=name,
                affiliated_unit=affiliated.get(name) if kind == OrganKind.AFFILIATED else None,
            )
            for kind, names in data.ORGANS.items()
            for i, name in enumerate(names, start=1)
        ],
    )
    _bulk(
        IncomeLine,
        [
            IncomeLine(unit_year=unit_year, source=s, initial_budget=a, full_year_budget=b, actual=c, previous_year=p)
            for s, a, b, c, p in data.INCOME
        ],
    )
    _bulk(
        SpendingLine,
        [
            SpendingLine(unit_year=unit_year, kind=k, initial_budget=a, full_year_budget=b, actual=c, previous_year=p)
            for k, a, b, c, p in data.SPENDING
        ],
    )
    _bulk(
        ThreePublicLine,
        [
            ThreePublicLine(unit_year=unit_year, kind=k, budget=b, actual=a, previous_year=p)
            for k, b, a, p in data.THREE_PUBLIC
        ],
    )
    _bulk(
        ProjectLine,
        [
            *(
                ProjectLine(
                    unit_year=unit_year,
                    order=i,
                    name=name,
                    initial_budget=amount,
                    full_year_budget=amount,
                    actual=amount,
                )
                for i, (name, amount) in enumerate(data.PROJECTS, start=1)
            ),
            ProjectLine(
                unit_year=unit_year,
                order=len(data.PROJECTS) + 1,
                name=data.UNITEMISED_ADDITION[0],
                kind=ProjectKind.UNITEMISED,
                initial_budget=data.UNITEMISED_ADDITION[1],
                full_year_budget=data.UNITEMISED_ADDITION[2],
                actual=data.UNITEMISED_ADDITION[3],
            ),
        ],
    )
    _bulk(
        Goal,
        (
            Goal(unit_year=unit_year, kind=kind, order=i, text=text)
            for kind, texts in data.GOALS.items()
            for i, text in enumerate(texts, start=1)
        ),
    )
    indicators = []
    for i, (fund_category, tier1, tier2, name, target) in enumerate(data.INDICATORS, start=1):
        parsed = parse_target(target)
        indicator = Indicator(
            unit_year=unit_year,
            fund_category=fund_category,
            order=i,
            tier1=tier1,
            tier2=tier2,
            name=name,
            target_kind=parsed.kind,
            comparator=parsed.comparator,
            target_value=parsed.value,
            target_unit=parsed.unit,
            target_text=parsed.text,
            deadline=parsed.deadline,
        )
        indicator.full_clean()
        indicators.append(indicator)
    _bulk(Indicator, indicators)
    return unit_year


def _bulk(model, objs) -> None:
    """Create with a history record each, so 修改记录 shows the loaded values as the old ones."""
    bulk_create_with_history(list(objs), model)


def _ensure_accounts(unit: Unit) -> list[tuple[str, str, str]]:
    User = get_user_model()
    rows = []
    for username, full_name, role in data.ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN},
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, unit=None if role == Role.ADMIN else unit, role=role)
        rows.append((username, Role(role).label, data.DEMO_PASSWORD if created else "（已存在，密码未改动）"))
    return rows
