// Turn a text selection in the transcript into UTF-16 offsets for the re-attach form.
// The server converts them to code points (interviews/text.py), so an emoji or an
// accent before the passage cannot shift it.

const source = document.querySelector("[data-selection-source]");
const form = document.querySelector("[data-selection-form]");

function offsetWithin(container, node, offset) {
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(node, offset);
  return before.toString().length;
}

function update() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) return;
  const start = offsetWithin(source, range.startContainer, range.startOffset);
  const end = offsetWithin(source, range.endContainer, range.endOffset);
  form.querySelector("[data-selection-start]").value = start;
  form.querySelector("[data-selection-end]").value = end;
  form.querySelector("[data-selection-shown]").textContent = range.toString();
  form.querySelector("[data-selection-words]").value = "";
}

if (source && form) {
  document.addEventListener("selectionchange", update);
  // A module script runs after the page is shown: a selection made before then
  // fired its event with nobody listening.
  update();
  // Typing words instead means the selection no longer counts.
  form.querySelector("[data-selection-words]").addEventListener("input", () => {
    form.querySelector("[data-selection-start]").value = "";
    form.querySelector("[data-selection-end]").value = "";
  });
}
