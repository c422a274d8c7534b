/* Reader additions to the theme (productenboek), run after every page load:
   - a wide table's scroll area can be reached and scrolled with the keyboard (WCAG 2.1.1),
     and is named after the heading above it;
   - the search dialog has a name. */
document$.subscribe(function () {
  var n = 0;
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    n += 1;
    var heading = null, el = wrap;
    while (el && !heading) {
      var prev = el.previousElementSibling;
      while (prev && !/^H[1-6]$/.test(prev.tagName)) { prev = prev.previousElementSibling; }
      heading = prev;
      el = el.parentElement;
      if (el && el.tagName === "ARTICLE") { break; }
    }
    var name = heading ? heading.textContent.replace(/¶$/, "").trim() : document.title;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "Tabel " + n + ": " + name);
  });
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog) { dialog.setAttribute("aria-label", "Zoeken"); }
  document.body.setAttribute("data-pb-klaar", "1");  /* tests wait for this */
});
