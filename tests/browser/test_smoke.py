import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_and_sees_the_unit(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    expect(page.get_by_test_id("current-user")).to_have_text("演示财务人员")
    expect(page.get_by_test_id("home-table")).to_contain_text("安化县人大常委会办公室")
    expect(page.get_by_test_id("home-table")).to_contain_text("2024年度")
    # Bootstrap is served by the app itself (no CDN): the navbar is styled.
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"


def test_wrong_password_is_refused_in_chinese(page, login, demo_year):
    login("officer", "wrong-password")
    expect(page.locator("form")).to_contain_text("请输入一个正确的")
