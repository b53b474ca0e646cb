"""Streamlit glue shared by the pages: session state and the sidebar. No scoring logic here."""
