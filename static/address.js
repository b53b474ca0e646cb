/* chiso: one history entry per visit through the menu.
 *
 * The app keeps its view in the address (ui/address.py). A page opened through Streamlit's menu first gets an
 * address without a query string (Streamlit 1.67 pushes it), then the page writes its view into the address
 * at the end of its run, and Streamlit pushes that as a second entry: «back» then first lands on the same
 * page without its view, which writes it back at once, and a second press is needed. Here the second push
 * replaces the first when it only adds a query string to the same page's bare address; every other push
 * (another page, another view of the same page) stays an entry of its own. Loaded once per browser tab.
 */
(() => {
  "use strict";
  if (window.__chisoHistory) return;
  window.__chisoHistory = true;

  const push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    let next = null;
    try {
      next = url == null ? null : new URL(url, window.location.href);
    } catch (e) {
      next = null;
    }
    const here = window.location;
    if (next && next.origin === here.origin && next.pathname === here.pathname && here.search === "" && next.search !== "") {
      return window.history.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
})();
