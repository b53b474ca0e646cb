"""The upload screen before any file is chosen: what to upload, and the template and format help to
download (until now they were only on the command line)."""
from __future__ import annotations

import streamlit as st

from chiso.io.template import format_help_md, template_csv, template_xlsx
from chiso.rulebook import available_rulebooks, load_rulebook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_help(rulebook_id: str) -> None:
    st.info("Hãy chọn tệp số liệu ở thanh bên để bắt đầu.")
    st.markdown(
        "**Chưa có tệp?** Tải tệp mẫu, điền mỗi đơn vị một dòng (mã, tên, cấp, kỳ, các số liệu gốc và, nếu có, "
        "tổng điểm chính thức) rồi tải lên. Bảng báo cáo tháng của huyện/thành phố và các tệp JSON của Cổng "
        "DVCQG cũng đọc được. Số liệu còn thiếu có thể nhập sau, ngay trong ứng dụng (trang «Số liệu»)."
    )
    rb_id = st.selectbox("Tệp mẫu theo bộ quy tắc tính điểm (phiên bản)", available_rulebooks(),
                         index=available_rulebooks().index(rulebook_id) if rulebook_id in available_rulebooks() else 0,
                         format_func=lambda r: load_rulebook(r).name_vi, key="upload_help_rb")
    rb = load_rulebook(rb_id)
    c = st.columns(3)
    c[0].download_button("Tải tệp mẫu (Excel)", data=lambda: template_xlsx(rb), file_name=f"mau-so-lieu-{rb.id}.xlsx",
                         mime=XLSX_MIME, key="dl_template_xlsx", on_click="ignore")
    c[1].download_button("Tải tệp mẫu (CSV)", data=lambda: template_csv(rb), file_name=f"mau-so-lieu-{rb.id}.csv",
                         mime="text/csv", key="dl_template_csv", on_click="ignore")
    c[2].download_button("Tải hướng dẫn định dạng", data=lambda: format_help_md(rb).encode("utf-8"),
                         file_name=f"huong-dan-dinh-dang-{rb.id}.md", mime="text/markdown",
                         key="dl_format_help", on_click="ignore")
    with st.expander("Xem hướng dẫn định dạng"):
        st.markdown(format_help_md(rb))
