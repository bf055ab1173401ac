"""A finalised year is read-only in the Django admin too, for every model that belongs to it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets.models import IncomeLine, ProjectLine
from departments.models import Duty, YearStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", password="x")


def test_finalised_year_cannot_be_changed_in_admin(client, superuser, demo_year):
    client.force_login(superuser)
    line = IncomeLine.objects.filter(unit_year=demo_year).first()
    project = ProjectLine.objects.filter(unit_year=demo_year).first()
    duty = Duty.objects.filter(unit_year=demo_year).first()
    urls = [
        reverse("admin:departments_unityear_change", args=[demo_year.pk]),
        reverse("admin:budgets_incomeline_change", args=[line.pk]),
        reverse("admin:budgets_projectline_change", args=[project.pk]),
        reverse("admin:departments_duty_change", args=[duty.pk]),
    ]
    for url in urls:
        assert 'name="_save"' in client.get(url).content.decode(), url

    demo_year.status = YearStatus.FINALISED
    demo_year.save()
    for url in urls:
        body = client.get(url).content.decode()
        assert 'name="_save"' not in body, url  # shown read-only, no save button
        assert client.post(url, {}).status_code == 403, url
    delete = reverse("admin:budgets_projectline_delete", args=[project.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ProjectLine.objects.filter(pk=project.pk).exists()
