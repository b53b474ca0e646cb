"""The upload limit the app shows is the one it enforces: a CSV of exactly 20 MiB reaches the importer (and is
judged by its content), one byte more is refused in Vietnamese with the file's name and the limit. Streamlit's
own limit (config.toml) is higher, so its English refusal is not what a user meets near ours
(tests/test_deploy_config.py); the browser's view of the drop zone: tests/e2e/test_upload_limit_e2e.py."""
from __future__ import annotations

from chiso.io.limits import MAX_TABLE_BYTES
from conftest import open_page

CSV = b"ma_don_vi;ten_don_vi\n"


def upload(data: bytes, name: str = "bao-cao-qua-lon.csv"):
    at = open_page(state={"data_source": "__upload__"})
    at.sidebar.file_uploader(key="uploader").upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_one_byte_over_the_limit_is_refused_in_vietnamese():
    at = upload(CSV + b" " * (MAX_TABLE_BYTES + 1 - len(CSV)))
    errors = [e.value for e in at.error]
    assert any("bao\\-cao\\-qua\\-lon\\.csv" in e and "giới hạn 20 MB" in e for e in errors), errors


def test_a_file_of_exactly_the_limit_is_read():
    at = upload(CSV + b" " * (MAX_TABLE_BYTES - len(CSV)))
    assert not any("giới hạn" in e.value for e in at.error), [e.value for e in at.error]


def test_the_uploader_names_the_limits():
    at = open_page(state={"data_source": "__upload__"})
    assert "20 MB mỗi tệp CSV/XLSX, 16 MB mỗi tệp JSON" in at.sidebar.file_uploader(key="uploader").help
