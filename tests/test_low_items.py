"""Issue 15's low items: no caching of personal responses, an idle session timeout, plausible
report dates, and a NUL in a search that does not break the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from departments.tests.test_data_entry import profile_post
from indicators.models import LibraryIndicator
from perfeval.middleware import SESSION_REFRESHED

pytestmark = pytest.mark.django_db


@pytest.fixture
def oc(client, demo_year):
    client.force_login(get_user_model().objects.get(username="officer"))
    return client


def year_url(name, unit_year):
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


# ---------------------------------------------------------------- Cache-Control


def test_personal_pages_and_downloads_are_not_stored(oc, demo_year):
    page = oc.get(year_url("budgets:figures", demo_year))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    download = oc.get(year_url("budgets:excel_download", demo_year))
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"


# ---------------------------------------------------------------- idle session timeout


def test_session_ends_after_two_idle_hours_and_each_request_restarts_the_clock(oc, demo_year, settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    page = year_url("budgets:figures", demo_year)
    session = Session.objects.get()
    # The last refresh was six minutes ago, ten minutes are left: a request gives two hours again.
    store = SessionStore(session_key=session.session_key)
    store[SESSION_REFRESHED] -= 6 * 60
    store.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=10))
    response = oc.get(page)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * 3600
    expires = Session.objects.get(pk=session.pk).expire_date
    assert abs(expires - (timezone.now() + timedelta(hours=2))) < timedelta(minutes=1)
    # Two hours without a request: signed out, back to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = oc.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_requests_soon_after_a_refresh_do_not_write_the_session(oc, demo_year, settings):
    page = year_url("budgets:figures", demo_year)
    oc.get(page)
    written = Session.objects.get().expire_date
    response = oc.get(page)
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing written, no new cookie
    assert Session.objects.get().expire_date == written


# ---------------------------------------------------------------- report date


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_implausible_report_dates_are_refused(oc, demo_year, typed):
    data = profile_post(demo_year) | {"report_date": typed}
    response = oc.post(year_url("departments:profile", demo_year), data)
    assert response.status_code == 200
    assert "报告日期须在 2000-01-01 至 2100-12-31 之间，请核对。" in response.content.decode()
    demo_year.refresh_from_db()
    assert str(demo_year.report_date) != typed


def test_a_plausible_report_date_is_saved(oc, demo_year):
    data = profile_post(demo_year) | {"report_date": "2025-03-31"}
    assert oc.post(year_url("departments:profile", demo_year), data).status_code == 302
    demo_year.refresh_from_db()
    assert str(demo_year.report_date) == "2025-03-31"


def test_the_date_field_offers_only_the_plausible_range(oc, demo_year):
    html = oc.get(year_url("departments:profile", demo_year)).content.decode()
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


# ---------------------------------------------------------------- NUL in a search


def test_nul_in_the_library_search_is_ignored(oc, demo_year):
    LibraryIndicator.objects.create(tier1="output", tier2="quantity", name="abc会议次数")
    response = oc.get(reverse("indicators:library") + "?q=%00abc")
    assert response.status_code == 200
    assert "abc会议次数" in response.content.decode()
    assert oc.get(reverse("indicators:library") + "?tier1=%00").status_code == 200
    assert oc.get(reverse("indicators:library") + "?q%00=%00&tier1=out%00put").status_code == 200
