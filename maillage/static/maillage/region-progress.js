// The progress bar of an on-demand computation of the regional indicators: reads the
// run's JSON every second and updates the <progress> element and its status line until
// the run is done or failed. Without this script the page offers a refresh link.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-progress-percent]");
  var status = box.querySelector("[data-progress-status]");
  var refresh = box.querySelector("[data-progress-refresh]");
  var done = box.querySelector("[data-progress-done]");
  var delay = 1000;
  var failures = 0;

  function show(run) {
    if (run.state === "done") {
      bar.max = 1;
      bar.value = 1;
      percent.textContent = "100 %";
    } else if (run.state === "running" && run.total) {
      bar.max = run.total;
      bar.value = run.current;
      percent.textContent = run.percent + " %";
    } else {
      bar.removeAttribute("value"); // indeterminate until a worker reports
      percent.textContent = "";
    }
    bar.textContent = run.percent + " %";
    if (status.textContent !== run.message) {
      status.textContent = run.message; // a polite live region: read once per change
    }
    if (run.finished) {
      done.hidden = false;
      refresh.hidden = true;
    }
  }

  function poll() {
    fetch(box.getAttribute("data-progress-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (run) {
        failures = 0;
        show(run);
        if (!run.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures >= 3) {
          status.textContent = box.getAttribute("data-error-text");
          refresh.hidden = false;
          return;
        }
        window.setTimeout(poll, delay * 2);
      });
  }

  refresh.hidden = true; // the bar updates itself
  window.setTimeout(poll, delay);
})();
