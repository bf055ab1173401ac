"""Issue 15 item 7, the page half: the 收支与项目 page's own checker (static/js/budgets/figures.js)
reads every input of the shared table (budgets/tests/money_inputs.json) as the server does —
refused inputs are marked invalid, accepted ones count in the project total with the same amount."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TABLE = Path(__file__).resolve().parents[2] / "budgets" / "tests" / "money_inputs.json"
CASES = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]

# For each input: type it into the first project's 全年执行数 (as a user would: an input event),
# then read whether the page marked it invalid and the projects' 全年执行数 total it shows.
READ = """([name, cases]) => {
  const input = document.querySelector(`input[name="${name}"]`);
  return cases.map((typed) => {
    input.value = typed;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return [typed, input.classList.contains("is-invalid")];
  });
}"""


def test_the_page_refuses_and_accepts_what_the_server_does(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.get_by_test_id("next-step").first.click()  # 填报数据并送审 → 收支与项目
    expect(page.locator('input[name="projects-0-actual"]')).to_be_visible()
    page.wait_for_load_state("load")  # figures.js listens (visible can come first on a loaded machine)
    marked = dict(page.evaluate(READ, ["projects-0-actual", [typed for typed, _ in CASES]]))
    disagreements = [(typed, expected) for typed, expected in CASES if marked[typed] != (expected == "refused")]
    assert disagreements == []


def test_an_accepted_amount_counts_as_the_server_reads_it(page, login, demo_year):
    """The amounts, not only valid/invalid: the project total moves by what the server would store."""
    login("officer", DEMO_PASSWORD)
    page.get_by_test_id("next-step").first.click()
    amount = page.locator('input[name="projects-0-actual"]')
    total = page.get_by_test_id("projects-amount-sum")
    amount.fill("0")
    base = Decimal(total.inner_text())
    for typed, expected in CASES:
        if expected in (None, "refused") or Decimal(expected) > Decimal("100000"):
            continue
        amount.fill(typed)
        expect(total).to_have_text(f"{base + Decimal(expected):.2f}")
