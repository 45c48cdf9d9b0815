// Keep the keyboard's place on the import page: after an upload the focus is on the
// first new preview's heading (the address names it), and after a change to a preview's speakers
// the focus stays on the button that made it, and what it did is said aloud. Without
// this script the forms still work and the page scrolls to the new preview.
(function () {
  "use strict";

  function cardOf(element) {
    return element && element.closest && element.closest("section.import-card");
  }

  const heading = (card) => card && card.querySelector("h2");

  // Browsers focus a fragment's target when it can take the focus; this makes sure.
  function arrive() {
    if (!location.hash.startsWith("#import-")) return;
    const target = document.getElementById(location.hash.slice(1));
    const card = cardOf(target);
    if (card && heading(card) === target && document.activeElement !== target) target.focus();
  }

  // The preview, buttons included, is replaced by the server's answer: remember which
  // form was sent so the new one's button can take the focus back.
  let sent = null;
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    const card = cardOf(form);
    if (!card || !form.querySelector) return;
    const action = form.querySelector("input[name=action]");
    sent = { card: card.id, action: action && action.value };
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const card = cardOf(event.detail.target) || (sent && document.getElementById(sent.card));
    if (!card || !sent || sent.card !== card.id) return;
    const said = card.querySelector("[role=status]");
    const done = card.querySelector(".speaker-preview [data-done]");
    if (said) said.textContent = done ? done.textContent : "";
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      const input = card.querySelector(`.speaker-preview input[name=action][value="${sent.action}"]`);
      const button = input && input.form.querySelector("button[type=submit]");
      (button || heading(card)).focus();
    }
    sent = null;
  });

  arrive();
})();
