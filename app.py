"""chiso — Streamlit entry point: page config, navigation, shared sidebar."""
import streamlit as st

st.set_page_config(page_title="chiso — Bộ chỉ số 766", layout="wide")  # no page_icon: it would load from a CDN

# One list of pages; each page draws the shared sidebar itself (ui.state.sidebar).
PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon=":material/leaderboard:", url_path="tong-quan", default=True),
    st.Page("pages/unit.py", title="Đơn vị", icon=":material/account_balance:", url_path="don-vi"),
    st.Page("pages/simulate.py", title="Mô phỏng", icon=":material/tune:", url_path="mo-phong"),
    st.Page("pages/plan.py", title="Lập kế hoạch", icon=":material/flag:", url_path="lap-ke-hoach"),
    st.Page("pages/policy.py", title="Kịch bản chính sách", icon=":material/groups:", url_path="kich-ban-chinh-sach"),
    st.Page("pages/guide.py", title="Học chỉ số", icon=":material/school:", url_path="hoc-chi-so"),
]

nav = st.navigation(PAGES)
nav.run()
