// Progressive enhancement shared by every page; each page works without it.
// - the phone menu folds behind a « Menu » button;
// - « Mon espace » and other menus made of <details data-menu> close on Escape, on a click
//   elsewhere, and when another opens;
// - <details data-open-wide> (the search facets) start open on wide screens;
// - a <details data-confirm> destructive action: its confirm button gets the focus when opened.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
      // On a phone « Mon espace » is part of the folded menu: show it unfolded there.
      const space = menu.querySelector(".space-menu");
      if (space) space.open = open;
    });
  }

  const menus = Array.from(document.querySelectorAll("details[data-menu]"));
  menus.forEach((details) => {
    details.addEventListener("toggle", () => {
      if (details.open) menus.filter((other) => other !== details).forEach((other) => { other.open = false; });
    });
    details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", (event) => {
    if (toggle && toggle.contains(event.target)) return;  // it opens « Mon espace » itself
    menus.forEach((details) => {
      if (details.open && !details.contains(event.target)) details.open = false;
    });
  });

  if (window.matchMedia("(min-width: 50rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((details) => { details.open = true; });
  }

  document.querySelectorAll("details[data-confirm]").forEach((details) => {
    details.addEventListener("toggle", () => {
      const button = details.querySelector("button[type=submit]");
      if (details.open && button) button.focus();
    });
  });
});
