// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions marked with data-confirm (forms still work without JS).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  // A table wider than its box scrolls sideways; keyboard users scroll it with the arrow
  // keys once it has the focus, so such a box joins the Tab order, named after its table's
  // caption. Boxes that fit are left alone (no empty Tab stops), and looked at again when
  // the window changes size.
  var MARK = "data-scroll-focus";
  function markScrollingTables() {
    // Printing lays the page out again (and may say the window was resized); paper has no
    // Tab order to fix, and the screen's is back as it was once printing is done.
    if (window.matchMedia("print").matches) { return; }
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + ", " : "") + "scrolls sideways");
        box.setAttribute(MARK, "");
      } else if (!scrolls && box.hasAttribute(MARK)) {
        ["tabindex", "role", "aria-label", MARK].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingTables);
  // Again once every style sheet has arrived: a page's own sheets (trends.css, the meeting
  // book's) come after this script and change how wide its tables are.
  window.addEventListener("load", markScrollingTables);
  window.matchMedia("print").addEventListener("change", function (event) {
    if (!event.matches) { markScrollingTables(); }
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(markScrollingTables, 150);
  });
  // Close the group switcher with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details[open]").forEach(function (d) { d.removeAttribute("open"); });
  });
})();
