// Highlights in the transcript and stripes in the margin, drawn from a list of spans
// ({id, kind, start, end, ...}, offsets in code points). Each kind says how it looks
// (KINDS); codings are filled and underlined, and other kinds (suggestions) can be
// added with their own look without touching the rest.

import { pointsToUnits } from "./text.js";

export const KINDS = {
  coding: {
    className: "hl",
    style(spans, colourOf) {
      const colours = spans.map(colourOf);
      // One underline band per coding, stacked, so overlaps stay visible.
      const bands = colours.map((c, i) => `inset 0 -${3 * (i + 1)}px 0 ${c}`);
      return { background: colours[0] + "40", boxShadow: bands.join(", ") };
    },
  },
};

/** Split one turn's text (el.wbText, from el.wbStart) at the boundaries of the spans over it and mark each piece. */
export function renderTurn(el, inside, colourOf) {
  const text = el.wbText;
  const turnStart = el.wbStart;
  const turnEnd = el.wbEnd;
  const cuts = new Set([turnStart, turnEnd]);
  for (const s of inside) {
    cuts.add(Math.max(s.start, turnStart));
    cuts.add(Math.min(s.end, turnEnd));
  }
  const points = [...cuts].sort((a, b) => a - b);
  if (points.length === 1) points.push(turnEnd); // an empty turn still gets one (empty) piece
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i];
    const to = points[i + 1];
    const piece = document.createElement("span");
    piece.className = "seg";
    piece.dataset.s = from;
    piece.textContent = text.slice(
      pointsToUnits(text, from - turnStart),
      pointsToUnits(text, to - turnStart),
    );
    const over = inside.filter((s) => s.start <= from && s.end >= to);
    if (over.length) {
      over.sort((a, b) => b.end - b.start - (a.end - a.start));
      piece.dataset.ids = over.map((s) => s.id).join(" ");
      for (const kind of new Set(over.map((s) => s.kind))) {
        const look = KINDS[kind];
        piece.classList.add(look.className);
        Object.assign(piece.style, look.style(over.filter((s) => s.kind === kind), colourOf));
      }
    }
    fragment.append(piece);
  }
  el.replaceChildren(fragment);
}

/** Map each span's id to the first and last pieces of text it covers. */
export function findEdges(container) {
  const edges = new Map();
  for (const piece of container.querySelectorAll(".seg[data-ids]")) {
    for (const id of piece.dataset.ids.split(" ").map(Number)) {
      const seen = edges.get(id);
      if (seen) seen[1] = piece;
      else edges.set(id, [piece, piece]);
    }
  }
  return edges;
}

/** Draw one stripe per span beside its passage, each layer in its own band of lanes. */
export function layoutStripes(container, spans, edges, describe, layerOrder, layerName) {
  const origin = container.getBoundingClientRect().top;
  const byLayer = new Map(layerOrder.map((key) => [key, []]));
  for (const s of spans) {
    const ends = edges.get(s.id);
    if (!ends) continue;
    const top = ends[0].getBoundingClientRect().top - origin;
    const bottom = ends[1].getBoundingClientRect().bottom - origin;
    if (!byLayer.has(s.layer)) byLayer.set(s.layer, []);
    byLayer.get(s.layer).push({ span: s, top, bottom });
  }
  const LANE = 18;
  const stripes = [];
  const bands = [];
  let left = 0;
  for (const [layer, items] of byLayer) {
    if (!items.length) continue;
    let band = null;
    if (layerName && byLayer.size > 1) {
      // Name each band when several layers are shown (the stripes' own labels name the coder too).
      band = document.createElement("span");
      band.className = "band";
      band.setAttribute("aria-hidden", "true");
      band.style.left = `${left}px`;
      band.textContent = layerName(layer);
      bands.push(band);
    }
    items.sort((a, b) => a.top - b.top || b.bottom - a.bottom);
    const lanes = [];
    for (const item of items) {
      let lane = lanes.findIndex((bottom) => bottom <= item.top);
      if (lane < 0) lane = lanes.push(0) - 1;
      lanes[lane] = item.bottom + 2;
      const info = describe(item.span);
      const stripe = document.createElement("button");
      stripe.type = "button";
      stripe.className = "stripe";
      stripe.dataset.id = item.span.id;
      stripe.dataset.layer = layer;
      stripe.tabIndex = -1;
      stripe.style.top = `${item.top}px`;
      stripe.style.height = `${Math.max(item.bottom - item.top, 12)}px`;
      stripe.style.left = `${left + lane * LANE}px`;
      stripe.style.setProperty("--colour", info.colour);
      stripe.setAttribute("aria-label", info.label);
      const name = document.createElement("span");
      name.textContent = info.name;
      stripe.append(name);
      stripes.push(stripe);
    }
    if (band) band.style.width = `${lanes.length * LANE + 6}px`;
    left += lanes.length * LANE + 8;
  }
  stripes.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
  if (stripes.length) stripes[0].tabIndex = 0;
  container.style.width = `${Math.max(left, 24)}px`;
  container.replaceChildren(...bands, ...stripes);
}
