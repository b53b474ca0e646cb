"""Keep freed memory in the process instead of handing it back to the OS after every call.

The engine allocates a few MB of temporaries per call on large tables. With glibc's defaults each
block above the trim/mmap thresholds is returned to the OS when freed and page-faulted back on the
next call, which measured ~2× slower on 10.000 units (bench/bench_engine.py --default-malloc).
Entry points (app, CLI, benchmarks) opt in; importing chiso changes nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_LIMIT = 256 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Raise glibc's trim and mmap thresholds; a no-op (False) where glibc is not the allocator."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_TRIM_THRESHOLD, _LIMIT)) and bool(libc.mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024))
    except (OSError, AttributeError):
        return False
