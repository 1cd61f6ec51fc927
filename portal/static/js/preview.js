/* The dataset page's preview: the server renders the first rows; this pages, sorts and
   filters on the server through /api/v1/datasets/<slug>/rows, so a 1,000,000-row table
   never comes to the browser. Headers become sort buttons (aria-sort), the row under them
   takes one condition per column, and a live region says how many rows match. */
(function () {
  "use strict";

  // Typed comparisons in a filter box map to the API's operators (Datasette's names).
  var PREFIXES = [[">=", "gte"], ["<=", "lte"], ["!=", "not"], [">", "gt"], ["<", "lt"],
                  ["=", "exact"], ["!", "not"]];
  var SORT_LABELS = { ascending: "오름차순", descending: "내림차순" };

  function filterParameter(column, kind, text) {
    for (var i = 0; i < PREFIXES.length; i++) {
      var prefix = PREFIXES[i][0];
      if (text.indexOf(prefix) === 0 && text.length > prefix.length) {
        return [column + "__" + PREFIXES[i][1], text.slice(prefix.length).trim()];
      }
    }
    return kind === "string" ? [column + "__contains", text] : [column, text];
  }

  function formatCell(value, kind) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value === "number") {
      return Number.isInteger(value) && kind === "integer" ? String(value)
        : value.toLocaleString("ko-KR", { maximumFractionDigits: 6 });
    }
    if (kind === "timestamp" && typeof value === "string") {
      return value.replace("T", " ").replace(/:\d\d$/, "");
    }
    return String(value);
  }

  function init(section) {
    var table = section.querySelector("table");
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th[data-column]"));
    var inputs = Array.prototype.slice.call(section.querySelectorAll("[data-preview-filters] input"));
    var body = table.tBodies[0];
    var status = section.querySelector("[data-preview-status]");
    var range = section.querySelector("[data-preview-range]");
    var prev = section.querySelector("[data-preview-prev]");
    var next = section.querySelector("[data-preview-next]");
    var reset = section.querySelector("[data-preview-reset]");
    var size = parseInt(section.dataset.pageSize, 10) || 50;
    var state = { page: 1, sort: null, descending: false, total: parseInt(section.dataset.total, 10) };
    var kinds = {};
    var request = 0, timer = null;

    headers.forEach(function (th) {
      kinds[th.dataset.column] = th.dataset.kind;
      var name = th.querySelector(".col-name");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = name.textContent;
      button.addEventListener("click", function () { toggleSort(th.dataset.column); });
      name.replaceWith(button);
    });
    section.querySelector("[data-preview-controls]").hidden = false;
    section.querySelector("[data-preview-filters]").hidden = false;

    function toggleSort(column) {
      if (state.sort !== column) { state.sort = column; state.descending = false; }
      else if (!state.descending) { state.descending = true; }
      else { state.sort = null; state.descending = false; }
      state.page = 1;
      load();
    }

    function parameters() {
      var params = new URLSearchParams();
      params.set("_version", section.dataset.version);
      params.set("_page", String(state.page));
      params.set("_size", String(size));
      if (state.sort) { params.set(state.descending ? "_sort_desc" : "_sort", state.sort); }
      inputs.forEach(function (input) {
        var text = input.value.trim();
        if (text) {
          var pair = filterParameter(input.dataset.column, kinds[input.dataset.column], text);
          params.append(pair[0], pair[1]);
        }
      });
      return params;
    }

    function showSort() {
      headers.forEach(function (th) {
        var button = th.querySelector(".sort-button");
        if (th.dataset.column === state.sort) {
          var order = state.descending ? "descending" : "ascending";
          th.setAttribute("aria-sort", order);
          button.setAttribute("aria-label", th.dataset.column + ", " + SORT_LABELS[order] + " 정렬됨");
        } else {
          th.removeAttribute("aria-sort");
          button.setAttribute("aria-label", th.dataset.column + ", 정렬하기");
        }
      });
    }

    function render(data) {
      var fragment = document.createDocumentFragment();
      data.rows.forEach(function (row) {
        var tr = document.createElement("tr");
        data.columns.forEach(function (column) {
          var td = document.createElement("td");
          td.textContent = formatCell(row[column], kinds[column]);
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      body.replaceChildren(fragment);
      state.total = data.total;
      var first = data.total ? data.offset + 1 : 0;
      var last = data.offset + data.rows.length;
      var total = data.total.toLocaleString("ko-KR");
      range.textContent = first.toLocaleString("ko-KR") + "–" + last.toLocaleString("ko-KR") +
        " / " + total + "행";
      prev.disabled = data.previous === null;
      next.disabled = data.next === null;
      var filtered = data.filters.length > 0;
      reset.hidden = !filtered;
      status.textContent = (filtered ? "조건에 맞는 행 " + total + "개" : "전체 " + total + "행") +
        (data.total ? ", " + first.toLocaleString("ko-KR") + "–" + last.toLocaleString("ko-KR") +
         "행 표시" : "") + (state.sort ? ", " + state.sort + " " +
         SORT_LABELS[state.descending ? "descending" : "ascending"] : "") + ".";
    }

    function load() {
      var mine = ++request;
      showSort();
      section.setAttribute("aria-busy", "true");
      inputs.forEach(function (input) { input.removeAttribute("aria-invalid"); });
      fetch(section.dataset.rowsUrl + "?" + parameters().toString(),
            { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          if (mine !== request) { return; }  // a newer request is on its way
          section.removeAttribute("aria-busy");
          if (!result.ok) {
            status.textContent = "조건을 확인해 주세요: " + (result.data.message || "잘못된 요청");
            inputs.forEach(function (input) {
              if (input.value.trim() && status.textContent.indexOf(input.dataset.column) !== -1) {
                input.setAttribute("aria-invalid", "true");
              }
            });
            return;
          }
          render(result.data);
        })
        .catch(function () {
          if (mine !== request) { return; }
          section.removeAttribute("aria-busy");
          status.textContent = "행을 불러오지 못했습니다. 잠시 뒤 다시 시도해 주세요.";
        });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { state.page = 1; load(); }, 400);
      });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); state.page = 1; load(); }
      });
    });
    prev.addEventListener("click", function () { if (state.page > 1) { state.page -= 1; load(); } });
    next.addEventListener("click", function () { state.page += 1; load(); });
    reset.addEventListener("click", function () {
      inputs.forEach(function (input) { input.value = ""; });
      state.page = 1;
      load();
      inputs[0].focus();
    });
    showSort();
  }

  document.querySelectorAll("[data-table-preview]").forEach(init);
})();
