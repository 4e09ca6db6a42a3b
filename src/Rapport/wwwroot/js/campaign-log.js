// "Add another person" on the campaign log: copies the last new-person row with the next index and empty
// fields. Without script the page offers fixed blank rows instead, so the button stays hidden.
(function () {
  "use strict";
  var button = document.getElementById("add-person");
  var list = document.getElementById("new-people");
  if (!button || !list) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var rows = list.querySelectorAll(".new-person");
    var last = rows[rows.length - 1];
    if (!last) { return; }
    var from = Number(last.dataset.row);
    var to = rows.length;
    var copy = last.cloneNode(true);
    copy.dataset.row = String(to);
    copy.querySelector(".row-label").textContent = "New person " + (to + 1);
    var rename = function (value) { return value.replace("NewPeople[" + from + "]", "NewPeople[" + to + "]").replace("NewPeople_" + from + "__", "NewPeople_" + to + "__"); };
    copy.querySelectorAll("input, label, span").forEach(function (el) {
      ["name", "id", "for", "data-valmsg-for"].forEach(function (attribute) {
        if (el.hasAttribute(attribute)) { el.setAttribute(attribute, rename(el.getAttribute(attribute))); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
      if (el.tagName === "SPAN") { el.textContent = ""; }
    });
    list.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
