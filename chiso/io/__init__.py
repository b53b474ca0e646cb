"""Data in and out: importers (portal JSON, canonical CSV/XLSX, monthly report tables), the
rulebook-generated template and the canonical files. Reports (Excel workbooks, the one-page print, score rows)
are ``chiso.reports``."""
