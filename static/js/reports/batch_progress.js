// Polls a batch issuance's status and updates the progress bar in place.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        ["status_label", "percent", "issued", "skipped", "failed", "total"].forEach(function (k) {
          var el = field(k); if (el) { el.textContent = data[k]; }
        });
        var bar = box.querySelector(".progress > span");
        bar.style.width = data.percent + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
        var err = field("error");
        if (data.error) { err.textContent = data.error; err.hidden = false; }
        if (data.status === "pending" || data.status === "running") { setTimeout(poll, 1000); }
        else if (data.status !== box.getAttribute("data-status")) { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  var status = box.getAttribute("data-status");
  if (status === "pending" || status === "running") { setTimeout(poll, 500); }
})();
