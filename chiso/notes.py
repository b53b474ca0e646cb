"""The disclaimers, written once: every screen, export, print and help text imports them from here."""
from __future__ import annotations

# under every figure chiso shows or exports: it recomputes, the portal is the official source
REFERENCE_VI = "Số liệu tham khảo, không thay thế số liệu chính thức trên Cổng DVCQG."
REFERENCE_EN = "For reference; not a replacement for the portal's official figures."  # the CLI help is bilingual

# beside figures from a synthetic data set (the sidebar's warning, exports, prints)
SYNTHETIC_VI = "Dữ liệu mô phỏng, không phải số liệu chính thức."
# the importer's note on a synthetic data set (kept in the table's notes, and stored with a dataset)
SYNTHETIC_IMPORT_VI = "Dữ liệu giả lập (mô phỏng), không phải số liệu chính thức."

__all__ = ["REFERENCE_EN", "REFERENCE_VI", "SYNTHETIC_IMPORT_VI", "SYNTHETIC_VI"]
