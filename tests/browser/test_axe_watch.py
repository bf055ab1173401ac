"""The axe-core watch itself: a page with a WCAG violation fails, whether the test stays on it or
leaves it before its check has finished (it is then opened again and checked at the end)."""

from __future__ import annotations

import pytest

from .conftest import AxeWatch

pytestmark = pytest.mark.browser

HEAD = "<!doctype html><html lang='zh-CN'><head><title>探针</title></head>"
BAD = HEAD + "<body><main><img src='/x.png'></main></body></html>"  # an image without alt text
GOOD = HEAD + "<body><main><h1>好</h1></main></body></html>"


@pytest.fixture
def probe(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    pages = {"/probe/bad/": BAD, "/probe/good/": GOOD}
    context.route(
        "**/probe/*/",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8", body=pages[route.request.url[len(live_server.url) :]]
        ),
    )
    context.route("**/x.png", lambda route: route.fulfill(status=404, body=""))
    watch = AxeWatch(live_server.url)
    watch.attach(context)
    yield context, watch
    context.close()


def test_a_page_with_a_violation_is_reported(probe):
    context, watch = probe
    page = context.new_page()
    page.goto("/probe/good/")
    page.goto("/probe/bad/")
    watch.finish(context)
    assert len(watch.report) == 1, watch.report
    assert watch.report[0].startswith(f"{watch.base_url}/probe/bad/")
    assert "image-alt" in watch.report[0]
    assert {f"{watch.base_url}/probe/good/", f"{watch.base_url}/probe/bad/"} <= watch.checked


def test_a_page_left_before_its_check_is_checked_at_the_end(probe):
    context, watch = probe
    page = context.new_page()
    # Leave the page the moment it has loaded, before axe-core can have reported.
    page.goto("/probe/bad/", wait_until="load")
    page.goto("/probe/good/", wait_until="commit")
    # Close the tab only once the next page has loaded: Chromium can drop a close that races a
    # navigation commit, and page.close() then waits forever (microsoft/playwright#42366).
    page.wait_for_load_state("load")
    page.close()
    watch.finish(context)
    assert any("image-alt" in entry for entry in watch.report), (watch.report, watch.started, watch.checked)


def test_pages_of_other_origins_are_not_checked(probe):
    context, watch = probe
    page = context.new_page()
    page.goto("about:blank")
    page.set_content(BAD)
    watch.finish(context)
    assert watch.report == [] and watch.started == []
