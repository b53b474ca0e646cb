"""``python -m chiso users`` as an administrator runs it on the server; passwords never on the command line."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from chiso.workspace import open_workspace
from chiso.workspace.access import Role

from conftest import ROOT, chiso
from test_cli import PORTAL

PASSWORD = "mật khẩu của phường một"


def run(url: str, *args: str, stdin: str = "", ok: bool = True):
    env = {"CHISO_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "chiso", "users", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True)
    assert (done.returncode == 0) == ok, done.stderr
    return done


def test_add_list_disable_passwd_round_trip(db_url):
    out = run(db_url, "add", "phuong1", "--role", "don_vi", "--unit", "000.20.30.H53", "--name", "UBND Phường 1",
              "--password-stdin", stdin=PASSWORD + "\n").stdout
    assert out.strip() == "Đã tạo tài khoản «phuong1» (đơn vị: 000.20.30.H53)."
    run(db_url, "add", "lan@tayninh.gov.vn", "--role", "tong_hop",
        "--unit", "000.00.30.H53", "--sso")
    listed = run(db_url, "list").stdout.splitlines()
    assert listed == ["lan@tayninh.gov.vn\t—\tcán bộ tổng hợp\t000.00.30.H53\tnhà cung cấp định danh\tđang dùng",
                      "phuong1\tUBND Phường 1\tđơn vị\t000.20.30.H53\tmật khẩu\tđang dùng"]
    ws = open_workspace(db_url)
    assert ws.sign_in("phuong1", PASSWORD).role is Role.UNIT
    run(db_url, "passwd", "phuong1", "--password-stdin", stdin="một mật khẩu hoàn toàn mới\n")
    assert ws.sign_in("phuong1", "một mật khẩu hoàn toàn mới").login == "phuong1"
    assert run(db_url, "disable", "phuong1").stdout.strip() == "Tài khoản «phuong1» đã bị khóa."
    assert [e.action for e in ws.audit_entries()][:4] == ["account_disable", "account_passwd", "account_add",
                                                          "account_add"]
    ws.close()


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "x", "--role", "chu_tich", "--sso"], "", "Vai trò «chu_tich» không có"),
    (["add", "x", "--role", "don_vi", "--password-stdin"], "ngan\n", "ít nhất 10 ký tự"),
    (["add", "x", "--role", "don_vi", "--sso"], "", "cần ít nhất một mã đơn vị"),
    (["add", "x", "--role", "khach"], "", "dùng --password-stdin"),  # no terminal, no password
    (["disable", "khong-co"], "", "Không có tài khoản «khong-co»"),
])
def test_mistakes_are_vietnamese_messages_and_exit_2(db_url, args, stdin, message):
    done = run(db_url, *args, stdin=stdin, ok=False)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_import_of_other_content_under_the_same_source_and_period_needs_new_version(db_url, tmp_path):
    copy = tmp_path / PORTAL.name
    shutil.copytree(PORTAL, copy)
    chiso(db_url, "import", str(copy), "--period", "2026-Q3")
    chiso(db_url, "import", str(copy), "--period", "2026-Q3")  # same content: nothing new
    first = next(copy.glob("*.json"))
    first.write_bytes(first.read_bytes().replace(b"}", b"} ", 1))  # other bytes, same numbers
    refused = chiso(db_url, "import", str(copy), "--period", "2026-Q3", ok=False)
    assert "phiên bản mới" in refused.stderr
    chiso(db_url, "import", str(copy), "--period", "2026-Q3", "--new-version")
    ws = open_workspace(db_url)
    (d,) = ws.datasets()
    assert [v.version for v in ws.dataset_versions(d.id)] == [2, 1]
    ws.close()
