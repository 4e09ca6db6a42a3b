// Follows an import running in the background: polls its status and moves the progress bar, then
// reloads the page to show what the import did. (No inline script: the CSP allows only app files.)
(function () {
  "use strict";
  var section = document.getElementById("import-run");
  var bar = document.getElementById("import-progress");
  if (!section || !bar) {
    return;
  }
  var stage = document.getElementById("import-stage");
  function poll() {
    fetch(section.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (status) {
        if (status.finished) {
          window.location.reload();
          return;
        }
        if (status.total > 0) {
          var percent = Math.min(100, Math.round(100 * status.done / status.total));
          bar.value = percent;
          bar.textContent = percent + "%";
        }
        if (stage) {
          stage.textContent = (status.stage || status.status) + "…";
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
