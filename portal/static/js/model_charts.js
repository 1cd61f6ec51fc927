/* Draws the charts of a model run page with Chart.js from the ChartSpec list the page
   embeds as JSON (#model-charts-data). Each chart's figure already carries its text
   alternative and its data as a table, so a page without scripts loses nothing. */
(function () {
  "use strict";
  var ACCENT = "#0b5cad", HIGHLIGHT = "#d9480f", MUTED = "#9aa5b4";
  var PALETTE = [ACCENT, "#2b8a3e", "#e8590c", "#7048e8", "#c2255c", "#1098ad"];
  // Chart.js has no map type in the core bundle: a map spec is drawn as bars by label.
  var TYPES = { line: "line", bar: "bar", scatter: "scatter", radar: "radar", map: "bar" };

  function color(index) { return PALETTE[index % PALETTE.length]; }

  function datasetsFor(spec) {
    var single = spec.series.length === 1;
    if (spec.kind === "scatter" && spec.series.length >= 2) {
      // Two series are the x and y of one point per label.
      var xs = spec.series[0].values, ys = spec.series[1].values;
      return [{
        label: spec.series[1].label + " / " + spec.series[0].label,
        data: spec.labels.map(function (label, i) { return { x: xs[i], y: ys[i], label: label }; }),
        backgroundColor: spec.labels.map(function (label) {
          return label === spec.highlight ? HIGHLIGHT : ACCENT;
        }),
        pointRadius: spec.labels.map(function (label) { return label === spec.highlight ? 7 : 4; })
      }];
    }
    return spec.series.map(function (series, index) {
      var base = color(index);
      var set = { label: series.label, data: series.values, borderColor: base,
                  backgroundColor: base, spanGaps: true };
      if (single && spec.highlight && (spec.kind === "bar" || spec.kind === "map")) {
        set.backgroundColor = spec.labels.map(function (label) {
          return label === spec.highlight ? HIGHLIGHT : MUTED;
        });
      }
      if (spec.kind === "radar") { set.backgroundColor = base + "33"; }
      return set;
    });
  }

  function draw(spec) {
    var canvas = document.getElementById("chart-" + spec.id);
    if (!canvas || typeof Chart === "undefined") { return null; }
    var type = TYPES[spec.kind] || "bar";
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: spec.series.length > 1 || type === "scatter" } }
    };
    if (type === "scatter") {
      options.plugins.tooltip = { callbacks: { label: function (item) {
        return item.raw.label + ": (" + item.raw.x + ", " + item.raw.y + ")";
      } } };
    }
    var chart = new Chart(canvas, {
      type: type,
      data: { labels: type === "scatter" ? undefined : spec.labels, datasets: datasetsFor(spec) },
      options: options
    });
    canvas.setAttribute("data-drawn", "true");
    return chart;
  }

  function start() {
    var node = document.getElementById("model-charts-data");
    if (!node) { return; }
    var specs = JSON.parse(node.textContent);
    window.portalModelCharts = specs.map(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
