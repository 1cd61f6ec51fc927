/* The gu choropleth of the dataset page (chartjs-chart-geo over Chart.js). Boundaries come
 * from static/geo/seoul_gu_mois.geojson (MOIS codes, gu names as in every profile); the
 * figures are the profile's by_gu values embedded in the page. Five equal-interval classes
 * on a viridis ramp (readable with colour-vision deficiencies, and light-to-dark in grey),
 * with a legend of value ranges and the data table beside it. */
(function () {
  "use strict";

  var CLASS_COLOURS = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"];
  var MISSING = "#d9dee6";

  function classes(values) {
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    if (!present.length) return [];
    var low = Math.min.apply(null, present), high = Math.max.apply(null, present);
    var count = low === high ? 1 : CLASS_COLOURS.length;
    var step = (high - low) / count, bounds = [];
    for (var i = 0; i < count; i++) {
      bounds.push({ low: low + step * i, high: i === count - 1 ? high : low + step * (i + 1),
                    colour: CLASS_COLOURS[count === 1 ? 2 : i] });
    }
    return bounds;
  }

  function classOf(bounds, value) {
    if (value === null || value === undefined) return -1;
    for (var i = 0; i < bounds.length; i++) if (value <= bounds[i].high) return i;
    return bounds.length - 1;
  }

  function start() {
    var canvas = document.getElementById("map-chart");
    var charts = window.PortalCharts;
    if (!canvas || !charts || typeof Chart === "undefined" || !window.ChartGeo) return;
    var data = charts.readData();
    var districts = data && data.districts;
    if (!districts) return;
    var fmt = charts.fmt;
    var select = document.getElementById("map-measure");

    fetch(canvas.getAttribute("data-boundaries")).then(function (response) {
      if (!response.ok) throw new Error("boundaries: HTTP " + response.status);
      return response.json();
    }).then(function (geo) {
      var features = geo.features;
      var chart = new Chart(canvas, {
        type: "choropleth",
        data: { labels: features.map(function (f) { return f.properties.name; }),
                datasets: [{ label: "", outline: features, data: [] }] },
        options: { maintainAspectRatio: false, showOutline: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) {
            return ctx.raw.feature.properties.name + ": " + fmt(ctx.raw.value, ctx.dataset.unit);
          } } } },
          scales: { projection: { axis: "x", projection: "mercator" },
                    color: { axis: "x", display: false } } } });

      function update() {
        var measure = districts.measures[0];
        districts.measures.forEach(function (m) { if (m.name === select.value) measure = m; });
        var values = districts.values[measure.name];
        var byGu = {};
        districts.gu.forEach(function (gu, i) { byGu[gu] = values[i]; });
        var bounds = classes(values);
        var mine = charts.myGu();
        var dataset = chart.data.datasets[0];
        dataset.label = measure.label;
        dataset.unit = measure.unit;
        dataset.data = features.map(function (f) {
          var v = byGu[f.properties.name];
          return { feature: f, value: v === undefined ? null : v };
        });
        dataset.backgroundColor = dataset.data.map(function (d) {
          var k = classOf(bounds, d.value);
          return k < 0 ? MISSING : bounds[k].colour;
        });
        // The reader's gu: a thick outline, not a colour of its own.
        dataset.borderColor = features.map(function (f) { return f.properties.name === mine ? "#D55E00" : "#1d2430"; });
        dataset.borderWidth = features.map(function (f) { return f.properties.name === mine ? 4 : 1; });
        chart.update();

        var legend = document.getElementById("map-legend");
        legend.replaceChildren();
        bounds.forEach(function (b) {
          var item = document.createElement("li");
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.background = b.colour;
          swatch.setAttribute("aria-hidden", "true");
          item.append(swatch, fmt(b.low, measure.unit) + " ~ " + fmt(b.high, measure.unit));
          legend.appendChild(item);
        });
        if (values.some(function (v) { return v === null; })) {
          var none = document.createElement("li");
          var grey = document.createElement("span");
          grey.className = "swatch";
          grey.style.background = MISSING;
          grey.setAttribute("aria-hidden", "true");
          none.append(grey, "값 없음");
          legend.appendChild(none);
        }
        var text = charts.districtSummary(districts, measure, values);
        charts.setSummary("map-summary", canvas, "서울 25개 자치구 단계구분도 (" + features.length + "개 구역).", text);
        charts.fillTable(document.getElementById("map-table"),
          [{ text: "자치구" }, { text: measure.label + (measure.unit ? " (" + measure.unit + ")" : ""), num: true },
           { text: "구간" }],
          districts.gu.map(function (gu, i) {
            var k = classOf(bounds, values[i]);
            return [gu, { text: fmt(values[i]), num: true },
                    k < 0 ? "값 없음" : (k + 1) + "단계 (" + fmt(bounds[k].low) + " ~ " + fmt(bounds[k].high) + ")"];
          }));
      }

      select.addEventListener("change", update);
      document.addEventListener("portal:mygu", update);
      update();
    }).catch(function (error) {
      // Leave the table and caption: they carry the same figures.
      canvas.closest(".map-layout").hidden = true;
      if (window.console) console.warn("지도를 그릴 수 없습니다:", error.message);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
