// Suggestions as you type: completes the last word from /api/search/suggestions, shown in
// the browser's own list (a <datalist>), so that keyboard and screen readers work as usual.
(function () {
  "use strict";
  var DELAY_MS = 150;

  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "suggestions-" + index;
    input.setAttribute("list", list.id);
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null;
    var lastAsked = "";

    function show(items) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.query;  // textContent, never HTML: suggestions come from documents
        option.textContent = item.word + " (" + item.count + ")";
        list.appendChild(option);
      });
    }

    function ask() {
      var text = input.value;
      if (text === lastAsked) { return; }
      lastAsked = text;
      // The word being typed: letters (accented too), digits and hyphens (« tiers-l »).
      if (!/[\p{L}\p{N}-]{2,}$/u.test(text)) { show([]); return; }
      fetch("/api/search/suggestions?q=" + encodeURIComponent(text),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value === text) { show(data.suggestions || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
  }

  document.querySelectorAll('input[type="search"][name="q"]').forEach(attach);
})();
