// The regional dashboard's heavy parts (charts and their tables, one row or column per
// territory) are fetched the first time their <details> is opened, into its live region,
// so a screen reader hears them arrive. Without this script, or when the fetch fails, the
// <details> holds a link to the same part on a page of its own.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  document.querySelectorAll("details[data-part-url]").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (!details.open || details.dataset.loaded) {
        return;
      }
      details.dataset.loaded = "1";
      var body = details.querySelector(".part-body");
      body.setAttribute("aria-busy", "true");
      fetch(details.dataset.partUrl + "&fragment=1", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html;
        })
        .catch(function () {
          delete details.dataset.loaded; // the link stays; opening again tries again
        })
        .then(function () {
          body.removeAttribute("aria-busy");
        });
    });
  });
})();
