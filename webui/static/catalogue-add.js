// « Ajouter au catalogue » from the results page without leaving it: the form posts in the
// background and the result says, beside the button, where the resource went. Without this
// script the same form posts, and the server sends the reader back to the same results,
// scrolled to the same result, with the same message.
"use strict";
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-add-to-catalogue]");
  if (!form) return;
  event.preventDefault();
  const status = form.querySelector("[data-add-status]");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok && response.status >= 500) throw new Error(String(response.status));
    const answer = await response.json();
    status.textContent = answer.message;
    status.classList.toggle("flash-error", !answer.added);
    if (answer.added) {
      const select = form.querySelector("select[name=target]");
      const chosen = form.querySelector("[name=target]");
      const catalogue = String(chosen.value).split(":")[0];
      if (select) {
        Array.from(select.options).filter((o) => o.value.split(":")[0] === catalogue).forEach((o) => o.remove());
      }
      if (!select || select.options.length === 0) {
        form.querySelectorAll("[data-add-control]").forEach((el) => { el.hidden = true; });
      }
    }
  } catch (error) {
    form.submit();  // the plain form still works
    return;
  } finally {
    button.disabled = false;
  }
});
