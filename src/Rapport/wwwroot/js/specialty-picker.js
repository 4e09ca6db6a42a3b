// Progressive enhancement for specialty selects: a search box over the native <select>. What is
// typed is matched on the server (SpecialtySearch: word starts, most referring specialties first,
// an exact NUCC code); picking an entry sets the select, which the form submits as before.
// Without this script, or if the search cannot be reached, the native select is used.
(function () {
  "use strict";
  var count = 0;
  document.querySelectorAll("select[data-specialty-picker]").forEach(function (select) {
    var url = select.dataset.specialtyPicker;
    var id = select.id || "specialty-" + (++count);
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-search";
    input.autocomplete = "off";
    input.placeholder = "Type a specialty or NUCC code";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.id = id + "-options";
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    select.parentNode.insertBefore(wrapper, select);
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) { label.htmlFor = input.id; }
    list.setAttribute("aria-label", label ? label.textContent.trim() : "Specialties");
    select.hidden = true;
    select.tabIndex = -1;

    var items = [];
    var active = -1;
    var searchedFor = null;
    var sequence = 0;
    var timer = null;

    var chosenText = function () {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    };
    input.value = chosenText();

    var setOpen = function (open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) { input.removeAttribute("aria-activedescendant"); }
    };
    var highlight = function () {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        if (i === active) {
          input.setAttribute("aria-activedescendant", li.id);
          if (li.scrollIntoView) { li.scrollIntoView({ block: "nearest" }); }
        }
      });
    };
    var choose = function (i) {
      var item = items[i];
      if (!item) { return; }
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === item.value; });
      if (!option) {
        option = new Option(item.label, item.value);
        select.appendChild(option);
      }
      select.value = item.value;
      input.value = chosenText();
      setOpen(false);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    };
    var render = function (results) {
      items = results;
      active = results.length > 0 ? 0 : -1;
      list.replaceChildren();
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.value = item.value;
        li.textContent = item.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (results.length === 0) {
        var none = document.createElement("li");
        none.className = "picker-empty";
        none.textContent = "No specialty matches “" + input.value.trim() + "”.";
        list.appendChild(none);
      }
      highlight();
      setOpen(document.activeElement === input);
    };
    var search = function () {
      var term = input.value.trim();
      var mine = ++sequence;
      fetch(url + "&term=" + encodeURIComponent(term), { headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (results) {
          if (mine === sequence) { searchedFor = term; render(results); }
        })
        .catch(function () {
          // Signed out or unreachable: fall back to the native select.
          wrapper.hidden = true;
          select.hidden = false;
          select.tabIndex = 0;
          if (label) { label.htmlFor = select.id; }
        });
    };

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("focus", function () {
      if (input.value === chosenText()) { input.select(); }
      search();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { search(); return; }
        if (items.length > 0) {
          active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
          highlight();
        }
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) { e.preventDefault(); choose(active); }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); }
        input.value = chosenText();
        setOpen(false);
      }
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      var typed = input.value.trim();
      if (typed === "") {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (typed !== chosenText() && searchedFor === typed && items.length === 1) {
        // One match for what was typed (an exact code, a full name): take it.
        choose(0);
      }
      input.value = chosenText();
      setOpen(false);
    });
  });
})();
