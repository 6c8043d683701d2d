// Progressive enhancement of the report form: show "Already reported?" while the member
// picks the portal and category and types the title, instead of only on the preview.
// Without this file the preview shows the same box.
(function () {
  "use strict";
  var WAIT_MS = 400; // after the last keystroke in the title

  function setUp() {
    var box = document.getElementById("similar-reports");
    if (!box || !window.fetch || !window.URLSearchParams) { return; }
    var form = box.closest("form");
    var fields = ["portal", "portal_other", "category", "title"];
    var timer = null;
    var asked = 0;

    function query() {
      var params = new URLSearchParams();
      fields.forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input && input.value) { params.set(name, input.value); }
      });
      return params;
    }

    function refresh() {
      var url = box.getAttribute("data-similar-url");
      var params = query();
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      var mine = ++asked;
      fetch(url + separator + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          // Only the latest answer counts; a failed one leaves the box as it was.
          if (html !== null && mine === asked) { box.innerHTML = html; }
        })
        .catch(function () { /* offline or signed out: the preview still shows them */ });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, WAIT_MS);
    }

    fields.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input) { return; }
      input.addEventListener("change", refresh);
      if (input.tagName !== "SELECT") { input.addEventListener("input", later); }
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
