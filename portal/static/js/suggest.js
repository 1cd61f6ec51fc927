/* Autocomplete for the site search box: an ARIA 1.2 combobox over /api/v1/suggest.
   Titles open the dataset; keywords, organisations and gu fill the box and search. */
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  if (!input) { return; }
  var form = input.form;
  var list = document.createElement("ul");
  list.id = "site-q-suggestions";
  list.className = "suggest-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var KIND_LABELS = { title: "데이터셋", keyword: "키워드", organisation: "기관", gu: "자치구" };
  var items = [], active = -1, timer = null, latest = 0;

  function close() {
    list.hidden = true; items = []; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function render(suggestions) {
    list.innerHTML = "";
    items = suggestions;
    active = -1;
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "site-q-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var text = document.createElement("span");
      text.textContent = s.text;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KIND_LABELS[s.kind] || s.kind;
      li.appendChild(text); li.appendChild(kind);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
  }

  function highlight(i) {
    var options = list.children;
    if (active >= 0 && options[active]) { options[active].setAttribute("aria-selected", "false"); }
    active = i;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
    }
  }

  function choose(i) {
    var s = items[i];
    if (!s) { return; }
    if (s.kind === "title") {
      window.location.href = "/datasets/" + encodeURIComponent(s.value);
      return;
    }
    input.value = s.text;
    close();
    form.submit();
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch("/api/v1/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) { render(data.suggestions || []); } })
        .catch(close);
    }, 120);
  });

  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
