// Live progress of running harvests on the admin pages: polls each run's JSON every two
// seconds and updates its <progress> bar and the text beside it (read out by screen readers
// through aria-live). When the run ends the page reloads to show the final counts.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  var number = new Intl.NumberFormat("ko-KR");

  function describe(run) {
    var text = "처리 " + number.format(run.processed) + "건";
    if (run.expected) { text += " / 전체 " + number.format(run.expected) + "건"; }
    return text + " (신규 " + number.format(run["new"]) + " · 변경 " + number.format(run.updated) +
      " · 그대로 " + number.format(run.unchanged) + " · 실패 " + number.format(run.failed) + ")";
  }

  function watch(box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector(".progress-text");
    function poll() {
      fetch(box.dataset.progressUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (run) {
          if (run.expected) {
            bar.max = run.expected;
            bar.value = Math.min(run.processed, run.expected);
          }
          if (run.status !== "running") {
            text.textContent = box.dataset.doneText + describe(run);
            window.setTimeout(function () { window.location.reload(); }, INTERVAL_MS);
            return;
          }
          text.textContent = describe(run);
          window.setTimeout(poll, INTERVAL_MS);
        })
        .catch(function () { window.setTimeout(poll, INTERVAL_MS * 5); });
    }
    window.setTimeout(poll, INTERVAL_MS);
  }

  document.querySelectorAll(".harvest-progress[data-progress-url]").forEach(watch);
}());
