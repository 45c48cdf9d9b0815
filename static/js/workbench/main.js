// The workbench's behaviour: turn a selection (mouse or keyboard) into code-point
// offsets, apply codes, and keep highlights, stripes and counts in step with the
// server's answers (the `codings-changed` event raised from every change view's answer).

import { findEdges, layoutStripes, renderTurn } from "./highlights.js";
import { pointsToUnits, sentenceSpans, snapToWords, unitsToPoints } from "./text.js";
import { Picker } from "./picker.js";
import { refreshPart } from "./refresh.js";

const startedAt = performance.now();
const root = document.getElementById("workbench");
const transcript = document.getElementById("transcript");
const stripes = document.getElementById("stripes");
const tip = document.getElementById("tip");
const announce = document.getElementById("announce");
const snapBox = document.getElementById("snap-words");
const turns = [...transcript.querySelectorAll(".spoken")];
const layerParams = new URLSearchParams(location.search).getAll("layer");

let data;
let codesById;
let codings;
let selection = null; // {start, end} in code points, the passage to code next
let cursor = null; // {anchor, focus} indices into sentences() for J/K

function readData() {
  data = JSON.parse(document.getElementById("workbench-data").textContent);
  codesById = new Map(data.codes.map((c) => [c.id, c]));
  codings = new Map(data.codings.map((c) => [c.id, c]));
}

for (const el of turns) {
  el.wbText = el.textContent;
  el.wbStart = Number(el.dataset.start);
  el.wbEnd = Number(el.dataset.end);
}

// ---- drawing -------------------------------------------------------------------

const colourOf = (span) => codesById.get(span.code)?.colour || "#999999";

function turnIndexAt(point) {
  let low = 0;
  let high = turns.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (turns[mid].wbStart <= point) low = mid;
    else high = mid - 1;
  }
  return low;
}

function spansByTurn(spans) {
  const buckets = turns.map(() => []);
  for (const s of spans) {
    for (let i = turnIndexAt(s.start); i < turns.length && turns[i].wbStart < s.end; i++) {
      if (turns[i].wbEnd > s.start) buckets[i].push(s);
    }
  }
  return buckets;
}

function layerName(layer) {
  return layer === "consensus" ? "consensus" : data.coders[layer.slice(1)] || "a coder";
}

function describe(span) {
  const code = codesById.get(span.code);
  const coder = span.layer === "consensus" ? "consensus" : data.coders[span.coder] || "a coder";
  const memo = span.memo ? `; memo: ${span.memo}` : "";
  return {
    colour: colourOf(span),
    name: code ? code.name : "?",
    label: `${code ? code.path : "?"}, by ${coder}${memo}`,
  };
}

// Spans of other kinds (the suggestions layer) drawn under the codings; no stripes.
let extraSpans = [];

function redraw(onlyTurns) {
  const spans = [...codings.values()];
  const buckets = spansByTurn(spans.concat(extraSpans));
  for (const i of onlyTurns ? [...onlyTurns] : turns.keys()) {
    renderTurn(turns[i], buckets[i], colourOf);
  }
  const edges = findEdges(transcript);
  const layers = [...new Set(spans.map((s) => s.layer))].sort();
  layoutStripes(stripes, spans, edges, describe, layers, layerName);
  updateCounts();
}

function turnsTouching(spans) {
  const found = new Set();
  for (const s of spans) {
    for (let i = turnIndexAt(s.start); i < turns.length && turns[i].wbStart < s.end; i++) found.add(i);
  }
  return found;
}

function updateCounts() {
  const here = new Map();
  for (const c of codings.values()) here.set(c.code, (here.get(c.code) || 0) + 1);
  for (const el of document.querySelectorAll("[data-count-here]")) {
    el.textContent = String(here.get(Number(el.dataset.countHere)) || 0);
  }
}

function bumpStudyCount(codeId, delta) {
  const el = document.querySelector(`[data-count-study="${codeId}"]`);
  if (el) el.textContent = String(Math.max(0, Number(el.textContent) + delta));
}

// ---- offsets between the DOM and the transcript ---------------------------------

