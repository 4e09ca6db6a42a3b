// Progressive enhancement for source/patient fields: suggests matches as you type and fills the
// hidden id when a suggestion is picked. Without this script the server reads the typed text.
(function () {
  "use strict";
  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var hidden = document.getElementById(input.dataset.lookupId);
    var list = document.getElementById(input.getAttribute("list"));
    var known = new Map();
    if (input.value && hidden && hidden.value) { known.set(input.value, hidden.value); }
    var timer = null;
    var sync = function () {
      if (hidden) { hidden.value = known.has(input.value) ? known.get(input.value) : ""; }
    };
    input.addEventListener("input", function () {
      sync();
      clearTimeout(timer);
      var term = input.value.trim();
      if (term.length < 2 || known.has(input.value)) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.lookup + "&term=" + encodeURIComponent(term), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.replaceChildren();
            items.forEach(function (item) {
              known.set(item.label, String(item.id));
              var option = document.createElement("option");
              option.value = item.label;
              list.appendChild(option);
            });
            sync();
          })
          .catch(function () { /* offline or signed out: the server still resolves the text */ });
      }, 200);
    });
    input.addEventListener("change", sync);
  });
})();
