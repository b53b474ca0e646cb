"""chiso.memory: glibc accepts the thresholds (our machines run glibc); calling twice is harmless."""
import platform

from chiso.memory import keep_freed_memory


def test_keep_freed_memory_on_glibc() -> None:
    expected = platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is expected
    assert keep_freed_memory() is expected
