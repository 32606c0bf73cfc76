// A searchable choice of languages, built over <select multiple data-language-picker>.
// Without this script the select works as it is (grouped, the languages of the public
// first). With it, the select is hidden but still submitted: the person's languages show
// as removable chips and a combobox (WAI-ARIA 1.2 pattern) finds any other by typing.
// The page gives the words, translated, in data-* attributes of the select.
(function () {
  "use strict";

  var MAX_SHOWN = 40;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function fill(template, name) {
    return (template || "%s").replace("%s", name);
  }

  function enhance(select) {
    var words = select.dataset;
    var options = Array.prototype.map.call(select.options, function (option) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode : null;
      return { option: option, name: option.text, folded: fold(option.text), first: group === select.querySelector("optgroup") };
    });
    var label = document.querySelector('label[for="' + select.id + '"]');

    var box = document.createElement("div");
    box.className = "language-picker";
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", words.chosen || "");
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "_search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "_listbox");
    if (document.getElementById(select.id + "_help")) {
      input.setAttribute("aria-describedby", select.id + "_help");
    }
    var list = document.createElement("ul");
    list.id = select.id + "_listbox";
    list.className = "choices";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent); }
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);
    select.hidden = true;
    select.tabIndex = -1;
    if (label) { label.htmlFor = input.id; }

    var shown = [];
    var active = -1;

    function renderChips() {
      chips.textContent = "";
      options.forEach(function (entry) {
        if (!entry.option.selected) { return; }
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = entry.name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "\u00d7";
        remove.setAttribute("aria-label", fill(words.remove, entry.name));
        remove.addEventListener("click", function () {
          entry.option.selected = false;
          renderChips();
          status.textContent = fill(words.removed, entry.name);
          input.focus();
        });
        item.appendChild(name);
        item.appendChild(remove);
        chips.appendChild(item);
      });
      chips.hidden = !chips.firstChild;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      var query = fold(input.value.trim());
      shown = options.filter(function (entry) {
        if (entry.option.selected) { return false; }
        return query ? entry.folded.indexOf(query) !== -1 || entry.option.value === query : entry.first;
      }).slice(0, MAX_SHOWN);
      list.textContent = "";
      shown.forEach(function (entry, index) {
        var item = document.createElement("li");
        item.id = select.id + "_choice_" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = entry.name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(entry);
        });
        list.appendChild(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = words.none || "";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      move(shown.length && query ? 0 : -1);
    }

    function move(index) {
      var items = list.querySelectorAll('[role="option"]');
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(entry) {
      entry.option.selected = true;
      input.value = "";
      renderChips();
      status.textContent = fill(words.added, entry.name);
      close();
    }

    input.addEventListener("input", open);
    input.addEventListener("focus", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { open(); }
        move(Math.min(active + 1, shown.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        // While the list is open, Enter chooses; it never submits the form from here.
        if (!list.hidden) {
          event.preventDefault();
          if (active >= 0 && shown[active]) { pick(shown[active]); }
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      } else if (event.key === "Backspace" && !input.value) {
        var chosen = options.filter(function (entry) { return entry.option.selected; });
        var last = chosen[chosen.length - 1];
        if (last) {
          last.option.selected = false;
          renderChips();
          status.textContent = fill(words.removed, last.name);
        }
      }
    });

    renderChips();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[multiple][data-language-picker]"), enhance);
})();
