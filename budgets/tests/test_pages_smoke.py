import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "departments:profile",
    "departments:texts",
    "departments:history",
    "budgets:figures",
    "budgets:checks",
    "budgets:excel",
    "budgets:excel_download",
]


@pytest.mark.parametrize("name", PAGES)
def test_demo_pages_render(client, demo_year, name):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="officer"))
    response = client.get(reverse(name, args=[demo_year.unit.code, demo_year.year]))
    assert response.status_code == 200
