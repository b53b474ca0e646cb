/* chiso: Streamlit's and its libraries' built-in English words, in Vietnamese.
 *
 * Streamlit 1.67 has no option for its own texts (hints, range errors, upload limits, aria-labels, toolbars,
 * connection dialogs), and CSS cannot change an attribute. This file, loaded once per browser tab by
 * ui/vi_text.py, watches the page and rewrites each known English text node and attribute to Vietnamese.
 * The list comes from the Streamlit bundle (streamlit/static/static/js) for the widgets chiso draws;
 * tests/e2e/test_screens_e2e.py types into every page at three screen sizes and finds any that is left.
 * It only ever sets a text node's value or an attribute (never markup), and never touches the app's own
 * content (its markdown, tables and code), where a user's file or unit name could equal an English word.
 */
(() => {
  "use strict";
  if (window.__chisoVi) return; // a second copy (page switch, rerun) finds the first one at work
  window.__chisoVi = true;

  const me = document.currentScript;
  const OVER_LIMIT = (me && me.dataset.overLimit) || "Tệp lớn hơn giới hạn; hãy chia nhỏ tệp.";
  const UPLOAD_LIMIT = (me && me.dataset.uploadLimit) || "";

  // the exact text (trimmed) → Vietnamese
  const SAME = new Map(Object.entries({
    // the page around the app
    "Skip to main content": "Bỏ qua, đến nội dung chính",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
    "Navigate to home page": "Về trang đầu",
    "View less": "Thu gọn",
    "Main menu": "Trình đơn",
    "Rerun": "Chạy lại",
    "Always rerun": "Luôn chạy lại",
    "File change.": "Tệp đã thay đổi.",
    "Settings": "Cài đặt",
    "Print": "In",
    "About": "Giới thiệu",
    "Clear cache": "Xóa bộ nhớ đệm",
    "Clear caches": "Xóa bộ nhớ đệm",
    "Cancel": "Hủy",
    "Get help": "Trợ giúp",
    "Report a bug": "Báo lỗi",
    "Running...": "Đang chạy…",
    "Stop": "Dừng",
    "Stopping...": "Đang dừng…",
    "Connecting": "Đang kết nối",
    "Connecting to Streamlit server": "Đang kết nối tới máy chủ",
    "Unable to connect to Streamlit server": "Không kết nối được tới máy chủ",
    "Connection error": "Mất kết nối",
    "Connection lost. Please wait for the app to reconnect, then try again.":
      "Mất kết nối. Hãy đợi chương trình kết nối lại rồi thử lại.",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
      "Máy chủ chiso không trả lời. Nếu máy chủ đã dừng, hãy chạy lại bằng lệnh:",
    "streamlit run yourscript.py": "scripts/run_app.sh",
    "Streamlit server is not responding. Are you connected to the internet?":
      "Máy chủ không trả lời. Hãy kiểm tra kết nối mạng rồi tải lại trang.",
    "Please wait...": "Xin đợi…",
    "Page not found": "Không có trang này",
    "Error": "Lỗi",
    "Error:": "Lỗi:",
    "Close": "Đóng",
    "Dismiss": "Đóng",
    "Done": "Xong",
    "Retry": "Thử lại",
    "Try again": "Thử lại",
    "Notifications": "Thông báo",
    "Scroll tabs left": "Cuộn các thẻ sang trái",
    "Scroll tabs right": "Cuộn các thẻ sang phải",
    "Link to heading": "Liên kết đến mục này",
    "Help": "Trợ giúp",
    "Loading": "Đang tải",
    "Loading...": "Đang tải…",
    "progress": "tiến độ",
    "st.iframe": "Khung nội dung",
    "Copy": "Chép",
    "Copy to clipboard": "Chép",
    "Copied": "Đã chép",
    "Copied!": "Đã chép",
    ["This app has encountered an error. The original error message is redacted to prevent data leaks. " +
    "Full error details have been recorded in the logs (if you're on Streamlit Cloud, click on " +
    "'Manage app' in the lower right of your app)."]:
      "Chương trình gặp lỗi. Chi tiết đã được ghi vào nhật ký của máy chủ; hãy thử lại, nếu vẫn lỗi " +
      "hãy báo người quản trị.",
    // selectbox, multiselect (Streamlit, react-aria)
    "Choose an option": "Chọn một mục",
    "Choose options": "Chọn các mục",
    "Choose or add an option": "Chọn hoặc thêm một mục",
    "Choose or add options": "Chọn hoặc thêm các mục",
    "No options to select": "Không có mục để chọn",
    "No options to select.": "Không có mục để chọn.",
    "No results": "Không tìm thấy",
    "Open": "Mở danh sách",
    "Show suggestions": "Mở danh sách",
    "Suggestions": "Gợi ý",
    "Selectbox options": "Các lựa chọn",
    "Multiselect options": "Các lựa chọn",
    "Selected values": "Các mục đã chọn",
    "Select all": "Chọn tất cả",
    "Clear all": "Bỏ chọn tất cả",
    "Clear value": "Xóa giá trị",
    "Clear entry": "Xóa nội dung",
    // number and text inputs
    "Increment": "Tăng",
    "Decrement": "Giảm",
    "Number is below the allowed range.": "Số nhỏ hơn mức cho phép.",
    "Number is above the allowed range.": "Số lớn hơn mức cho phép.",
    "Invalid data type": "Kiểu dữ liệu không hợp lệ",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid value.": "Giá trị không hợp lệ.",
    "Show password": "Hiện mật khẩu",
    "Hide password": "Ẩn mật khẩu",
    "Press Enter to apply": "Nhấn Enter để áp dụng",
    "Press Enter to submit form": "Nhấn Enter để gửi",
    "Press Ctrl+Enter to apply": "Nhấn Ctrl+Enter để áp dụng",
    "Press Ctrl+Enter to submit form": "Nhấn Ctrl+Enter để gửi",
    "Press ⌘+Enter to apply": "Nhấn ⌘+Enter để áp dụng",
    "Press ⌘+Enter to submit form": "Nhấn ⌘+Enter để gửi",
    // file uploader
    "Drag and drop file here": "Kéo thả tệp vào đây",
    "Drag and drop files here": "Kéo thả tệp vào đây",
    "Drag and drop a file here": "Kéo thả tệp vào đây",
    "Browse files": "Chọn tệp",
    "Upload": "Chọn tệp",
    "Add files": "Thêm tệp",
    "file upload": "tải tệp lên",
    "Upload failed": "Tải lên không được",
    "Click to retry upload": "Bấm để tải lên lại",
    "Unexpected error. Please try again.": "Có lỗi bất ngờ. Hãy thử lại.",
    "Only one file is allowed.": "Chỉ được chọn một tệp.",
    "Too many files": "Quá nhiều tệp",
    "File size is too small.": "Tệp quá nhỏ.",
    "Error uploading file": "Lỗi khi tải tệp lên",
    "Error deleting file": "Lỗi khi xóa tệp",
    // tables and charts: toolbar, search, column menu, cell errors (glide-data-grid)
    "Download as CSV": "Tải về dạng CSV",
    "Download": "Tải về",
    "Download failed": "Tải về không được",
    "Search": "Tìm",
    "Type to search": "Gõ để tìm",
    "Close Search": "Đóng tìm kiếm",
    "Next Result": "Kết quả sau",
    "Previous Result": "Kết quả trước",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Show/hide columns": "Hiện/ẩn cột",
    "Add row": "Thêm dòng",
    "Delete row(s)": "Xóa dòng",
    "Clear selection": "Bỏ chọn",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Format": "Định dạng",
    "Autosize": "Tự chỉnh độ rộng",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Copy column name": "Chép tên cột",
    "Dataframe column menu": "Trình đơn của cột",
    "Statistics": "Thống kê",
    "Automatic": "Tự động",
    "Localized": "Theo ngôn ngữ",
    "Plain": "Số thường",
    "Percent": "Phần trăm",
    "Scientific": "Dạng khoa học",
    "Accounting": "Kế toán",
    "Compact": "Gọn",
    "No data": "Không có dữ liệu",
    "The value cannot be interpreted as a number.": "Giá trị không phải là số.",
    "The value cannot be interpreted as boolean.": "Giá trị không phải là đúng/sai.",
    "The value is not part of the allowed options.": "Giá trị không nằm trong các lựa chọn.",
    "The value is larger than the maximum supported integer values in number columns (2^53).":
      "Số quá lớn.",
    "Incompatible value": "Giá trị không hợp lệ",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một đường",
  }));

  // Vietnamese number writing for numbers Streamlit prints: 1000000 → 1.000.000, 0.5 → 0,5
  const vnNum = (s) => {
    if (!/^-?\d+(\.\d+)?$/.test(s)) return s;
    const [int, dec] = s.split(".");
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return dec === undefined ? grouped : `${grouped},${dec}`;
  };

  // templates: [pattern, replacement]; matched anywhere in a text, so that «**Error**: …» is caught too
  const PATTERNS = [
    [/^Help for ([\s\S]+)$/, (_, x) => `Trợ giúp: ${x}`],
    [/^Error: /, () => "Lỗi: "],
    [/Number is outside the allowed range\. Please enter a value between (\S+) and (\S+)\./,
      (_, a, b) => `Số nằm ngoài khoảng cho phép. Hãy nhập số từ ${vnNum(a)} đến ${vnNum(b)}.`],
    [/Number is below the allowed range\. Please enter a value greater than or equal to (\S+)\./,
      (_, a) => `Số nhỏ hơn mức cho phép. Hãy nhập số từ ${vnNum(a)} trở lên.`],
    [/Number is above the allowed range\. Please enter a value less than or equal to (\S+)\./,
      (_, b) => `Số lớn hơn mức cho phép. Hãy nhập số không quá ${vnNum(b)}.`],
    [/Number is below the allowed range\./, () => "Số nhỏ hơn mức cho phép."],
    [/Number is above the allowed range\./, () => "Số lớn hơn mức cho phép."],
    // the uploader's own refusals happen in the browser, before the app sees the file: say what the app says
    [/^File must be \S+ or smaller\.$/, () => OVER_LIMIT],
    [/^File is larger than \S+$/, () => OVER_LIMIT],
    [/^(\S+) files are not allowed\.$/, (_, t) => `Không nhận tệp loại ${t}.`],
    [/^File type must be [\s\S]+\.$/, () => "Loại tệp không được nhận."],
    [/^(\d+)\.(\d+)(B|KB|MB|GB)$/, (_, i, d, u) => `${i},${d} ${u}`], // a file's size: «26.0MB» → «26,0 MB»
    [/, (\d+)\.(\d+)(B|KB|MB|GB)$/, (_, i, d, u) => `, ${i},${d} ${u}`],
    [/^\S+ per file$/, () => UPLOAD_LIMIT || "Giới hạn mỗi tệp"],
    // a table's search (Ctrl+F in a table): «3 of 12 results», «over 1000»
    [/^(\d+) of (\d+) results?$/, (_, k, n) => `${k} / ${n} kết quả`],
    [/^(\d+) of over 1000$/, (_, k) => `${k} / hơn 1.000 kết quả`],
    [/^(\d+) results?$/, (_, n) => `${n} kết quả`],
    [/^over 1000$/, () => "hơn 1.000 kết quả"],
    [/^Remove ([\s\S]+)$/, (_, x) => `Bỏ ${x}`],
    [/^Cancel upload of ([\s\S]+)$/, (_, x) => `Hủy tải lên ${x}`],
    [/^Select (\d+) matches$/, (_, n) => `Chọn ${n} mục khớp`],
    [/^You can only select up to (\d+) [\s\S]*\. Remove an option first\.$/,
      (_, n) => `Chỉ chọn được tối đa ${n} mục. Hãy bỏ bớt một mục trước.`],
    [/^View (\d+) more$/, (_, n) => `Xem thêm ${n} trang`],
    [/^You have requested page \/([\s\S]*), but no corresponding file was found in the app's pages\/ directory\. Running the app's main page\.$/,
      (_, p) => `Không có trang «/${p}». Đang mở trang đầu.`],
    [/^The page that you have requested does not seem to exist\. Running the app's main page\.$/,
      () => "Không có trang này. Đang mở trang đầu."],
    [/^Attempting to connect to [\s\S]*$/, () => "Đang kết nối lại…"],
    [/^(\d+) notifications?\.$/, (_, n) => `${n} thông báo.`],
    // react-aria's announcements for screen readers (a live region)
    [/^(\d+) options? available\.$/, (_, n) => `Có ${n} lựa chọn.`],
    [/^([\s\S]+), selected$/, (_, x) => `${x}, đã chọn`],
    [/^Entered group ([\s\S]+), with (\d+) options?\. /, (_, g, n) => `Vào nhóm ${g}, có ${n} lựa chọn. `],
    // an icon's label (e.g. an expander's «:material/star:» → «star icon»)
    [/^[a-z0-9_]+ icon$/, () => "biểu tượng"],
  ];

  const ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder", "alt", "aria-description",
    "aria-roledescription", "aria-valuetext", "data-title"];
  // the app's own content: never rewritten (a user's file or unit name may be an English word)
  const APP_CONTENT = '[data-testid="stMarkdownContainer"], [data-testid="stCode"], [data-testid="stHtml"], ' +
    '[data-testid="stTable"], [data-testid="stText"], [data-testid="stFileChipName"], .chiso-table';
  const FRAME = '[data-testid="stMain"], [data-testid="stSidebar"]';
  const USER_ATTR = '[data-testid="stFileChipName"]'; // its title is the file's name

  /** The Vietnamese for ``s`` (surrounding blanks kept), or null when it is not a known English text. */
  function vi(s) {
    if (!s || !/[A-Za-z]/.test(s)) return null;
    const t = s.trim();
    let out = SAME.get(t);
    if (out === undefined) {
      out = t;
      for (const [re, to] of PATTERNS) out = out.replace(re, to);
      if (out === t) return null;
    }
    return s.replace(t, () => out);
  }

  function isAppContent(el) {
    const box = el && el.closest(APP_CONTENT);
    return !!box && !!box.closest(FRAME);
  }

  function fixText(node) {
    const out = vi(node.nodeValue);
    if (out !== null && !isAppContent(node.parentElement)) node.nodeValue = out;
  }

  function fixAttrs(el) {
    for (const name of ATTRS) {
      const out = vi(el.getAttribute(name));
      if (out !== null && !(name === "title" && el.matches(USER_ATTR))) el.setAttribute(name, out);
    }
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const tag = root.tagName;
    if (tag === "SCRIPT" || tag === "STYLE") return;
    fixAttrs(root);
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n);
      else fixAttrs(n);
    }
  }

  const watcher = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach(fixTree);
      else if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes") fixAttrs(r.target);
    }
  });
  watcher.observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
  fixTree(document.body);
})();
