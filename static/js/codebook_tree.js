// Reshape the codebook tree by drag and drop, and by Alt+arrow keys on a code's name.
// Each gesture submits the same move or reorder form a code's page offers, so the
// server decides and records every change; without this script those forms remain.
(function () {
  "use strict";
  const tree = () => document.getElementById("code-tree");
  const rows = () => Array.from(tree().querySelectorAll("li.code-row"));
  const rowOf = (element) => element && element.closest("li.code-row");
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"];

  function post(url, fields) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = url;
    fields.csrfmiddlewaretoken = csrf();
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }

  function move(row, parentId, place) {
    post(row.dataset.moveUrl, { parent: parentId || "", place: place || "" });
  }

  // Alt+→/← post the move form's fields with htmx, so the tree is swapped in place and
  // the server's words on where the code went (or why it stayed) are said, as for Alt+↑/↓.
  function moveInPlace(row, parentId, place) {
    if (!window.htmx) return move(row, parentId, place);
    window.htmx.ajax("POST", row.dataset.moveUrl, {
      source: row,
      target: "#code-tree",
      swap: "outerHTML",
      values: { parent: parentId || "", place: place || "" },
    });
  }

  // Emptied first, so the same words are said again.
  function say(words) {
    const said = document.getElementById("tree-said");
    if (!said) return;
    said.textContent = "";
    setTimeout(() => { said.textContent = words; }, 50);
  }

  const nameOf = (row) => row.querySelector(".code-name").textContent.trim();

  function previousSibling(row) {
    const all = rows();
    for (let i = all.indexOf(row) - 1; i >= 0; i--) {
      const depth = Number(all[i].dataset.depth);
      if (depth < Number(row.dataset.depth)) return null;
      if (depth === Number(row.dataset.depth)) return all[i];
    }
    return null;
  }

  function onKey(event) {
    if (!event.altKey || !event.target.classList.contains("code-name")) return;
    const row = rowOf(event.target);
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const direction = event.key === "ArrowUp" ? "up" : "down";
      // The row's own ↑/↓ form swaps the tree in place, so the page's live region can
      // say where the code went; a full reload would leave nothing to hear.
      const input = row.querySelector(`.row-actions input[name=direction][value=${direction}]`);
      if (input && window.htmx) input.form.requestSubmit();
      else post(row.dataset.reorderUrl, { direction: direction });
    } else if (event.key === "ArrowRight") {
      const sibling = previousSibling(row);
      if (sibling) moveInPlace(row, sibling.dataset.code, "");
      else say(`“${nameOf(row)}” has no code above it to go under.`);
    } else if (event.key === "ArrowLeft") {
      const parent = document.getElementById("code-" + row.dataset.parent);
      if (parent) moveInPlace(row, parent.dataset.parent, Number(parent.dataset.index) + 2);
      else say(`“${nameOf(row)}” is already at the top level.`);
    } else {
      return;
    }
    event.preventDefault();
  }

  let dragged = null;
  function onDragStart(event) {
    dragged = rowOf(event.target);
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.code);
  }
  function dropTarget(event) {
    return event.target.closest && event.target.closest("li.code-row, li.drop-top");
  }
  function onDragOver(event) {
    const target = dropTarget(event);
    if (!dragged || !target || target === dragged) return;
    event.preventDefault();
    tree().querySelectorAll(".drop-into, .drop-before").forEach((el) => {
      el.classList.remove("drop-into", "drop-before");
    });
    target.classList.add(isBefore(event, target) ? "drop-before" : "drop-into");
  }
  function isBefore(event, target) {
    if (target.dataset.dropTop) return true;
    const box = target.getBoundingClientRect();
    return event.clientY < box.top + box.height / 4;
  }
  function onDrop(event) {
    const target = dropTarget(event);
    if (!dragged || !target || target === dragged) return;
    event.preventDefault();
    if (target.dataset.dropTop) move(dragged, "", 1);
    else if (isBefore(event, target)) {
      move(dragged, target.dataset.parent, Number(target.dataset.index) + 1);
    } else move(dragged, target.dataset.code, "");
  }

  function start() {
    if (!tree() || !tree().dataset.reshape) return;
    // Browsers skip autofocus when the address has a #fragment: focus the moved code here.
    const moved = tree().querySelector("[autofocus]");
    if (moved) moved.focus();
    document.addEventListener("keydown", onKey);
    document.addEventListener("dragstart", onDragStart);
    document.addEventListener("dragover", onDragOver);
    document.addEventListener("drop", onDrop);
    document.addEventListener("dragend", () => { dragged = null; });
    // After htmx swaps the tree in, put focus back on the code that moved, and say where
    // it went (the server's words).
    document.body.addEventListener("htmx:afterSwap", () => {
      const focused = tree() && tree().querySelector("[autofocus]");
      if (focused) focused.focus();
      if (tree() && tree().dataset.said) say(tree().dataset.said);
    });
  }
  start();
})();
