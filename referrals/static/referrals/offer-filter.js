// Finding an offer in the refer form's long list, over <select data-offer-filter>.
// Without this script the select works as it is (offers grouped by organisation). With it,
// a search field above the select hides the offers whose title and organisation do not
// match what is typed (accents and case ignored) and says how many remain; the select
// itself stays the native one, for the keyboard and screen readers. Choosing an offer
// chooses its organisation too. The page gives the words, translated, in data-* attributes.
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function enhance(select) {
    var words = select.dataset;
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "_filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    label.htmlFor = input.id;
    label.textContent = words.filterLabel || "";
    var status = document.createElement("p");
    status.className = "help";
    status.id = select.id + "_filter_status";
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    function filter() {
      var query = fold(input.value.trim());
      var count = 0;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var groupMatches = fold(group.label).indexOf(query) !== -1;
        var any = false;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var shown = !query || groupMatches || fold(option.text).indexOf(query) !== -1;
          option.hidden = !shown;
          if (shown) {
            any = true;
            count += 1;
          }
        });
        group.hidden = !any;
      });
      status.textContent = query ? (words.filterCount || "%s").replace("%s", count) : "";
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      // Enter moves to the list of what remains; it never submits the form from here.
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var organisation = option && option.getAttribute("data-organisation");
      var organisations = select.form && select.form.elements.to_organisation;
      if (organisation && organisations) {
        organisations.value = organisation;
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-offer-filter]"), enhance);
})();
