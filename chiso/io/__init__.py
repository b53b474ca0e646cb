"""Data in and out: importers (portal JSON, canonical CSV/XLSX, monthly report tables), the
rulebook-generated template, and the exporters (Excel workbooks, one-page print) beside them."""
