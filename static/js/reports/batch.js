/* Batch progress page: polls the job's JSON (state in the database, so a reload shows the same)
 * and updates the counts, the bar, the failures and the download / retry actions in place.
 * Without JavaScript the page shows the state at load time; reloading it updates it. */
(() => {
  "use strict";
  var root = document.getElementById("batch");
  if (!root) return;
  var url = root.getAttribute("data-progress-url");
  var bar = root.querySelector("progress");
  var INTERVAL = 1000;

  function setField(name, value) {
    root.querySelectorAll(`[data-field="${name}"]`).forEach((el) => {
      el.textContent = String(value);
    });
  }
  function show(name, visible) {
    root.querySelectorAll(`[data-show="${name}"]`).forEach((el) => {
      el.hidden = !visible;
    });
  }
  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = String(text);
    if (className) td.className = className;
    row.appendChild(td);
  }
  function renderFailures(failures) {
    var body = root.querySelector('[data-testid="batch-failures"] tbody');
    if (!body) return;
    body.replaceChildren();
    failures.forEach((f) => {
      var row = document.createElement("tr");
      cell(row, f.unit_code);
      cell(row, f.unit_name);
      cell(row, f.attempts, "num");
      cell(row, f.error);
      body.appendChild(row);
    });
  }
  function apply(data) {
    ["done", "failed", "total", "percent", "status_label"].forEach((name) => {
      setField(name, data[name]);
    });
    var status = root.querySelector('[data-field="status_label"]');
    if (status) {
      status.className = `badge batch-${data.status}`;
      status.setAttribute("data-status", data.status);
    }
    if (bar) bar.value = data.percent;
    renderFailures(data.failures);
    show("failures", data.failures.length > 0);
    show("zip", data.finished && data.done > 0);
    show("retry", data.finished && data.failed > 0);
    show("running", !data.finished);
    root.setAttribute("data-finished", data.finished ? "1" : "0");
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then((data) => {
        apply(data);
        if (!data.finished) window.setTimeout(poll, INTERVAL);
      })
      .catch(() => {
        window.setTimeout(poll, INTERVAL * 5); // a network hiccup: try again later
      });
  }
  if (root.getAttribute("data-finished") !== "1") window.setTimeout(poll, INTERVAL);
})();
