// A suggestion run's progress region (#run-progress) is replaced on every poll, and on the
// workbench the whole suggestions panel when the run ends, so neither can be a live region:
// each page says every change of the run's status in a status line of its own that stays
// put. A failure is not said there: the region's role=alert speaks.

function runState() {
  const el = document.getElementById("run-progress");
  return el?.dataset.status ? { el, key: `${el.dataset.run} ${el.dataset.status}` } : null;
}

/** Call `say` with the run's label (and its outcome, once done) whenever its status changes. */
export function sayRunChanges(say) {
  let announced = runState()?.key ?? null; // what the page shows on arrival is not news
  document.body.addEventListener("htmx:afterSwap", () => {
    const state = runState();
    if (!state || state.key === announced) return;
    announced = state.key;
    if (state.el.dataset.status === "failed") return;
    const label = state.el.querySelector("label")?.textContent.trim() ?? "";
    const outcome = state.el.querySelector("[data-outcome]")?.textContent.trim();
    say(outcome ? `${label}. ${outcome}` : label);
  });
}
