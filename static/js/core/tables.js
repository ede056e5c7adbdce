// On a phone a data table becomes a stack of cards (app.css, max-width
// 600px): each cell then shows its column's heading, copied here from the
// table's header row so templates need not repeat it in every cell.
document.addEventListener("DOMContentLoaded", function () {
  var tables = document.querySelectorAll("table.data");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll("thead tr:first-child th");
    if (!heads.length) {
      return;
    }
    var labels = Array.prototype.map.call(heads, function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var label = labels[column];
        if (label && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
  });
});
