"""In Chromium: a file of exactly the documented limit (20 MiB) passes the uploader — Streamlit's browser side,
which counts decimal MB, refused it in English («File must be 20.0MB or smaller.») — one byte more is refused by
the app in Vietnamese, and the drop zone shows the limits in Vietnamese, no English «Limit … per file».
A file over Streamlit's own cap (server.maxUploadSize, above ours) is refused by the browser in Vietnamese too."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.io.limits import MAX_TABLE_BYTES, STREAMLIT_UPLOAD_MB
from ui.vi_text import OVER_LIMIT_VI

CSV = b"ma_don_vi;ten_don_vi\n"


@pytest.mark.parametrize("extra", [0, 1])
def test_the_upload_limit_in_the_browser(page, server_url, extra):
    page.goto(server_url)
    page.get_by_role("combobox", name="Nguồn dữ liệu").click()
    page.get_by_role("option", name="Tải tệp lên…").click()
    zone = page.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_be_visible()
    assert "Limit" not in zone.inner_text() and "Tối đa 20 MB" in zone.evaluate(
        "z => getComputedStyle(z.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span'), '::after').content")
    data = CSV + b" " * (MAX_TABLE_BYTES + extra - len(CSV))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "bao-cao.csv", "mimeType": "text/csv", "buffer": data}])
    expect(page.get_by_test_id("stFileChipName")).to_be_visible()
    error = page.get_by_test_id("stAlertContentError").first
    expect(error).to_be_visible(timeout=60_000)  # this file is refused either way: by its size or its content
    text = error.inner_text()
    assert ("giới hạn 20 MB" in text) == bool(extra) and "bao-cao.csv" in text, text
    assert "or smaller" not in page.locator("body").inner_text()


def test_a_file_over_streamlits_own_cap_is_refused_in_vietnamese(page, server_url):
    """Above server.maxUploadSize Streamlit refuses a file in the browser, before the app sees it, with its own
    «File must be 25.0MB or smaller.» (in the file's row and its tooltip): static/vi.js puts the app's words there."""
    page.goto(server_url)
    page.get_by_role("combobox", name="Nguồn dữ liệu").click()
    page.get_by_role("option", name="Tải tệp lên…").click()
    expect(page.get_by_test_id("stFileUploaderDropzone")).to_be_visible()
    size = STREAMLIT_UPLOAD_MB * 1024 * 1024 + 1  # over the cap however it counts MB
    data = CSV + b" " * (size - len(CSV))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "bao-cao-lon.csv", "mimeType": "text/csv", "buffer": data}])
    chip = page.get_by_test_id("stFileChip")
    expect(chip.get_by_role("alert")).to_have_text(f"Lỗi: {OVER_LIMIT_VI}")
    shown = f"{size / 1e6:.1f}".replace(".", ",")  # Streamlit prints «26.2MB»: in Vietnamese «26,2 MB»
    expect(chip).to_have_attribute("aria-label", f"bao-cao-lon.csv, {shown} MB")
    chip.hover()  # the same words in the tooltip
    expect(page.get_by_role("tooltip")).to_contain_text(OVER_LIMIT_VI)
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert "or smaller" not in sidebar and "Error" not in sidebar, sidebar
