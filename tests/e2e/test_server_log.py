"""The server-log check of the browser tests: it catches a traceback, and draining stderr in a thread keeps
a chatty server from blocking on a full pipe. Plain processes stand in for the server (no browser needed)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import _drain_log, stop_server


def chatty(code: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _drain_log(proc)
    return proc


def test_a_traceback_in_the_log_fails_with_its_lines():
    proc = chatty("import sys; sys.stderr.write('bắt đầu\\n'); 1/0")
    assert proc.wait(30) == 1
    with pytest.raises(pytest.fail.Exception, match="(?s)Traceback.*ZeroDivisionError"):
        stop_server(proc)


def test_uncaught_app_exception_is_caught_too():
    proc = chatty("import sys; sys.stderr.write('Uncaught app exception\\n')")
    proc.wait(30)
    with pytest.raises(pytest.fail.Exception, match="Uncaught app exception"):
        stop_server(proc)


def test_a_log_larger_than_the_pipe_does_not_block_the_server():
    # 4 MB of ordinary log lines: far more than a pipe buffer (64 KB) holds; without the reader it would hang
    proc = chatty("import sys\nfor i in range(40_000): sys.stderr.write('x' * 99 + '\\n')")
    assert proc.wait(60) == 0
    stop_server(proc)  # clean: no traceback
    assert len(proc.log) == 40_000
