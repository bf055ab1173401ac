"""Rows read as JSON objects: rows of several tables in one UNION, or a row of another table
riding along a query as a subquery.

Django's ``JSONObject`` writes a row's columns as one JSON value (``json_object`` on SQLite,
``JSONB_BUILD_OBJECT`` on PostgreSQL): rows of tables with different columns can then share a
UNION, and one row of another table can come with each row a query fetches. ``row_json`` names
the columns (as text: ``json_row`` reads numbers as ``Decimal``, never as floats);
``from_row_json`` makes the model instance again, each value as its field reads it from the
database.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import ExpressionWrapper, TextField
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time


def row_json(fields: tuple[models.Field, ...] | list[models.Field], **extra: Any) -> ExpressionWrapper:
    """The columns of ``fields`` (by attname) and ``extra`` expressions as one JSON text value."""
    return ExpressionWrapper(
        JSONObject(**{f.attname: f.attname for f in fields}, **extra),
        output_field=TextField(),
    )


def json_row(value: str | dict | None) -> dict | None:
    """``row_json``'s value as a dict, numbers as ``Decimal``."""
    if value is None or isinstance(value, dict):
        return value
    return dict(json.loads(value, parse_float=Decimal))


def json_value(field: models.Field, value: Any) -> Any:
    """A column's value from a JSON object as ``field`` reads it from the database."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.JSONField):
        # A JSON column is text inside SQLite's object, a JSON value inside PostgreSQL's.
        return json.loads(value) if isinstance(value, str) and connection.vendor == "sqlite" else value
    if isinstance(field, models.BooleanField):
        return bool(value)  # 0 / 1 on SQLite
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is not None and settings.USE_TZ and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, datetime.UTC)  # SQLite keeps UTC, naive
        return parsed
    if isinstance(field, models.DateField):
        return parse_date(value)
    if isinstance(field, models.TimeField):
        return parse_time(value)
    return value


def from_row_json(model: type[models.Model], fields: tuple[models.Field, ...] | list[models.Field], data: dict) -> Any:
    """The stored ``model`` instance whose ``fields`` ``data`` holds (``row_json``'s keys)."""
    instance = model(**{f.attname: json_value(f, data.get(f.attname)) for f in fields})
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
