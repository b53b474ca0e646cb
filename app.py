"""chiso — Streamlit entry point: page config, navigation, shared sidebar."""
import streamlit as st

st.set_page_config(page_title="chiso — Bộ chỉ số 766", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon="📋", url_path="tong-quan", default=True),
]

nav = st.navigation(PAGES)
nav.run()
