/*
 * Suggestions as you type in the header search box: the WAI-ARIA 1.2
 * combobox pattern with a listbox popup (list autocomplete, no automatic
 * selection). Up/Down move through suggestions, Enter opens the active one
 * (or submits the search when none is active), Escape closes the list.
 * Without JavaScript the field is a plain search box.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;

  function init(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = input.form.querySelector("[data-suggest-status]");
    var url = input.dataset.suggestUrl;
    var timer = null;
    var controller = null;
    var active = -1;

    function options() {
      return listbox.querySelectorAll("[role=option]");
    }

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render(suggestions) {
      listbox.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = listbox.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.url = suggestion.url;
        var label = document.createElement("span");
        label.className = "search-box__suggestion-label";
        label.textContent = suggestion.label;
        item.appendChild(label);
        if (suggestion.detail) {
          var detail = document.createElement("span");
          detail.className = "search-box__suggestion-detail";
          detail.textContent = suggestion.detail;
          item.appendChild(detail);
        }
        // mousedown, not click: it fires before the input loses focus.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(suggestion.url);
        });
        listbox.appendChild(item);
      });
      var open = suggestions.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (status) {
        status.textContent = open
          ? suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") + " available."
          : "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (data.query === undefined || input.value.trim() === data.query) {
            render(data.suggestions || []);
          }
        })
        .catch(function () {
          /* Offline or aborted: the search button still works. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        setActive(active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].dataset.url);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[role=combobox][data-suggest-url]").forEach(init);
})();
