// The workbench's suggestions layer: dashed outlines in the transcript for the listed
// suggestions, and keys in the list (↓/↑ or N/P move, Enter accept, Delete reject,
// E adjust in the transcript, then A accepts the selection). Every action is also a plain
// form in the list, so the layer works without this script.

import { sayRunChanges } from "./run_progress.js";
import { KINDS } from "./workbench/highlights.js";
import { refreshPart } from "./workbench/refresh.js";

KINDS.suggestion = {
  className: "sug",
  style(spans, colourOf) {
    return { outline: `2px dashed ${colourOf(spans[0])}`, outlineOffset: "1px" };
  },
};

const wb = window.coprodWorkbench;
let adjusting = null; // the suggestion whose passage the coder is adjusting

function panel() {
  return document.getElementById("suggestions");
}

function items() {
  return [...document.querySelectorAll("#suggestion-list li[data-suggestion]")];
}

function readSpans() {
  const el = document.getElementById("suggestions-data");
  const shown = panel()?.dataset.shown === "1";
  wb?.setExtraSpans(shown && el ? JSON.parse(el.textContent) : []);
}

function say(message) {
  const status = document.getElementById("status");
  if (status) {
    status.textContent = message;
    status.classList.remove("error");
  }
}

function focusItem(item) {
  if (!item) return;
  for (const other of items()) other.tabIndex = other === item ? 0 : -1;
  item.focus();
  item.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const list = items();
  const at = list.indexOf(document.activeElement);
  focusItem(list[Math.min(Math.max(at + step, 0), list.length - 1)]);
}

// After a decision the list is fetched again; keep the focus near where it was.
let focusIndexAfterReload = null;

function reload() {
  const el = panel();
  if (!el) return;
  const filter = document.getElementById("suggestion-filter");
  const query = filter ? new URLSearchParams(new FormData(filter)) : new URLSearchParams();
  query.set("suggestions", "1");
  query.set("part", "suggestions");
  refreshPart("suggestions", `${el.dataset.url}?${query}`);
}

function decide(item, which) {
  focusIndexAfterReload = items().indexOf(item);
  item.querySelector(which === "accept" ? "form[data-accept]" : "form[data-reject]").requestSubmit();
}

function acceptSelection() {
  const chosen = wb.selection();
  if (!adjusting || !chosen) return;
  const form = adjusting.querySelector("details.adjust form");
  form.querySelector("[name=start]").value = chosen.start;
  form.querySelector("[name=end]").value = chosen.end;
  focusIndexAfterReload = items().indexOf(adjusting);
  adjusting = null;
  form.requestSubmit();
}

document.addEventListener(
  "keydown",
  (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const item = event.target.closest?.("#suggestion-list li[data-suggestion]");
    if (item && event.target === item) {
      const key = event.key;
      if (key === "ArrowDown" || key === "n" || key === "N") move(1);
      else if (key === "ArrowUp" || key === "p" || key === "P") move(-1);
      else if (key === "Enter") decide(item, "accept");
      else if (key === "Delete" || key === "Backspace") decide(item, "reject");
      else if (key === "e" || key === "E") {
        adjusting = item;
        wb.select({ start: Number(item.dataset.start), end: Number(item.dataset.end) });
        say("Adjust the selection (Shift+J / Shift+K, or the mouse), then press A to accept it.");
      } else return;
      event.preventDefault();
      event.stopPropagation();
    } else if (adjusting && (event.key === "a" || event.key === "A") && event.target.closest?.("#transcript")) {
      acceptSelection();
      event.preventDefault();
      event.stopPropagation();
    }
  },
  true,
);

// A click on an outlined passage moves to its suggestion in the list.
document.getElementById("transcript")?.addEventListener("click", (event) => {
  const piece = event.target.closest?.(".seg.sug[data-ids]");
  if (!piece || window.getSelection()?.toString()) return;
  const id = piece.dataset.ids.split(" ").map(Number).find((i) => i < 0);
  if (id) focusItem(document.querySelector(`#suggestion-list li[data-suggestion="${-id}"]`));
});

// The panel reloaded when a run ended takes the Suggest button with it: a coder whose
// focus was there (and is now nowhere) is taken to the new list instead.
let focusListAfterRun = false;

document.body.addEventListener("suggestions-changed", (event) => {
  if (event.detail?.run) focusListAfterRun = true;
  reload();
});
// Deleting, undoing or redoing a coding may reopen or close the suggestion it came from
// (the database does that): the list is fetched again when it is shown.
document.body.addEventListener("codings-changed", (event) => {
  if (event.detail?.suggestions && panel()?.dataset.shown === "1") reload();
});

// Each change of a run's status is said in the workbench's status line, which stays put.
sayRunChanges(say);

document.body.addEventListener("htmx:afterSwap", (event) => {
  // The whole panel, a part of it, or (after filtering) its results were swapped.
  const swapped = event.detail.target;
  const ours = ["suggestions", "suggestion-results"].includes(swapped?.id);
  if (!ours && !panel()?.contains(swapped)) return;
  readSpans();
  if (focusListAfterRun) {
    focusListAfterRun = false;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost) {
      const first = items()[0];
      if (first) focusItem(first);
      else document.getElementById("suggestions-heading")?.focus();
    }
  }
  if (focusIndexAfterReload !== null) {
    const list = items();
    focusItem(list[Math.min(focusIndexAfterReload, list.length - 1)]);
    focusIndexAfterReload = null;
  }
});

readSpans();