/** Return the code-point offset of a DOM point; outside a turn, the nearest turn edge. */
function pointToOffset(node, offset, side) {
  const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest?.(".seg");
  if (piece && node.nodeType === Node.TEXT_NODE) {
    return Number(piece.dataset.s) + unitsToPoints(node.data, offset);
  }
  const probe = document.createRange();
  probe.setStart(node, offset);
  if (side === "start") {
    for (const el of turns) {
      if (probe.comparePoint(el, el.childNodes.length) <= 0) continue;
      return probe.comparePoint(el, 0) >= 0 ? el.wbStart : pieceStart(el, probe);
    }
    return turns[turns.length - 1].wbEnd;
  }
  for (let i = turns.length - 1; i >= 0; i--) {
    const el = turns[i];
    if (probe.comparePoint(el, 0) >= 0) continue;
    return probe.comparePoint(el, el.childNodes.length) <= 0 ? el.wbEnd : pieceStart(el, probe);
  }
  return turns[0].wbStart;
}

function pieceStart(el, probe) {
  for (const piece of el.children) {
    if (probe.comparePoint(piece, 0) <= 0) return Number(piece.dataset.s);
  }
  return el.wbEnd;
}

/** Return the DOM point (text node, UTF-16 offset) of a code-point offset. */
function offsetToPoint(point) {
  const el = turns[turnIndexAt(point)];
  let chosen = el.firstElementChild;
  for (const piece of el.children) {
    if (Number(piece.dataset.s) <= point) chosen = piece;
    else break;
  }
  const text = chosen.firstChild || chosen;
  // Clamped: a passage stored before the first turn (in its label) starts at the turn.
  const local = Math.max(0, Math.min(point, el.wbEnd) - Number(chosen.dataset.s));
  return [text, pointsToUnits(chosen.textContent, local)];
}

function localText(el, start, end) {
  const s = pointsToUnits(el.wbText, start - el.wbStart);
  const e = pointsToUnits(el.wbText, end - el.wbStart);
  return [s, e];
}

/** Snap [start, end) to whole words (if asked) and trim white space, in code points. */
function tidy(start, end) {
  const first = turns[turnIndexAt(start)];
  const last = turns[turnIndexAt(Math.max(start, end - 1))];
  const snap = snapBox ? snapBox.checked : true;
  let [s] = localText(first, start, start);
  let [, e] = localText(last, end, end);
  if (first === last) {
    [s, e] = snapToWords(first.wbText, s, e, snap);
  } else {
    [s] = snapToWords(first.wbText, s, first.wbText.length, snap);
    [, e] = snapToWords(last.wbText, 0, e, snap);
  }
  return {
    start: first.wbStart + unitsToPoints(first.wbText, s),
    end: last.wbStart + unitsToPoints(last.wbText, e),
  };
}

function passageText(span) {
  const parts = [];
  for (const el of turns) {
    if (el.wbEnd <= span.start || el.wbStart >= span.end) continue;
    const [s, e] = localText(el, Math.max(span.start, el.wbStart), Math.min(span.end, el.wbEnd));
    parts.push(el.wbText.slice(s, e));
  }
  return parts.join(" … ");
}

function select(span, scroll) {
  const range = document.createRange();
  range.setStart(...offsetToPoint(span.start));
  range.setEnd(...offsetToPoint(span.end));
  const chosen = window.getSelection();
  chosen.removeAllRanges();
  chosen.addRange(range);
  selection = span;
  // Keep the passage visibly marked while the focus is in the picker or the sidebar.
  if (window.CSS?.highlights) CSS.highlights.set("pending", new Highlight(range));
  if (scroll) range.startContainer.parentElement.scrollIntoView({ block: "center" });
  return range;
}

function selectionFromDocument() {
  const chosen = window.getSelection();
  if (!chosen.rangeCount || chosen.isCollapsed) return null;
  const range = chosen.getRangeAt(0);
  if (!transcript.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== transcript) {
    return null;
  }
  const start = pointToOffset(range.startContainer, range.startOffset, "start");
  const end = pointToOffset(range.endContainer, range.endOffset, "end");
  if (end <= start) return null;
  const span = tidy(start, end);
  return span.end > span.start ? span : null;
}

// ---- talking to the server -----------------------------------------------------

