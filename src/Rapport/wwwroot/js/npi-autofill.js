// NPI autofill on the source form: when a valid NPI is typed (or "Fill from registry" is pressed),
// the registry's fields fill the EMPTY fields of the form; what was typed is never replaced. A notice
// says what was filled, or that the NPI is deactivated, missing from the registry or not in it.
// Without this script the button posts the form to the server, which fills the same blanks (and a
// save fills them too: SourceService.FillBlanks).
(function () {
  "use strict";
  var npi = document.querySelector("input[data-registry-lookup]");
  if (!npi) { return; }
  var button = document.getElementById("npi-fill");
  var status = document.getElementById("npi-registry-status");
  var url = npi.dataset.registryLookup;
  var fields = [
    ["firstName", "Input_FirstName", "first name"], ["lastName", "Input_LastName", "last name"],
    ["credential", "Input_Credential", "credential"], ["practiceName", "Input_PracticeName", "practice"],
    ["addressLine", "Input_AddressLine", "address"], ["city", "Input_City", "city"], ["state", "Input_State", "state"],
    ["zip", "Input_Zip", "ZIP"], ["phone", "Input_Phone", "phone"], ["fax", "Input_Fax", "fax"]
  ];
  var lastLooked = null;

  // The NPI check digit: Luhn over the nine digits with the 80840 prefix (constant 24), as Formats.IsValidNpi.
  var isValidNpi = function (text) {
    if (!/^\d{10}$/.test(text)) { return false; }
    var sum = 24, doubleIt = true;
    for (var i = 8; i >= 0; i--) {
      var d = text.charCodeAt(i) - 48;
      if (doubleIt) { d *= 2; if (d > 9) { d -= 9; } }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10 === text.charCodeAt(9) - 48;
  };

  var show = function (message, warning) {
    status.textContent = message;
    status.className = warning ? "npi-status warning" : "npi-status notice";
    status.hidden = !message;
  };

  var fillSpecialty = function (code, label) {
    var select = document.getElementById("Input_TaxonomyCode");
    if (!select || !code || select.value) { return false; }
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === code; });
    if (!option) {
      option = new Option(label || code, code);
      select.appendChild(option);
    }
    select.value = code;
    // The specialty picker's search box shows the chosen option's text.
    var search = document.getElementById(select.id + "-search");
    if (search) { search.value = option.text; }
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  };

  var apply = function (answer) {
    var filled = [];
    if (answer.fields) {
      fields.forEach(function (f) {
        var input = document.getElementById(f[1]);
        var value = answer.fields[f[0]];
        if (input && value && !input.value.trim()) {
          input.value = value;
          filled.push(f[2]);
        }
      });
      if (fillSpecialty(answer.fields.taxonomyCode, answer.specialtyLabel)) { filled.push("specialty"); }
    }
    var parts = [];
    if (filled.length > 0) { parts.push("Filled from the NPI registry: " + filled.join(", ") + "."); }
    else if (answer.status === "Found") { parts.push("Nothing to fill: every field the registry has is already filled."); }
    if (answer.status !== "Found") { parts.push(answer.message); }
    show(parts.join(" "), answer.status !== "Found");
  };

  var lookUp = function (force) {
    var text = npi.value.trim();
    if (!isValidNpi(text)) {
      if (force) { show("Type a valid NPI (ten digits with a check digit) to fill the form from the NPI registry.", true); }
      return;
    }
    if (!force && text === lastLooked) { return; }
    lastLooked = text;
    fetch(url + "&npi=" + encodeURIComponent(text), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok && r.status !== 400) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (answer) { if (npi.value.trim() === text) { apply(answer); } })
      .catch(function () { show("The NPI registry could not be reached; saving still fills empty fields from it.", true); });
  };

  npi.addEventListener("input", function () { lookUp(false); });
  if (button) {
    // With script the button looks up in place; as a plain button it is no longer the form's default (Enter saves).
    button.type = "button";
    button.removeAttribute("formaction");
    button.addEventListener("click", function (e) { e.preventDefault(); lookUp(true); });
  }
})();
