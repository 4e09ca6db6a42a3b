// Fills [data-fragment] sections with server-rendered HTML fetched after the page loads, so slow
// summaries do not hold up the page. Without this script the section keeps its plain link.
(function () {
  "use strict";
  document.querySelectorAll("[data-fragment]").forEach(function (section) {
    var body = section.querySelector(".fragment-body");
    fetch(section.dataset.fragment, { headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { body.innerHTML = html; section.dataset.loaded = "true"; })
      .catch(function () { /* keep the link */ });
  });
})();