// Every position this page sends belongs to the transcript text it shows: with the revision
// of that text, the server refuses them once the transcript has been corrected
// (codebook/page_revision.py). The suggestion panel's forms post from inside the page too.
root.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb === "post") event.detail.parameters.revision = root.dataset.revision;
});

// Sent from the undo log's controls, whose `hx-sync` queues every change in the order made
// (htmx's default queue keeps one waiting request: a third code applied while the first was
// out replaced the second). No target here: a queued request finds #status when it is sent.
const changes = document.getElementById("history");

function post(url, values) {
  if (!changes) return; // only members who code have the controls, and the keys to post
  htmx.ajax("POST", url, { values, source: changes, swap: "outerHTML" });
}

function applyCode(codeId) {
  if (!selection) {
    say("Select a passage first, with the mouse or with J and K.");
    return;
  }
  const code = codesById.get(codeId);
  if (!code || code.grouping) {
    say(`“${code ? code.name : "?"}” groups other codes and cannot be applied.`);
    return;
  }
  post(root.dataset.addUrl, { code: codeId, start: selection.start, end: selection.end });
  clearSelection();
}

function newCode(name, parent) {
  if (!selection) {
    say("Select a passage first, with the mouse or with J and K.");
    return;
  }
  const values = { start: selection.start, end: selection.end, parent: parent || "" };
  if (name) values.name = name;
  post(root.dataset.newCodeUrl, values);
  clearSelection();
}

function say(message) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.classList.remove("error");
}

function clearSelection() {
  selection = null;
  // Keep the keyboard's place, so J after coding a sentence goes on to the next one.
  if (cursor) cursor = { anchor: cursor.focus, focus: cursor.focus };
  window.getSelection().removeAllRanges();
  if (window.CSS?.highlights) CSS.highlights.delete("pending");
  picker.close();
}

function pageUrl(params) {
  const query = new URLSearchParams(params);
  for (const key of layerParams) query.append("layer", key);
  return `${root.dataset.pageUrl}?${query}`;
}

let openCodingId = Number(new URLSearchParams(location.search).get("coding")) || null;

function openCoding(id) {
  openCodingId = id;
  const coding = codings.get(id);
  if (coding) select(coding, true);
  refreshPart("coding-panel", pageUrl({ part: "coding-panel", coding: id })).then(() =>
    document.getElementById("coding-panel")?.focus(),
  );
}

/** Open the coding that overlaps the passage most (the shortest of equals). */
function openCodingAt(span) {
  let best = null;
  let bestOverlap = 0;
  for (const c of codings.values()) {
    const overlap = Math.min(c.end, span.end) - Math.max(c.start, span.start);
    const shorter = best && c.end - c.start < best.end - best.start;
    if (overlap > bestOverlap || (overlap > 0 && overlap === bestOverlap && shorter)) {
      best = c;
      bestOverlap = overlap;
    }
  }
  if (best) openCoding(best.id);
  else say("No coding here to open.");
}

const steps = {
  undo: document.querySelector('[data-steps="undo"]'),
  redo: document.querySelector('[data-steps="redo"]'),
};
const count = (el) => Number(el.textContent.replace(/\D/g, ""));
const setCount = (el, n) => {
  el.textContent = `(${Math.max(0, n)})`;
};

/** Follow the server's undo log: a new change, an undo, a redo, or the counts themselves. */
function moveHistory(way) {
  if (!way || !steps.undo) return;
  if (typeof way === "object") {
    // A step that could not be replayed was dropped: the server says what is left.
    setCount(steps.undo, way.undo);
    setCount(steps.redo, way.redo);
  } else if (way === "push") {
    setCount(steps.undo, count(steps.undo) + 1);
    setCount(steps.redo, 0);
  } else {
    const [from, to] = way === "undo" ? [steps.undo, steps.redo] : [steps.redo, steps.undo];
    setCount(from, count(from) - 1);
    setCount(to, count(to) + 1);
  }
}

// Each change view sends the changed codings in the status line it answers with (its
// data-change), not in a response header that would grow with memos: raise them as the
// `codings-changed` event, as if from a header.
document.body.addEventListener("htmx:afterSwap", (event) => {
  const status = event.target;
  if (status.id !== "status" || !status.dataset.change) return;
  const change = JSON.parse(status.dataset.change);
  delete status.dataset.change;
  document.body.dispatchEvent(new CustomEvent("codings-changed", { detail: change }));
});

