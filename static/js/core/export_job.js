// Reloads an export's status page until the file is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box || box.getAttribute("data-finished") === "1") { return; }
  setTimeout(function () { window.location.reload(); }, 2000);
})();
