"""Browser test of batch generation: the administrator starts every unit's PDF for the demo year
from the leadership page, watches the progress reach 100 % (polled, no reload), reloads and still
sees it, and downloads the zip. The batch runs on the app's background thread (no broker); the
PDF renderer is held back until the test has seen the batch in progress, then stubbed."""

from __future__ import annotations

import hashlib
import re
import threading
import zipfile

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from departments.models import Unit, UnitYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_renderer(monkeypatch, settings, tmp_path):
    from django.core.cache import cache

    from reports import pdf as pdf_module

    settings.CELERY_BROKER_URL = None
    settings.REPORTS_BATCH_SYNC = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    release = threading.Event()

    def render(html, **kwargs):
        if not release.wait(timeout=60):
            raise RuntimeError("test renderer was never released")
        return b"%PDF-1.7\n% " + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n%%EOF\n"

    monkeypatch.setattr(pdf_module, "html_to_pdf", render)
    yield release
    release.set()  # never leave the batch thread waiting


def test_admin_generates_every_pdf_and_downloads_the_zip(page, login, demo_year, held_renderer, tmp_path):
    for i in range(1, 4):
        unit = Unit.objects.create(code=f"430923-Z{i}", name=f"安化县测试单位{i}")
        UnitYear.objects.create(unit=unit, year=2024)

    login("admin", DEMO_PASSWORD)
    page.goto("/reports/")
    section = page.get_by_test_id("batch-section")
    expect(section.get_by_label("年度")).to_have_value("2024")
    section.get_by_role("button", name="生成全部单位的 PDF").click()

    expect(page).to_have_url(re.compile(r"/reports/batches/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024年度报告批量生成")
    expect(page.get_by_test_id("batch-percent")).to_have_text("0")
    expect(page.get_by_test_id("batch-counts")).to_contain_text("共 4 个单位")
    expect(page.get_by_test_id("batch-zip")).to_be_hidden()

    held_renderer.set()  # the renders go ahead; the page follows by polling, without a reload
    expect(page.get_by_test_id("batch-percent")).to_have_text("100", timeout=30_000)
    expect(page.get_by_test_id("batch-status")).to_have_text("完成")
    expect(page.get_by_test_id("batch-counts")).to_contain_text("已生成 4 个")
    expect(page.get_by_test_id("batch-zip")).to_be_visible()
    assert page.get_by_test_id("batch-bar").evaluate("el => el.value") == 100

    page.reload()
    expect(page.get_by_test_id("batch-percent")).to_have_text("100")
    expect(page.get_by_test_id("batch-status")).to_have_text("完成")
    expect(page.get_by_test_id("batch-counts")).to_contain_text("失败 0 个")

    with page.expect_download() as download_info:
        page.get_by_test_id("batch-zip").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    assert download.suggested_filename.startswith("2024年度部门整体支出绩效自评报告")
    path = tmp_path / "reports.zip"
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == [
            "430923-RD-安化县人大常委会办公室2024年度部门整体支出绩效自评报告.pdf",
            *(f"430923-Z{i}-安化县测试单位{i}2024年度部门整体支出绩效自评报告.pdf" for i in range(1, 4)),
        ]
        for name in names:
            assert archive.read(name).startswith(b"%PDF-")

    # Back on the leadership page the batch is listed as finished.
    page.goto("/reports/")
    expect(page.get_by_test_id("batch-jobs")).to_contain_text("完成")
    expect(page.get_by_test_id("batch-jobs")).to_contain_text("4 / 4")