// The coding panel is swapped whole after each change; htmx keeps the focus only on
// controls with an id, so a keyboard user pressing "End one word later" or "Save memo"
// would be sent back to the top of the page. These name the focused control by its place.
const PANEL_CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea";

function panelFocus() {
  const panel = document.getElementById("coding-panel");
  const active = document.activeElement;
  if (!panel || !panel.contains(active)) return null;
  return { id: active.id, index: [...panel.querySelectorAll(PANEL_CONTROLS)].indexOf(active) };
}

function restorePanelFocus(place, gone) {
  const panel = document.getElementById("coding-panel");
  const active = document.activeElement;
  // Only the focus the swap dropped comes back: not one the user has moved on since.
  if (!place || (active && active !== document.body && !panel?.contains(active))) return;
  if (gone) {
    // The coding was deleted: go back to its words, so J and K go on from there.
    select({ start: gone.start, end: gone.end }, true);
    cursor = null;
    transcript.focus({ preventScroll: true });
    return;
  }
  const target =
    (place.id && document.getElementById(place.id)) ||
    panel?.querySelectorAll(PANEL_CONTROLS)[place.index] ||
    panel;
  target?.focus();
}

document.body.addEventListener("codings-changed", (event) => {
  const change = event.detail;
  moveHistory(change.history);
  const touched = [];
  const focused = panelFocus();
  for (const id of change.remove || []) {
    const old = codings.get(id);
    if (old) {
      touched.push(old);
      codings.delete(id);
      bumpStudyCount(old.code, -1);
    }
  }
  const shown = new Set([...codings.values()].map((c) => c.layer).concat(data.shownLayers));
  for (const coding of change.upsert || []) {
    if (!shown.has(coding.layer) && !coding.mine) continue;
    const old = codings.get(coding.id);
    if (old) {
      touched.push(old);
      if (old.code !== coding.code) {
        bumpStudyCount(old.code, -1);
        bumpStudyCount(coding.code, 1);
      }
    } else {
      bumpStudyCount(coding.code, 1);
    }
    codings.set(coding.id, coding);
    touched.push(coding);
  }
  if (change.code) {
    refreshSidebar();
  } else if (touched.length) {
    redraw(turnsTouching(touched));
  }
  if (openCodingId && touched.some((c) => c.id === openCodingId)) {
    const stillThere = codings.has(openCodingId);
    const gone = stillThere ? null : touched.find((c) => c.id === openCodingId);
    const url = pageUrl(stillThere ? { part: "coding-panel", coding: openCodingId } : { part: "coding-panel" });
    refreshPart("coding-panel", url).then(() => restorePanelFocus(focused, gone));
    if (!stillThere) openCodingId = null;
  }
  if (touched.length) refreshList();
});

/** Fetch the list of codings again, with the filter it shows. */
function refreshList() {
  const filter = document.getElementById("list-filter");
  if (!filter) return;
  const query = new URLSearchParams(new FormData(filter));
  refreshPart("coding-list", `${filter.action}?${query}`);
}

function refreshSidebar() {
  refreshPart("sidebar", pageUrl({ part: "sidebar" })).then(() => {
    readData();
    picker.setCodes(data.codes);
    redraw();
    bindSidebar();
  });
}

// ---- the code picker -------------------------------------------------------------

const picker = new Picker(document.getElementById("picker"), {
  apply: (id) => applyCode(id),
  create: (name, parent) => newCode(name, parent),
  inVivo: (parent) => newCode("", parent),
  closed: () => transcript.focus({ preventScroll: true }),
});

function openPicker() {
  if (!data.canCode) return;
  if (!selection) {
    say("Select a passage first, with the mouse or with J and K.");
    return;
  }
  const range = select(selection, false);
  picker.open(range.getBoundingClientRect(), passageText(selection));
}

// ---- mouse ---------------------------------------------------------------------------

