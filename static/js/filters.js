// Filter forms that refresh a list as a choice changes (`data-filter`, whose htmx request
// is triggered by `filter-changed` and by submitting). On a closed drop-down, ↑/↓ fire
// `change` at every key: refreshing then would fetch the list once per option passed, and a
// late answer could undo the keys pressed meanwhile. So a choice made with the keyboard
// refreshes once the user has stopped for a moment (or leaves the control, or presses the
// form's Filter button); one made with the mouse refreshes at once. The forms swap only
// their results, so the control keeps the focus, and the new count (`data-announce` names it)
// is said in the page's status line, once per refresh.

const SETTLE_MS = 700;

let keyed = null; // the control a key was last pressed on, until the mouse is used

document.addEventListener("keydown", (event) => {
  keyed = event.target.closest?.("form[data-filter]") ? event.target : null;
});
document.addEventListener("pointerdown", () => {
  keyed = null;
});

const waiting = new Map(); // form → timer of a keyboard choice not yet fetched

function refresh(form) {
  clearTimeout(waiting.get(form));
  waiting.delete(form);
  htmx.trigger(form, "filter-changed");
}

document.addEventListener("change", (event) => {
  const form = event.target.closest?.("form[data-filter]");
  if (!form || event.target === form) return;
  if (event.target !== keyed) {
    refresh(form);
    return;
  }
  clearTimeout(waiting.get(form));
  waiting.set(
    form,
    setTimeout(() => refresh(form), SETTLE_MS),
  );
});

// Leaving the form with a choice not yet fetched fetches it now.
document.addEventListener("focusout", (event) => {
  const form = event.target.closest?.("form[data-filter]");
  if (form && waiting.has(form) && !form.contains(event.relatedTarget)) refresh(form);
});

// Submitting fetches the list itself: a waiting keyboard choice is part of it.
document.addEventListener("submit", (event) => {
  const form = event.target.closest?.("form[data-filter]");
  if (form) {
    clearTimeout(waiting.get(form));
    waiting.delete(form);
  }
});

function say(words) {
  const status = document.getElementById("status");
  if (!status) return;
  status.classList.remove("error");
  // Emptied first, so that the same count is said again after another choice.
  status.textContent = "";
  setTimeout(() => {
    status.textContent = words;
  }, 50);
}

document.body.addEventListener("htmx:afterSwap", (event) => {
  const form = event.detail.requestConfig?.elt;
  if (!form?.matches?.("form[data-filter]") || !form.dataset.announce) return;
  const count = document.querySelector(form.dataset.announce)?.textContent.trim();
  if (count) say(count);
});
