// The theme tree: a filter box that finds a concept by any of its labels (preferred,
// synonyms, usual misspellings) as you type, showing the matches and their broader themes;
// « Tout déplier / Tout replier ». Without it, the same filter runs on the server (GET).
"use strict";
(function () {
  const tree = document.querySelector("[data-theme-tree]");
  const input = document.getElementById("filtre-themes");
  const status = document.getElementById("filtre-statut");
  if (!tree || !input) return;
  const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const nodes = Array.from(tree.querySelectorAll("li[data-labels]"));
  const keys = new Map(nodes.map((li) => [li, fold(li.dataset.labels)]));
  const initiallyOpen = new Map(Array.from(tree.querySelectorAll("details")).map((d) => [d, d.open]));

  function apply() {
    const wanted = fold(input.value);
    if (!wanted) {
      nodes.forEach((li) => { li.hidden = false; li.classList.remove("match"); });
      initiallyOpen.forEach((open, details) => { details.open = open; });
      status.textContent = "";
      return;
    }
    let found = 0;
    nodes.forEach((li) => { li.hidden = true; li.classList.remove("match"); });
    nodes.forEach((li) => {
      if (!keys.get(li).includes(wanted)) return;
      found += 1;
      li.hidden = false;
      li.classList.add("match");
      li.querySelectorAll("li[data-labels]").forEach((below) => { below.hidden = false; });
      for (let up = li.parentElement; up && up !== tree; up = up.parentElement) {
        if (up.matches("li[data-labels]")) up.hidden = false;
        if (up.tagName === "DETAILS") up.open = true;
      }
    });
    status.textContent = found ? `${found} thème${found > 1 ? "s" : ""} trouvé${found > 1 ? "s" : ""}` : "Aucun thème ne correspond.";
  }

  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
  const form = input.form;
  if (form) form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });

  document.querySelectorAll("[data-tree-toggle]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = button.dataset.treeToggle === "open";
      tree.querySelectorAll("details").forEach((details) => { details.open = open; });
    });
  });
  if (input.value) apply();
})();