transcript.addEventListener("mouseup", (event) => {
  if (event.button !== 0) return;
  setTimeout(() => {
    const span = selectionFromDocument();
    if (span) {
      select(span, false);
      cursor = null;
      if (data.canCode) openPicker();
      return;
    }
    const piece = event.target.closest?.(".seg[data-ids]");
    const id = piece?.dataset.ids.split(" ").map(Number).find((i) => codings.has(i));
    if (id) openCoding(id);
  }, 0);
});

transcript.addEventListener("mouseover", (event) => {
  const piece = event.target.closest?.(".seg[data-ids]");
  if (piece) showTip(piece, piece.dataset.ids.split(" ").map(Number));
});
transcript.addEventListener("mouseout", (event) => {
  if (event.target.closest?.(".seg[data-ids]")) hideTip();
});

function showTip(anchor, ids) {
  const lines = ids.map((id) => codings.get(id)).filter(Boolean).map((c) => describe(c).label);
  if (!lines.length) return;
  tip.textContent = lines.join("\n");
  const box = anchor.getBoundingClientRect();
  tip.style.left = `${box.left + window.scrollX}px`;
  tip.style.top = `${box.bottom + window.scrollY + 4}px`;
  tip.hidden = false;
}
function hideTip() {
  tip.hidden = true;
}

// ---- stripes: click, keyboard, hover ----------------------------------------------

