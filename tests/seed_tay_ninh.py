"""The 11-unit table of TP. Tây Ninh's monthly report (Công văn 308/UBND, 06/3/2023), as test oracle.

Copied from the report (data only). Shared by the import and sample tests.
"""
from __future__ import annotations

# code, name, received, notified overdue, overdue on MCĐT, online %, satisfaction %, e-result %,
# digitised %, e-certified copies, online payments, official total, change vs last month
SEED = [
    ("000.00.30.H53", "Cơ quan chuyên môn thành phố", 454, 57, 4, 91.48, 100, 64.02, 80, 246, 284, 58.58, 1.70),
    ("000.20.30.H53", "UBND Phường 1", 365, 0, 0, 100, 100, 2.78, 100, 1546, 346, 56.07, 0.19),
    ("000.21.30.H53", "UBND Phường 2", 144, 6, 0, 75, 100, 78.06, 74.75, 1064, 134, 60.22, 2.79),
    ("000.22.30.H53", "UBND Phường 3", 49, 2, 0, 100, 100, 74.6, 100, 378, 3, 62.57, 1.58),
    ("000.23.30.H53", "UBND Phường IV", 77, 2, 0, 100, 100, 44, 100, 375, 53, 58.55, 4.57),
    ("000.25.30.H53", "UBND Phường Hiệp Ninh", 134, 0, 0, 84.62, 100, 68.49, 83.56, 112, 131, 58.81, 4.99),
    ("000.27.30.H53", "UBND Phường Ninh Thạnh", 269, 2, 0, 96.35, 100, 48.85, 96.18, 954, 120, 60.31, 4.23),
    ("000.26.30.H53", "UBND Phường Ninh Sơn", 371, 5, 0, 67.51, 100, 69.54, 70.20, 890, 193, 61.12, 3.40),
    ("000.24.30.H53", "UBND xã Bình Minh", 179, 2, 0, 100, 100, 0, 100, 468, 179, 54.67, -1.15),
    ("000.28.30.H53", "UBND xã Tân Bình", 100, 0, 0, 74.6, 100, 84.62, 70.37, 166, 60, 63.01, 6.09),
    ("000.29.30.H53", "UBND xã Thạnh Tân", 44, 0, 0, 100, 100, 0, 100, 355, 40, 55.55, -8.54),
]
FIELDS = [
    "unit_code", "unit_name", "dossiers_received", "dossiers_overdue", "dossiers_overdue_mcdt",
    "rate__dossiers_online", "rate__dossiers_satisfied", "rate__dossiers_e_result", "rate__dossiers_digitised",
    "e_certified_copies", "dossiers_paid_online", "published_total", "published_total_delta",
]

# The table as the seed prints it (tab-separated, two header rows, a blank line where the page breaks).
SEED_TSV = """STT\tTên đơn vị\tMã định danh\tTổng số hồ sơ nhận trong tháng\tTổng số hồ sơ thông báo xử lý quá hạn\tTổng số hồ sơ xử lý quá hạn trên MCĐT\tTỷ lệ hồ sơ nộp trực tuyến (%)\tMức độ hài lòng (%)\tKết quả số hóa hồ sơ\t\t\tThanh toán trực tuyến (Hồ sơ)\tĐiểm đánh giá (Tổng điểm 100)\tĐiểm so với tháng trước
\t\t\t\t\t\t\t\tTỷ lệ hồ sơ cấp kết quả điện tử (%)\tTỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải quyết TTHC (%)\tSố lượng hồ sơ cung cấp dịch vụ chứng thực điện tử bảo sao từ bản chính\t\t\t
1\tCơ quan chuyên môn thành phố\t000.00.30.H53\t454\t57\t4\t91,48\t100\t64,02\t80\t246\t284\t58,58\t+ 1,70
2\tUBND Phường 1\t000.20.30.H53\t365\t0\t0\t100\t100\t2,78\t100\t1546\t346\t56,07\t+ 0,19
3\tUBND Phường 2\t000.21.30.H53\t144\t6\t0\t75\t100\t78,06\t74,75\t1064\t134\t60,22\t+ 2,79
4\tUBND Phường 3\t000.22.30.H53\t49\t2\t0\t100\t100\t74,6\t100\t378\t3\t62,57\t+ 1,58
5\tUBND Phường IV\t000.23.30.H53\t77\t2\t0\t100\t100\t44\t100\t375\t53\t58,55\t+ 4,57
6\tUBND Phường Hiệp Ninh\t000.25.30.H53\t134\t0\t0\t84,62\t100\t68,49\t83,56\t112\t131\t58,81\t+ 4,99

7\tUBND Phường Ninh Thạnh\t000.27.30.H53\t269\t2\t0\t96,35\t100\t48,85\t96,18\t954\t120\t60,31\t+ 4,23
8\tUBND Phường Ninh Sơn\t000.26.30.H53\t371\t5\t0\t67,51\t100\t69,54\t70,20\t890\t193\t61,12\t+ 3,40
9\tUBND xã Bình Minh\t000.24.30.H53\t179\t2\t0\t100\t100\t0\t100\t468\t179\t54,67\t- 1,15
10\tUBND xã Tân Bình\t000.28.30.H53\t100\t0\t0\t74,6\t100\t84,62\t70,37\t166\t60\t63,01\t+ 6,09
11\tUBND xã Thạnh Tân\t000.29.30.H53\t44\t0\t0\t100\t100\t0\t100\t355\t40\t55,55\t- 8,54
"""
