/* Render the analytics figures embedded with json_script; a click on a
   point opens the list behind it (its URL is customdata[0]). */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var lang = document.documentElement.lang || "zh-hans";
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source) { return; }
    var fig = JSON.parse(source.textContent);
    var config = {
      responsive: true, displaylogo: false, locale: lang.indexOf("zh") === 0 ? "zh-CN" : "en",
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", scale: 2 }
    };
    window.Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
      el.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var data = point && point.customdata;
        var url = Array.isArray(data) ? data[0] : data;
        if (typeof url === "string" && url.charAt(0) === "/") { window.location.href = url; }
      });
    });
  });
})();