stripes.addEventListener("click", (event) => {
  const stripe = event.target.closest(".stripe");
  if (stripe) openCoding(Number(stripe.dataset.id));
});
stripes.addEventListener("keydown", (event) => {
  const stripe = event.target.closest(".stripe");
  if (!stripe || !["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
  const all = [...stripes.querySelectorAll(".stripe")];
  let index = all.indexOf(stripe);
  if (event.key === "ArrowDown") index = Math.min(index + 1, all.length - 1);
  if (event.key === "ArrowUp") index = Math.max(index - 1, 0);
  if (event.key === "Home") index = 0;
  if (event.key === "End") index = all.length - 1;
  stripe.tabIndex = -1;
  all[index].tabIndex = 0;
  all[index].focus();
  event.preventDefault();
});
for (const kind of ["mouseover", "focusin"]) {
  stripes.addEventListener(kind, (event) => {
    const stripe = event.target.closest(".stripe");
    if (stripe) showTip(stripe, [Number(stripe.dataset.id)]);
  });
}
for (const kind of ["mouseout", "focusout"]) stripes.addEventListener(kind, hideTip);

// ---- keyboard --------------------------------------------------------------------

let sentenceCache = null;
function sentences() {
  if (!sentenceCache) {
    sentenceCache = [];
    for (const el of turns) {
      for (const [s, e] of sentenceSpans(el.wbText)) {
        sentenceCache.push({
          start: el.wbStart + unitsToPoints(el.wbText, s),
          end: el.wbStart + unitsToPoints(el.wbText, e),
          turn: el,
        });
      }
    }
  }
  return sentenceCache;
}

function sentenceAt(point) {
  const all = sentences();
  const index = all.findIndex((s) => s.end > point);
  return index < 0 ? all.length - 1 : index;
}

function moveCursor(step, extend) {
  const all = sentences();
  if (!all.length) return;
  if (!cursor && selection) {
    cursor = { anchor: sentenceAt(selection.start), focus: sentenceAt(selection.end - 1) };
  }
  if (!cursor) {
    cursor = { anchor: 0, focus: 0 };
  } else {
    const focus = Math.max(0, Math.min(all.length - 1, cursor.focus + step));
    cursor = extend ? { anchor: cursor.anchor, focus } : { anchor: focus, focus };
  }
  const first = all[Math.min(cursor.anchor, cursor.focus)];
  const last = all[Math.max(cursor.anchor, cursor.focus)];
  select({ start: first.start, end: last.end }, true);
  announce.textContent = passageText(selection);
}

function moveTurn(step) {
  const current = selection ? turnIndexAt(selection.start) : step > 0 ? -1 : turns.length;
  const index = Math.max(0, Math.min(turns.length - 1, current + step));
  const el = turns[index];
  const span = tidy(el.wbStart, el.wbEnd);
  if (span.end <= span.start) return;
  cursor = null;
  select(span, true);
  announce.textContent = passageText(span);
}

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

document.addEventListener("keydown", (event) => {
  if (!data.canCode && !["j", "k", "J", "K", "[", "]"].includes(event.key)) return;
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !typing(event.target)) {
    const key = event.key.toLowerCase();
    if (key === "z" || key === "y") {
      const redo = key === "y" || event.shiftKey;
      document.querySelector(redo ? "form[data-redo]" : "form[data-undo]")?.requestSubmit();
      event.preventDefault();
    }
    return;
  }
  if (mod || event.altKey || typing(event.target) || picker.isOpen()) return;
  const inTranscript = transcript.contains(event.target) || event.target === transcript;
  // Keys act on the transcript; elsewhere they keep their usual meaning (Enter on a button).
  if (!inTranscript && event.target !== document.body) return;
  if (inTranscript && (event.key === "j" || event.key === "J")) {
    moveCursor(1, event.shiftKey);
  } else if (inTranscript && (event.key === "k" || event.key === "K")) {
    moveCursor(-1, event.shiftKey);
  } else if (inTranscript && event.key === "]") {
    moveTurn(1);
  } else if (inTranscript && event.key === "[") {
    moveTurn(-1);
  } else if (event.key === "Enter" && selection) {
    openPicker();
  } else if ((event.key === "i" || event.key === "I") && selection) {
    newCode("", picker.parent?.value || "");
  } else if ((event.key === "e" || event.key === "E") && selection) {
    openCodingAt(selection);
  } else if (event.key === "Escape") {
    clearSelection();
  } else {
    const code = data.codes.find((c) => c.shortcut && c.shortcut === event.key);
    if (!code || !selection) return;
    applyCode(code.id);
  }
  event.preventDefault();
});

// ---- sidebar ---------------------------------------------------------------------

function bindSidebar() {
  const filter = document.getElementById("code-filter");
  filter?.addEventListener("input", () => {
    const wanted = filter.value.trim().toLowerCase();
    const items = [...document.querySelectorAll("#code-tree .code-item")];
    for (const item of items) item.hidden = Boolean(wanted);
    if (!wanted) return;
    for (const item of items) {
      if (!item.dataset.name.includes(wanted)) continue;
      // Show the match and the codes above it, so the tree still reads.
      for (let node = item; node; node = node.parentElement?.closest(".code-item")) node.hidden = false;
    }
  });
}
bindSidebar();

// The sidebar is swapped on refresh, so listen on the page for its buttons.
document.addEventListener("mousedown", (event) => {
  // Keep the transcript's selection when a code button takes the focus.
  if (event.target.closest(".code-apply")) event.preventDefault();
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".wb-tree .toggle");
  if (toggle) {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById(toggle.getAttribute("aria-controls")).hidden = !open;
    return;
  }
  const apply = event.target.closest(".code-apply");
  if (apply) {
    applyCode(Number(apply.dataset.codeId));
    return;
  }
  const link = event.target.closest("[data-coding-link]");
  if (link && codings.has(Number(link.dataset.codingLink))) {
    event.preventDefault();
    openCoding(Number(link.dataset.codingLink));
  }
  const close = event.target.closest("[data-close-panel]");
  if (close) {
    event.preventDefault();
    openCodingId = null;
    refreshPart("coding-panel", pageUrl({ part: "coding-panel" }));
  }
});

if (snapBox) {
  snapBox.checked = localStorage.getItem("coprod.snapWords") !== "off";
  snapBox.addEventListener("change", () =>
    localStorage.setItem("coprod.snapWords", snapBox.checked ? "on" : "off"),
  );
}

window.addEventListener("resize", () => redraw([]));

readData();
picker.setCodes(data.codes);
redraw();
// The hook other layers' scripts (static/js/suggestions.js) use.
window.coprodWorkbench = {
  setExtraSpans(spans) {
    extraSpans = spans;
    redraw();
  },
  select(span) {
    select(span, true);
    cursor = null;
    transcript.focus({ preventScroll: true });
  },
  selection: () => selection,
};
document.dispatchEvent(new Event("workbench-ready"));
if (openCodingId && codings.has(openCodingId)) select(codings.get(openCodingId), true);
root.dataset.drawnIn = String(Math.round(performance.now() - startedAt)); // ms, for benchmarks
root.dataset.ready = "true";
