// The code picker that opens beside a selection: type to filter, arrows to choose,
// Enter to apply, or create a new code (named as typed, or after the passage).

export class Picker {
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
    this.codes = [];
    this.matches = [];
    this.active = 0;
    if (!el) return;
    this.input = el.querySelector("#picker-filter");
    this.list = el.querySelector("#picker-list");
    this.parent = el.querySelector("#picker-parent");
    this.input.addEventListener("input", () => this.filter());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
    el.querySelector("#picker-in-vivo")?.addEventListener("click", () => {
      const parent = this.parent?.value || "";
      this.close(false);
      handlers.inVivo(parent);
    });
    el.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close(true);
      }
    });
    document.addEventListener("mousedown", (event) => {
      if (this.isOpen() && !el.contains(event.target)) this.close(false);
    });
  }

  setCodes(codes) {
    this.codes = codes.filter((code) => !code.grouping);
    if (this.parent) {
      const chosen = this.parent.value;
      const options = [new Option("(top level)", "")].concat(
        codes.map((code) => new Option(code.path, code.id)),
      );
      this.parent.replaceChildren(...options);
      this.parent.value = chosen;
    }
  }

  isOpen() {
    return Boolean(this.el && !this.el.hidden);
  }

  open(rect, passage) {
    if (!this.el) return;
    this.passage = passage;
    this.input.value = "";
    this.filter();
    this.el.hidden = false;
    const width = this.el.offsetWidth;
    this.el.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - width - 8))}px`;
    const below = rect.bottom + 8;
    const fits = below + this.el.offsetHeight < window.innerHeight;
    this.el.style.top = `${fits ? below : Math.max(8, rect.top - this.el.offsetHeight - 8)}px`;
    this.input.focus();
  }

  close(refocus) {
    if (!this.isOpen()) return;
    this.el.hidden = true;
    if (refocus) this.handlers.closed();
  }

  filter() {
    const wanted = this.input.value.trim().toLowerCase();
    this.matches = this.codes
      .filter((code) => code.path.toLowerCase().includes(wanted))
      .map((code) => ({ code }));
    const exact = this.codes.some((code) => code.name.toLowerCase() === wanted);
    if (wanted && !exact && this.parent) this.matches.push({ create: this.input.value.trim() });
    this.active = 0;
    this.draw();
  }

  draw() {
    const items = this.matches.map((match, index) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = `picker-option-${index}`;
      item.dataset.index = index;
      item.setAttribute("aria-selected", String(index === this.active));
      if (match.code) {
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = match.code.colour;
        item.append(swatch, document.createTextNode(` ${match.code.path}`));
        if (match.code.shortcut) {
          const key = document.createElement("kbd");
          key.textContent = match.code.shortcut;
          item.append(" ", key);
        }
      } else {
        item.textContent = `Create the code “${match.create}”`;
      }
      return item;
    });
    if (!items.length) {
      const none = document.createElement("li");
      none.textContent = "No code matches.";
      items.push(none);
    }
    this.list.replaceChildren(...items);
    if (this.matches.length) {
      this.input.setAttribute("aria-activedescendant", `picker-option-${this.active}`);
      document.getElementById(`picker-option-${this.active}`)?.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      const count = this.matches.length || 1;
      this.active = (this.active + step + count) % count;
      this.draw();
      event.preventDefault();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (this.matches.length) this.choose(this.active);
    } else if (this.input.value === "" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // With nothing typed yet, a code's shortcut key applies it at once.
      const code = this.codes.find((c) => c.shortcut && c.shortcut === event.key);
      if (code) {
        event.preventDefault();
        this.close(true);
        this.handlers.apply(code.id);
      }
    }
  }

  choose(index) {
    const match = this.matches[index];
    if (!match) return;
    this.close(true);
    if (match.code) this.handlers.apply(match.code.id);
    else this.handlers.create(match.create, this.parent?.value || "");
  }
}
