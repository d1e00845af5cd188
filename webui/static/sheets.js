// Experience sheet form: a copy kept in this browser until the server has it, periodic
// autosave (same optimistic version rule as the save button), theme suggestions while typing.
// Served as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) { return; }
  var AUTOSAVE_MS = 20000;
  var SUGGEST_DELAY_MS = 1500;
  var storageKey = "kb-fiche:" + (form.dataset.draftKey || "nouvelle");
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var csrf = form.querySelector("input[name=csrf_token]");
  var dirty = false;
  var saving = false;
  var stopped = false;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "version" &&
        (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "checkbox" &&
          el.type !== "hidden") || el.tagName === "SELECT");
    });
  }

  function snapshot() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.value; });
    return data;
  }

  function stored(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function say(text) { if (status) { status.textContent = text; } }

  // --- local copy: survives an expired session, a closed tab or a lost connection
  function keepLocally() {
    var data = snapshot();
    data["__client_key"] = form.dataset.clientKey || "";
    try { localStorage.setItem(storageKey, JSON.stringify(data)); } catch (e) { /* full or off */ }
  }
  function forgetLocal() { try { localStorage.removeItem(storageKey); } catch (e) { /* off */ } }

  function offerRestore() {
    // The copy of a new sheet that the server did create (this page) is no longer needed.
    var fresh = stored("kb-fiche:nouvelle");
    if (form.dataset.draftKey !== "nouvelle" && fresh && fresh.__client_key &&
        fresh.__client_key === form.dataset.clientKey) {
      try { localStorage.removeItem("kb-fiche:nouvelle"); } catch (e) { /* off */ }
    }
    var saved = stored(storageKey);
    if (!saved) { return; }
    var current = snapshot();
    var differs = Object.keys(saved).some(function (k) { return k in current && saved[k] !== current[k]; });
    if (!differs) { forgetLocal(); return; }
    var box = document.getElementById("draft-restore");
    if (!box) { return; }
    box.hidden = false;
    document.getElementById("draft-restore-apply").addEventListener("click", function () {
      fields().forEach(function (el) { if (el.name in saved) { el.value = saved[el.name]; } });
      box.hidden = true;
      dirty = true;
      say("Texte repris : pensez à enregistrer.");
    });
    document.getElementById("draft-restore-discard").addEventListener("click", function () {
      forgetLocal();
      box.hidden = true;
    });
  }

  // --- autosave to the server (only for a sheet that already exists)
  function autosave() {
    var url = form.dataset.autosaveUrl;
    if (!url || !dirty || saving || stopped) { return; }
    saving = true;
    dirty = false;
    fetch(url, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      var body = result.body;
      if (body.status === "saved" || body.status === "unchanged") {
        version.value = body.version;
        forgetLocal();
        say("Enregistré automatiquement à " + new Date().toLocaleTimeString("fr-FR") + ".");
      } else if (body.status === "conflit") {
        stopped = true;
        say(body.message + " L'enregistrement automatique est suspendu : rechargez la page.");
      } else {
        dirty = true;
        say(body.message || "Enregistrement automatique impossible : votre texte est gardé dans ce navigateur.");
      }
    }).catch(function () {
      dirty = true;
      say("Enregistrement automatique impossible (réseau ou session) : votre texte est gardé dans ce navigateur.");
    }).then(function () { saving = false; });
  }

  // --- theme suggestions: asked for after a pause in typing, never at page load
  var suggestTimer = null;
  var lastAsked = "";
  function themesBox() { return form.querySelector("textarea[name=themes]"); }
  function chosenThemes() {
    return themesBox().value.split("\n").map(function (t) { return t.trim().toLowerCase(); });
  }
  function addTheme(label, button) {
    var box = themesBox();
    if (chosenThemes().indexOf(label.toLowerCase()) < 0) {
      box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + label;
      dirty = true;
      keepLocally();
    }
    button.parentNode.removeChild(button);
  }
  function showSuggestions(list) {
    var target = document.getElementById("theme-suggestions");
    if (!target) { return; }
    var fresh = list.filter(function (s) { return chosenThemes().indexOf(s.label.toLowerCase()) < 0; });
    target.textContent = "";
    if (!fresh.length) { return; }
    var intro = document.createElement("p");
    intro.className = "help";
    intro.textContent = "Thèmes suggérés d'après le texte (cliquez pour ajouter) :";
    target.appendChild(intro);
    fresh.forEach(function (s) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "theme-suggestion secondary";
      button.textContent = "+ " + s.label;
      button.addEventListener("click", function () { addTheme(s.label, button); });
      target.appendChild(button);
    });
  }
  function suggest() {
    var url = form.dataset.suggestUrl;
    var parts = ["context", "actors", "narrative", "difficulties", "lessons"].map(function (name) {
      var el = form.elements[name];
      return el ? el.value : "";
    });
    var text = parts.join("\n\n");
    if (!url || Math.abs(text.length - lastAsked.length) < 30 && text.slice(0, 200) === lastAsked.slice(0, 200)) { return; }
    lastAsked = text;
    var body = new FormData();
    body.append("text", text);
    body.append("title", form.elements.title ? form.elements.title.value : "");
    body.append("themes", themesBox().value);
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { showSuggestions(data.suggestions || []); })
      .catch(function () { /* suggestions are a help, not a need */ });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    keepLocally();
    if (event.target.tagName === "TEXTAREA" && event.target.name !== "themes") {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(suggest, SUGGEST_DELAY_MS);
    }
  });
  form.addEventListener("submit", keepLocally);
  offerRestore();
  setInterval(autosave, AUTOSAVE_MS);
  window.addEventListener("pagehide", function () { if (dirty) { keepLocally(); } });
})();
