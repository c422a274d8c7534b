/* Productentabel: filter, sort and page the portal's table of every product and coded
   kernbeding. Plain JavaScript, no libraries, no network besides the JSON next to the page.
   The filter state lives in the page address (?zoek=&regio=&categorie=&zorgvorm=&sorteer=&pagina=),
   so a filtered view can be shared and is restored on load and on back/forward. */
(function () {
  "use strict";
  var root = document.getElementById("pt-productentabel");
  if (!root) { return; }
  var form = root.querySelector("form");
  var field = {
    q: document.getElementById("pt-zoek"), regio: document.getElementById("pt-regio"),
    categorie: document.getElementById("pt-categorie"), zorgvorm: document.getElementById("pt-zorgvorm"),
    per: document.getElementById("pt-per")
  };
  var statusEl = document.getElementById("pt-status");
  var tbody = root.querySelector("tbody");
  var heads = Array.prototype.slice.call(root.querySelectorAll("th[data-kolom]"));
  var prev = document.getElementById("pt-vorige"), next = document.getElementById("pt-volgende");
  var pageEl = document.getElementById("pt-pagina");
  var csvButton = document.getElementById("pt-csv-selectie");
  var NF = new Intl.NumberFormat("nl-NL");
  var rows = [], shown = [], sortKey = "", sortDir = 1, page = 1, timing = {};
  window.productentabel = { timing: timing };

  function shortDate(iso) {           // 2025-01-01 -> 1-1-2025
    if (!iso) { return ""; }
    var p = iso.split("-");
    return (+p[2]) + "-" + (+p[1]) + "-" + p[0];
  }

  // One object per row, with what filtering and sorting need computed once.
  function prepare(data) {
    var c = {};
    data.kolommen.forEach(function (name, i) { c[name] = i; });
    return data.rijen.map(function (a, i) {
      var r = {
        i: i, kind: a[c.kind], region: a[c.region], slug: a[c.slug], path: a[c.path], code: a[c.code], name: a[c.name],
        lawKey: a[c.law], law: a[c.law_name], cat: a[c.category], catName: a[c.category_name], form: a[c.national],
        formName: a[c.national_name], amount: a[c.amount], tariff: a[c.tariff], unit: a[c.unit],
        from: a[c.valid_from], to: a[c.valid_to], status: a[c.status]
      };
      r.catKey = r.cat ? r.lawKey + "-" + r.cat : "";   // the value of the category's option
      r.value = r.amount === "" ? null : parseFloat(r.amount);
      r.nameKey = r.name.toLowerCase();
      r.regionKey = r.region.toLowerCase();
      r.formKey = r.formName.toLowerCase();
      r.text = [r.code, r.name, r.region, r.formName, r.cat, r.catName, r.kind, r.status, r.unit, r.tariff].join(" ").toLowerCase();
      return r;
    });
  }

  // Sort column -> the row property it sorts on (precomputed in prepare()).
  var KEYS = {
    code: "code", naam: "nameKey", regio: "regionKey", wet: "law", categorie: "cat", zorgvorm: "formKey",
    tarief: "value", eenheid: "unit", vanaf: "from", tot: "to", status: "status"
  };

  function comparator(prop, dir) {
    return function (a, b) {
      var x = a[prop], y = b[prop];
      var ex = x === null || x === "", ey = y === null || y === "";
      if (ex || ey) { return ex === ey ? a.i - b.i : (ex ? 1 : -1); }   // empty cells last, either way
      if (x < y) { return -dir; }
      if (x > y) { return dir; }
      return a.i - b.i;
    };
  }

  function state() {
    return { q: field.q.value.trim(), regio: field.regio.value, categorie: field.categorie.value,
             zorgvorm: field.zorgvorm.value, per: field.per.value };
  }

  function apply() {
    var t0 = performance.now();
    var s = state(), words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    shown = rows.filter(function (r) {
      if (s.regio && r.slug !== s.regio) { return false; }
      if (s.categorie && r.catKey !== s.categorie) { return false; }
      if (s.zorgvorm && (s.zorgvorm === "-" ? r.form !== "" : r.form !== s.zorgvorm)) { return false; }
      for (var w = 0; w < words.length; w++) { if (r.text.indexOf(words[w]) < 0) { return false; } }
      return true;
    });
    if (sortKey) { shown.sort(comparator(KEYS[sortKey], sortDir)); }
    timing.filter = performance.now() - t0;
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function render() {
    var t0 = performance.now();
    var per = parseInt(field.per.value, 10) || 100;
    var pages = Math.max(1, Math.ceil(shown.length / per));
    page = Math.min(Math.max(1, page), pages);
    var frag = document.createDocumentFragment();
    shown.slice((page - 1) * per, page * per).forEach(function (r) {
      var tr = document.createElement("tr");
      cell(tr, r.code, "pt-code");
      var td = cell(tr, "", "");
      var a = document.createElement("a");
      a.href = "../" + r.path;
      a.textContent = r.name;
      td.appendChild(a);
      if (r.kind === "kernbeding") {
        var tag = document.createElement("span");
        tag.className = "pt-soort";
        tag.textContent = "kernbeding";
        td.appendChild(tag);
      }
      cell(tr, r.region);
      cell(tr, r.law);
      cell(tr, r.cat ? (r.cat + " " + r.catName).trim() : "");
      var fc = cell(tr, "");
      if (r.form) {
        var fa = document.createElement("a");
        fa.href = "../zorgvormen/" + r.form + "/";
        fa.textContent = r.formName;
        fc.appendChild(fa);
      }
      var tc = cell(tr, r.tariff, "pt-getal");
      tc.setAttribute("data-waarde", r.amount);
      cell(tr, r.unit);
      cell(tr, shortDate(r.from), "pt-datum");
      cell(tr, shortDate(r.to), "pt-datum");
      cell(tr, r.status);
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    pageEl.textContent = "Pagina " + page + " van " + pages;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    heads.forEach(function (th) {
      if (th.getAttribute("data-kolom") === sortKey) {
        th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    var n = shown.length;
    statusEl.textContent = (n === rows.length ? "Alle " + NF.format(n) + " regels" : NF.format(n) + " van " + NF.format(rows.length) + " regels") +
      (n > per ? " (pagina " + page + " van " + pages + ")" : "") + ".";
    csvButton.disabled = n === 0;
    timing.render = performance.now() - t0;
  }

  function writeUrl() {
    var s = state(), p = new URLSearchParams();
    if (s.q) { p.set("zoek", s.q); }   // not "q": that one opens the theme's search
    ["regio", "categorie", "zorgvorm"].forEach(function (k) { if (s[k]) { p.set(k, s[k]); } });
    if (s.per !== "100") { p.set("per", s.per); }
    if (sortKey) { p.set("sorteer", (sortDir < 0 ? "-" : "") + sortKey); }
    if (page > 1) { p.set("pagina", String(page)); }
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
  }

  function readUrl() {
    var p = new URLSearchParams(location.search);
    field.q.value = p.get("zoek") || "";
    ["regio", "categorie", "zorgvorm", "per"].forEach(function (k) {
      var v = p.get(k);
      var sel = field[k];
      if (v !== null && Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) {
        sel.value = v;
      } else {
        sel.value = k === "per" ? "100" : "";
      }
    });
    var s = p.get("sorteer") || "";
    sortDir = s.charAt(0) === "-" ? -1 : 1;
    sortKey = KEYS[s.replace(/^-/, "")] ? s.replace(/^-/, "") : "";
    page = parseInt(p.get("pagina"), 10) || 1;
  }

  function update(resetPage) {
    if (resetPage) { page = 1; }
    apply();
    render();
    writeUrl();
  }

  form.addEventListener("input", function () { update(true); });
  form.addEventListener("change", function () { update(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { sortKey = ""; sortDir = 1; update(true); }, 0);   // after the fields are reset
  });
  heads.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-kolom");
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      update(true);
    });
  });
  prev.addEventListener("click", function () { page -= 1; render(); writeUrl(); });
  next.addEventListener("click", function () { page += 1; render(); writeUrl(); });
  window.addEventListener("popstate", function () { readUrl(); apply(); render(); });

  // The selection as CSV, like the downloads: ';' separated, UTF-8 with BOM.
  csvButton.addEventListener("click", function () {
    function q(v) {
      v = String(v);
      if (/^[=+\-@\t\r]/.test(v)) { v = "'" + v; }
      return /[";\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
    }
    var lines = [["Code", "Naam", "Soort", "Regio", "Wet", "Categorie", "Landelijke zorgvorm", "Tarief (euro)", "Tarief",
                  "Eenheid", "Geldig vanaf", "Geldig tot", "Status"].join(";")];
    shown.forEach(function (r) {
      lines.push([r.code, r.name, r.kind, r.region, r.law, (r.cat + " " + r.catName).trim(), r.formName,
                  r.amount.replace(".", ","), r.tariff, r.unit, r.from, r.to, r.status].map(q).join(";"));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "producten-selectie.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  fetch(root.getAttribute("data-bron"))
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    })
    .then(function (text) {
      var t0 = performance.now();
      rows = prepare(JSON.parse(text));
      readUrl();
      apply();
      render();
      timing.load = performance.now() - t0;   // parse, prepare, filter, sort and first render
      root.setAttribute("data-klaar", "");
    })
    .catch(function () {
      statusEl.textContent = "De tabel kon niet worden geladen. Download de tabel als CSV of Excel hieronder.";
    });
})();
