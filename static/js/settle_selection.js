// Turn a text selection in the disagreement's passage into the edited passage's
// start and end (code points into the transcript), and choose "An edited passage".
// The number fields stay the keyboard way to do the same.
(function () {
  "use strict";
  const context = document.querySelector("[data-passage-context]");
  const form = document.querySelector("form.settle");
  if (!context || !form) return;
  const start = form.querySelector("input[name=start]");
  const end = form.querySelector("input[name=end]");
  const edited = form.querySelector("input[name=choice][value=edited]");

  // Browsers count UTF-16 units; transcripts count code points (an emoji is one).
  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetOf(node, offset) {
    const piece = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const holder = piece && piece.closest("[data-offset]");
    if (!holder || !context.contains(holder)) return null;
    if (node.nodeType !== Node.TEXT_NODE) {
      return offset === 0 ? Number(holder.dataset.offset) : null;
    }
    return Number(holder.dataset.offset) + codePoints(node.data.slice(0, offset));
  }

  function update() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const from = offsetOf(range.startContainer, range.startOffset);
    const to = offsetOf(range.endContainer, range.endOffset);
    if (from === null || to === null || to <= from) return;
    start.value = from;
    end.value = to;
    if (edited) edited.checked = true;
  }

  document.addEventListener("selectionchange", update);
  // A selection made before this script ran fired its event with nobody listening.
  update();
})();
