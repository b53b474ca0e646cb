"""In Chromium: a file of exactly the documented limit (20 MiB) passes the uploader — Streamlit's browser side,
which counts decimal MB, refused it in English («File must be 20.0MB or smaller.») — one byte more is refused by
the app in Vietnamese, and the drop zone shows the limits in Vietnamese, no English «Limit … per file»."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.io.limits import MAX_TABLE_BYTES

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
