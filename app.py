"""chiso — Streamlit entry point: page config, navigation, shared sidebar."""
import streamlit as st

from chiso.memory import keep_freed_memory
from ui import address, signin, vi_text

keep_freed_memory()  # engine temporaries stay in the process between reruns (see chiso/memory.py)

st.set_page_config(page_title="chiso — Bộ chỉ số 766", layout="wide")  # no page_icon: it would load from a CDN
# The app's two scripts, same-origin files (the deployment's CSP allows no inline script) in one hidden element,
# drawn unchanged on every run (not redrawn; each script guards against running twice): Streamlit's own English
# words (aria-labels, hints, errors) in Vietnamese, the sign-in form too; one history entry per menu visit.
st.html(vi_text.tag() + address.history_script(), unsafe_allow_javascript=True)

# One list of pages; each page draws the shared sidebar itself (ui.state.sidebar).
PAGES = [
    st.Page("pages/overview.py", title="Tổng quan", icon=":material/leaderboard:", url_path="overview", default=True),
    st.Page("pages/unit.py", title="Đơn vị", icon=":material/account_balance:", url_path="unit"),
    st.Page("pages/simulate.py", title="Mô phỏng", icon=":material/tune:", url_path="simulate"),
    st.Page("pages/plan.py", title="Lập kế hoạch", icon=":material/flag:", url_path="plan"),
    st.Page("pages/data.py", title="Số liệu", icon=":material/edit_note:", url_path="data"),
    st.Page("pages/policy.py", title="Kịch bản chính sách", icon=":material/groups:", url_path="policy"),
    st.Page("pages/guide.py", title="Học chỉ số", icon=":material/school:", url_path="guide"),
]

# With accounts on (CHISO_AUTH), a visitor not signed in gets the sign-in form and nothing else: every
# address is the sign-in page (menu hidden), so the address they came with opens once they are in.
if signin.ready():
    nav = st.navigation(PAGES + signin.admin_pages())
    signin.account_box()
else:
    nav = st.navigation(signin.sign_in_pages(PAGES), position="hidden")
nav.run()
address.flush()  # the page's view into the address bar, in one change (one history entry)
