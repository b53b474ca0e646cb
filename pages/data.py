"""Số liệu: see every raw count with its meaning and source, type what is missing or wrong (one unit or
the whole table), undo, see every revision, and download the completed table."""
import streamlit as st

from ui import address, collect_panel
from ui.data_view import DATA_TAB_KEY, downloads, history, table_editor, unit_editor
from ui.auth import AUTHOR, signed_in
from ui.entry import show_notice
from ui.state import remembered, rulebook_caption, sidebar, unit_picker

DATA_TABS = ["Một đơn vị", "Cả bảng", "Các lần sửa"]

data = sidebar()
st.title("Số liệu")
rulebook_caption(data)
show_notice()
collect_panel.notice()
st.caption(
    "Nhập hoặc sửa số liệu gốc ngay trong ứng dụng. Mỗi lần lưu là một lần sửa ghi đè lên số liệu đã nhập "
    "từ tệp (tệp gốc không bị thay đổi); mọi trang tính lại ngay: chỉ tiêu có đủ số liệu được tính điểm thay vì "
    "giữ nguyên, và yếu tố cải thiện tương ứng dùng được trong Mô phỏng và Lập kế hoạch. Ô sai (số âm, số lẻ, tử "
    "số lớn hơn mẫu số, tổng điểm ngoài 0–100) bị từ chối kèm lý do, và khi đó không ô nào được lưu."
)

with st.expander("Cách nhập và sửa số liệu"):
    st.markdown(
        "- **Một đơn vị:** chọn đơn vị, gõ vào cột «Giá trị mới» rồi bấm «Lưu các giá trị mới». Số liệu thiếu "
        "(⚠) nằm ở đầu bảng; cột «Nguồn» cho biết số liệu có trong tệp, suy ra từ tỷ lệ, giả định, lấy từ cấp "
        "tỉnh hay nhập tay.\n"
        "- **Cả bảng:** sửa từng ô hoặc dán một vùng sao chép từ Excel, rồi bấm «Lưu bảng».\n"
        "- **Ngay chỗ báo thiếu:** ở trang Mô phỏng (yếu tố «Thiếu số liệu») và Lập kế hoạch (nguyên nhân không "
        "thể đạt) có ô «Nhập: …» và nút «Lưu số liệu».\n"
        "- **Quy tắc:** số lượng là số nguyên không âm; tử số không lớn hơn mẫu số; tổng điểm chính thức trong "
        "0–100. Có ô sai thì không ô nào được lưu.\n"
        "- **Hoàn tác:** tab «Các lần sửa» liệt kê mọi lần lưu (thời điểm theo giờ Việt Nam, người nhập, số ô) "
        "và các giá trị đang áp dụng (cũ → mới); nút «Hoàn tác lần lưu gần nhất của bạn» bỏ cả lần lưu gần nhất "
        "do chính bạn thực hiện, sau khi liệt kê các ô sẽ trở lại và hỏi xác nhận.\n"
        "- **Nhiều người cùng nhập:** mỗi lần lưu được đối chiếu với số liệu bạn đã thấy. Nếu người khác vừa lưu "
        "một ô bạn cũng sửa, lần lưu của bạn bị từ chối (không ô nào được lưu), kèm giá trị họ đã lưu, ai lưu, "
        "lúc nào; bấm «Tải lại số liệu» rồi nhập lại.\n"
        "- **Lưu ở đâu:** với dữ liệu mẫu và bộ số liệu đã lưu, các lần sửa nằm trong cơ sở dữ liệu làm việc (còn "
        "sau khi tải lại trang); với tệp vừa tải lên mà chưa lưu, chúng chỉ có trong phiên này: tải «bảng đã hoàn "
        "thiện» để giữ lại. Giá trị đã gõ mà chưa bấm lưu vẫn còn khi chuyển tab."
    )

collect_panel.panel(data)

if not signed_in():  # with accounts, «Người nhập» is the signed-in account and cannot be typed
    # the name lives in AUTHOR, where ui.auth reads it; the widget gets it back on every page (widget ids are per page)
    st.text_input("Người nhập (không bắt buộc)", key="_w_edit_author", max_chars=100,
                  on_change=remembered("_w_edit_author", default="", shadow=AUTHOR),
                  help="Tên được ghi kèm mỗi lần sửa trong danh sách bên dưới.")

# only the open tab is built: the whole table's grid is 2,1 MB for the national sample (A/B, interleaved, median
# of 8: new session 3,49 → 3,29 s, returning visitor 2,08 → 1,66 s); unsaved edits survive (ui.kept_editor)
address.restore_tab("data_tab", DATA_TAB_KEY, DATA_TABS)
one, grid, revs = st.tabs(DATA_TABS, key=DATA_TAB_KEY, on_change="rerun")
address.put_tab("data_tab", DATA_TAB_KEY, DATA_TABS)
if one.open:
    with one:
        i = unit_picker(data, key="unit_pick_data")
        unit_editor(data, i)
if grid.open:
    with grid:
        st.caption("Bảng toàn bộ đơn vị: sửa từng ô, hoặc dán một vùng sao chép từ Excel (Ctrl+V). "
                   "Ô trống = không có số liệu. Bấm «Lưu bảng» để kiểm tra và lưu tất cả cùng lúc.")
        table_editor(data)
if revs.open:
    with revs:
        history(data)
st.subheader("Tải bảng số liệu")
st.caption("Bảng đã hoàn thiện (số liệu từ tệp cùng các giá trị nhập tay) theo định dạng chuẩn: tải lên lại "
           "được.", help="Người quản trị máy chủ cũng tính điểm được tệp này bằng lệnh python -m chiso score.")
downloads(data)
