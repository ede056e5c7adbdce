// The checks of a sampled item from the keyboard: P pass, F fail, N not
// applicable answer the check in focus and move on to the next one; the
// arrow keys (or J and K) move between checks. Typing in a note is left alone.
(function () {
  var form = document.querySelector("form[data-check-keys]");
  if (!form) {
    return;
  }
  var KEYS = { p: "pass", f: "fail", n: "na" };
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-check-row]"));

  function rowOf(element) {
    return element && element.closest ? element.closest("tr[data-check-row]") : null;
  }
  function focusRow(index) {
    var row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) {
      return;
    }
    var radio = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (radio && !radio.disabled) {
      radio.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.type === "text" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var row = rowOf(target);
    if (!row) {
      return;
    }
    var index = rows.indexOf(row);
    var key = event.key.toLowerCase();
    if (KEYS[key]) {
      var radio = row.querySelector("input[type=radio][value=" + KEYS[key] + "]");
      if (radio && !radio.disabled) {
        radio.checked = true;
        event.preventDefault();
        focusRow(index + 1);
      }
    } else if (key === "arrowdown" || key === "j") {
      event.preventDefault();
      focusRow(index + 1);
    } else if (key === "arrowup" || key === "k") {
      event.preventDefault();
      focusRow(index - 1);
    }
  });
  // Start on the first check nobody has answered.
  var first = rows.findIndex(function (row) {
    return !row.querySelector("input[type=radio]:checked");
  });
  if (first >= 0 && window.location.hash !== "#label-check") {
    var radio = rows[first].querySelector("input[type=radio]");
    if (radio && !radio.disabled) {
      radio.focus({ preventScroll: true });
    }
  }
})();
