"""Real-browser fixtures: Playwright for Python driving Debian's chromium (/usr/bin/chromium).

Playwright never downloads a browser here; ``make test`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import PASSWORD

CHROMIUM = os.environ.get("PERFEVAL_CHROMIUM", "/usr/bin/chromium")
# The sync API runs an event loop in the test thread; Django's ORM calls from the same thread
# (fixtures creating data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# axe-core from the npm registry (package.json; `make test` runs npm ci). Injected by the tests only,
# through the DevTools protocol (so the app's Content-Security-Policy stays as strict as it is); the
# app never serves it.
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA (GB/T 37668-2019 follows WCAG 2.1).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One run at a time in a page (axe refuses a second while one is running): runs queue up.
AXE_RUN = """async (tags) => {
  const run = () => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  window.__axeQueue = (window.__axeQueue || Promise.resolve()).catch(() => null).then(run);
  const result = await window.__axeQueue;
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), message: n.failureSummary})),
  }));
}"""


def violation_lines(violations) -> list[str]:
    lines = []
    for v in violations:
        for node in v["nodes"]:
            message = " ".join(node["message"].split())
            lines.append(f"  [{v['rule']}, {v['impact']}] {node['target']}: {v['help']} — {message}")
    return lines


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is now; one readable line per failing element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        if not AXE_JS.exists():
            pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make test does).")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return violation_lines(page.evaluate(AXE_RUN, AXE_TAGS))


def assert_accessible(page) -> None:
    """Fail now, with the list of violations, unless the page has none (WCAG 2.0/2.1 A and AA)."""
    lines = axe_violations(page)
    assert not lines, f"axe-core: {len(lines)} WCAG violation(s) on {page.url}:\n" + "\n".join(lines)


# Runs in every document of the test's browser context before the page's own scripts (an init
# script, so the app's Content-Security-Policy does not apply to it): when an app page has loaded,
# axe-core checks it inside the page and hands the result to Python through exposed functions.
# Python never calls into the page from an event callback, so a check can never wait on the test's
# own call (a synchronous ``page.evaluate`` inside a ``load`` handler could, and once hung CI).
AXE_WATCH = """(() => {
  if (window.top !== window || location.origin !== %(origin)s) return;
  const run = %(run)s;
  window.addEventListener("load", () => {
    if (document.contentType !== "text/html" || !document.body) return;
    const url = location.href;
    window.__axeStarted(url);
    setTimeout(() => run(%(tags)s).then(
      (violations) => window.__axeReport(url, violations),
      (error) => window.__axeReport(url, [
        {rule: "axe-error", impact: "error", help: String(error), nodes: [{target: "document", message: ""}]},
      ]),
    ), 0);
  });
})();"""


class AxeWatch:
    """Checks every app page the browser loads during a test, for the role signed in.

    Each page checks itself when it has loaded and reports through ``__axeReport``. A page the test
    left before its check finished (a click that navigates at once) is opened again at the end of
    the test, in the same browser context (same session), and checked then. Violations are gathered
    and fail the test at its end, page by page.
    """

    WAIT_SECONDS = 30

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.report: list[str] = []
        self.started: list[str] = []
        self.checked: set[str] = set()

    def attach(self, context) -> None:
        if not AXE_JS.exists():
            pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make test does).")
        origin = urlsplit(self.base_url)
        context.add_init_script(path=str(AXE_JS))
        context.add_init_script(
            AXE_WATCH
            % {
                "origin": json.dumps(f"{origin.scheme}://{origin.netloc}"),
                "run": AXE_RUN,
                "tags": json.dumps(AXE_TAGS),
            }
        )
        context.expose_function("__axeStarted", self.on_started)
        context.expose_function("__axeReport", self.on_report)

    def on_started(self, url: str) -> None:
        self.started.append(url)

    def on_report(self, url: str, violations) -> None:
        # Only records: nothing here may call back into the browser.
        self.checked.add(url)
        lines = violation_lines(violations)
        if lines:
            self.report.append(f"{url} ({len(lines)}):\n" + "\n".join(lines))

    def unchecked(self) -> list[str]:
        return [url for url in dict.fromkeys(self.started) if url not in self.checked]

    def _wait(self, page, until) -> bool:
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not until():
            if time.monotonic() > deadline:
                return False
            page.wait_for_timeout(50)  # lets Playwright deliver the pages' reports
        return True

    def finish(self, context) -> None:
        """Wait for the checks still running, then open and check each page the test left too soon."""
        pages = [p for p in context.pages if not p.is_closed()]
        if pages:
            self._wait(pages[0], lambda: not set(self.unchecked()) & {p.url for p in pages if not p.is_closed()})
        for url in self.unchecked():
            again = context.new_page()
            try:
                again.goto(url)
                if self.wants(again.url) and not self._wait(again, lambda url=again.url: url in self.checked):
                    self.report.append(f"{url}: axe-core did not finish in {self.WAIT_SECONDS} s")
            finally:
                again.close()

    def wants(self, url: str) -> bool:
        return url.startswith(self.base_url)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    # Every page the test visits must pass axe-core (WCAG 2.0/2.1 A and AA), whatever the role.
    watch = AxeWatch(live_server.url)
    watch.attach(context)
    page = context.new_page()
    # Every page must satisfy the Content-Security-Policy: collect violations and fail on any.
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    watch.finish(context)
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
    assert not watch.report, "axe-core WCAG violations:\n" + "\n\n".join(watch.report)


@pytest.fixture
def login(page):
    """Sign in through the real login form."""

    def _login(username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login
