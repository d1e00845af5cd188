// « Ajouter au catalogue » on the results page without leaving it: the form posts in the
// background and the answer is said beside the button (a status region read out by screen
// readers). Without this script the same form posts and the server sends the reader back
// to the same results, scrolled to the same result, with the same message.
"use strict";

async function postInBackground(form) {
  const response = await fetch(form.action, {
    method: "POST", body: new FormData(form), credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
    throw new Error(`réponse inattendue (${response.status})`);
  }
  return response.json();
}

function showAnswer(form, answer) {
  const place = form.closest(".hit-catalogue");
  const status = place.querySelector("[data-add-status]");
  status.textContent = answer.message;
  status.classList.toggle("flash-error", !answer.added);
  if (!answer.added) return;
  // The catalogue now holds the document: it is no longer offered for it.
  const chosen = String(form.elements.target.value).split(":")[0];
  const select = form.querySelector("select[name=target]");
  if (select) {
    Array.from(select.options).filter((o) => o.value.split(":")[0] === chosen)
      .forEach((o) => o.remove());
  }
  if (!select || select.options.length === 0) {
    form.querySelectorAll("[data-add-control]").forEach((control) => { control.hidden = true; });
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-add-to-catalogue]");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  let answer;
  try {
    answer = await postInBackground(form);
  } catch (error) {
    form.submit();  // the plain form still works (nothing was added in the background)
    return;
  } finally {
    button.disabled = false;
  }
  showAnswer(form, answer);
});
