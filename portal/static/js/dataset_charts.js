/* The dataset page's charts, drawn from the JSON the view embeds (#dataset-chart-data,
 * built by portal/web/dataset_charts.py from the stored profile), and sortable tables.
 * Everything here enhances what the server already rendered: captions and data tables work
 * without JavaScript; this file reveals the controls and draws the canvases. */
(function () {
  "use strict";

  // Okabe-Ito colours that keep 3:1 contrast on white; lines differ by marker and dash too,
  // so no series is told apart by colour alone.
  var LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00"];
  var MARKERS = ["rect", "triangle", "rectRot", "star", "crossRot"];
  var DASHES = [[], [6, 3], [2, 2], [10, 4, 2, 4], [4, 4]];
  var BAR_COLOUR = "#0072B2";
  var MY_GU_COLOUR = "#D55E00";
  var MY_GU_KEY = "portal.myGu";
  var MAX_GU = 5;

  var numberFormat = new Intl.NumberFormat("ko-KR", { maximumFractionDigits: 2 });

  function fmt(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return numberFormat.format(value) + (unit || "");
  }

  function byId(id) { return document.getElementById(id); }

  function readData() {
    var node = byId("dataset-chart-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function measureOf(list, name) {
    for (var i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
    return list[0];
  }

  // "내 자치구": remembered in this browser only.
  function myGu() {
    try { return window.localStorage.getItem(MY_GU_KEY) || ""; } catch (e) { return ""; }
  }

  function setMyGu(gu) {
    try {
      if (gu) window.localStorage.setItem(MY_GU_KEY, gu); else window.localStorage.removeItem(MY_GU_KEY);
    } catch (e) { /* storage may be disabled; the choice then lasts for this page only */ }
    document.dispatchEvent(new CustomEvent("portal:mygu", { detail: { gu: gu } }));
  }

  function fillTable(table, headers, rows) {
    var head = document.createElement("tr");
    headers.forEach(function (h, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h.text;
      if (h.num) th.className = "num";
      head.appendChild(th);
    });
    table.tHead.replaceChildren(head);
    var body = table.tBodies[0];
    body.replaceChildren();
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (cell, i) {
        var el = document.createElement(i === (cells.rowHeader || 0) ? "th" : "td");
        if (el.tagName === "TH") el.scope = "row";
        if (typeof cell === "object" && cell !== null) { el.textContent = cell.text; el.className = cell.num ? "num" : ""; }
        else el.textContent = cell;
        tr.appendChild(el);
      });
      body.appendChild(tr);
    });
  }

  function trendSummary(trend, measure, values) {
    var points = [];
    trend.periods.forEach(function (p, i) { if (values[i] !== null) points.push([p, values[i]]); });
    if (!points.length) return measure.label + ": 값이 없습니다.";
    var first = points[0], last = points[points.length - 1], peak = points[0];
    points.forEach(function (pt) { if (pt[1] > peak[1]) peak = pt; });
    var who = measure.aggregate === "mean" ? "자치구 평균" : trend.total_label;
    return who + " " + measure.label + ": " + first[0] + " " + fmt(first[1], measure.unit) + " → " +
      last[0] + " " + fmt(last[1], measure.unit) + ", 최댓값 " + peak[0] + " " + fmt(peak[1], measure.unit);
  }

  function ranked(gu, values) {
    var pairs = [];
    gu.forEach(function (name, i) { if (values[i] !== null && values[i] !== undefined) pairs.push([name, values[i]]); });
    return pairs.sort(function (a, b) { return b[1] - a[1]; });
  }

  function districtSummary(districts, measure, values) {
    var pairs = ranked(districts.gu, values);
    if (!pairs.length) return measure.label + ": 값이 없습니다.";
    var high = pairs[0], low = pairs[pairs.length - 1];
    return measure.label + " (" + pairs.length + "개 자치구): 가장 많은 곳 " + high[0] + " " +
      fmt(high[1], measure.unit) + ", 가장 적은 곳 " + low[0] + " " + fmt(low[1], measure.unit);
  }

  function setSummary(captionId, canvas, prefix, text) {
    byId(captionId).textContent = text;
    canvas.setAttribute("aria-label", prefix + " " + text);
  }

  /* ---- yearly trend ---- */
  function drawTrend(trend) {
    var canvas = byId("trend-chart");
    if (!canvas || !trend) return;
    var select = byId("trend-measure");
    var picker = byId("trend-gu");
    var boxes = picker ? Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox]")) : [];

    function chosenGu(series) {
      return boxes.filter(function (b) { return b.checked && series.by_gu[b.value]; })
        .map(function (b) { return b.value; }).slice(0, MAX_GU);
    }

    function limitChoices() {
      var checked = boxes.filter(function (b) { return b.checked; }).length;
      boxes.forEach(function (b) { b.disabled = !b.checked && checked >= MAX_GU; });
    }

    var chart = new Chart(canvas, { type: "line", data: { labels: trend.periods, datasets: [] },
      options: {
        maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          return ctx.dataset.label + ": " + fmt(ctx.parsed.y, ctx.dataset.unit);
        } } } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return fmt(v); } } },
                  y2: { position: "right", display: false, beginAtZero: true, grid: { drawOnChartArea: false },
                        ticks: { callback: function (v) { return fmt(v); } } } } } });

    function update() {
      var measure = measureOf(trend.measures, select.value);
      var series = trend.series[measure.name];
      var gu = chosenGu(series);
      var totalLabel = measure.aggregate === "mean" ? "자치구 평균" : trend.total_label;
      // With gu lines on the left axis the whole gets the right one: 10 million beside 600,000
      // would flatten every gu line.
      var split = gu.length > 0 && measure.aggregate !== "mean";
      var datasets = [{ label: totalLabel + (split ? " (오른쪽 축)" : ""), data: series.total, unit: measure.unit,
        borderColor: "#000000", backgroundColor: "#000000", borderWidth: 3, pointStyle: "circle",
        pointRadius: 4, yAxisID: split ? "y2" : "y" }];
      gu.forEach(function (name, i) {
        datasets.push({ label: name, data: series.by_gu[name], unit: measure.unit,
          borderColor: LINE_COLOURS[i], backgroundColor: LINE_COLOURS[i], borderDash: DASHES[i],
          pointStyle: MARKERS[i], pointRadius: 5, borderWidth: 2, spanGaps: true, yAxisID: "y" });
      });
      chart.data.datasets = datasets;
      chart.options.scales.y2.display = split;
      chart.options.scales.y.title = { display: !!measure.unit, text: measure.unit || "" };
      chart.update();
      if (picker) picker.hidden = Object.keys(series.by_gu).length === 0;
      setSummary("trend-summary", canvas, "연도별 추이 선 그래프.", trendSummary(trend, measure, series.total));
      var headers = [{ text: "기간" }, { text: totalLabel, num: true }].concat(gu.map(function (g) { return { text: g, num: true }; }));
      fillTable(byId("trend-table"), headers, trend.periods.map(function (p, i) {
        return [p, { text: fmt(series.total[i]), num: true }].concat(gu.map(function (g) {
          return { text: fmt(series.by_gu[g][i]), num: true };
        }));
      }));
    }

    select.addEventListener("change", update);
    boxes.forEach(function (b) { b.addEventListener("change", function () { limitChoices(); update(); }); });
    limitChoices();
    update();
  }

  /* ---- district comparison ---- */
  function hatch(colour) {
    // Diagonal stripes mark the reader's gu beyond its colour.
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var g = tile.getContext("2d");
    g.fillStyle = colour;
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = "#ffffff";
    g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return g.createPattern(tile, "repeat");
  }

  function drawDistricts(districts) {
    var canvas = byId("district-chart");
    if (!canvas || !districts) return;
    var select = byId("district-measure");
    var pattern = hatch(MY_GU_COLOUR);
    var chart = new Chart(canvas, { type: "bar", data: { labels: [], datasets: [] },
      options: { indexAxis: "y", maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) {
          return fmt(ctx.parsed.x, ctx.dataset.unit);
        } } } },
        scales: { x: { beginAtZero: true, ticks: { callback: function (v) { return fmt(v); } } },
                  y: { ticks: { autoSkip: false } } } } });

    function update() {
      var measure = measureOf(districts.measures, select.value);
      var pairs = ranked(districts.gu, districts.values[measure.name]);
      var mine = myGu();
      chart.data.labels = pairs.map(function (p) { return p[0] === mine ? "★ " + p[0] : p[0]; });
      chart.data.datasets = [{ label: measure.label, unit: measure.unit, data: pairs.map(function (p) { return p[1]; }),
        backgroundColor: pairs.map(function (p) { return p[0] === mine ? pattern : BAR_COLOUR; }),
        borderColor: pairs.map(function (p) { return p[0] === mine ? "#000000" : BAR_COLOUR; }),
        borderWidth: pairs.map(function (p) { return p[0] === mine ? 2 : 0; }) }];
      chart.update();
      var text = districtSummary(districts, measure, districts.values[measure.name]);
      if (mine) {
        var rank = pairs.findIndex(function (p) { return p[0] === mine; });
        if (rank >= 0) text += ". 내 자치구 " + mine + " " + (rank + 1) + "위 " + fmt(pairs[rank][1], measure.unit);
      }
      setSummary("district-summary", canvas, "자치구별 막대 그래프, 큰 순서.", text);
      fillTable(byId("district-table"), [{ text: "순위", num: true }, { text: "자치구" },
        { text: measure.label + (measure.unit ? " (" + measure.unit + ")" : ""), num: true }],
        pairs.map(function (p, i) {
          var row = [{ text: String(i + 1), num: true }, p[0], { text: fmt(p[1]), num: true }];
          row.rowHeader = 1;
          return row;
        }));
    }

    select.addEventListener("change", update);
    document.addEventListener("portal:mygu", update);
    update();
  }

  /* ---- sortable tables (header buttons, keyboard-operable) ---- */
  function cellValue(row, index) {
    var text = (row.cells[index] ? row.cells[index].textContent : "").trim();
    var number = parseFloat(text.replace(/,/g, "").replace("−", "-"));
    return { text: text, number: /^[−\-+]?[\d,.]+/.test(text) ? number : null };
  }

  function makeSortable(table) {
    var headers = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "table-sort-button";
      button.append.apply(button, Array.prototype.slice.call(th.childNodes));
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") !== "descending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index), order;
          if (x.number !== null || y.number !== null) {
            // Missing figures sort last either way.
            if (x.number === null) return 1;
            if (y.number === null) return -1;
            order = x.number - y.number;
          } else {
            order = x.text.localeCompare(y.text, "ko");
          }
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), makeSortable);
    var data = readData();
    if (!data || typeof Chart === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#1d2430";
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      Chart.defaults.animation = false;
    }
    var chooser = byId("my-gu");
    if (chooser) {
      chooser.value = myGu();
      chooser.addEventListener("change", function () { setMyGu(chooser.value); });
    }
    drawTrend(data.trend);
    drawDistricts(data.districts);
  }

  window.PortalCharts = { readData: readData, fmt: fmt, myGu: myGu, fillTable: fillTable,
                          districtSummary: districtSummary, setSummary: setSummary };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
