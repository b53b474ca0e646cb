"""chiso.memory: opting in is harmless and reports whether glibc accepted it."""
from chiso.memory import keep_freed_memory


def test_keep_freed_memory_is_idempotent() -> None:
    first = keep_freed_memory()
    assert keep_freed_memory() == first
    assert isinstance(first, bool)
