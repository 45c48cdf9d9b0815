// Parts of the workbench fetched again after an answer (`?part=`): the coding panel, the
// sidebar, the list of codings, the suggestions. htmx.ajax without a source sends from
// <body>, and htmx keeps one waiting request per element: a third refresh asked for while
// one was out replaced the waiting one, so a part could miss its refresh. Here each part
// has a queue of its own. One request per part is out at a time, so an older answer never
// lands after a newer one (what the shared queue guarded); while it is out, the latest ask
// waits, and its callers hear once that one has been swapped in.

const parts = new Map(); // part id → {out, next: {url, swapped, resolve}}

/** Fetch `url` into the part `id` (an outerHTML swap); resolve once it has been swapped. */
export function refreshPart(id, url) {
  let part = parts.get(id);
  if (!part) {
    part = { out: false, next: null };
    parts.set(id, part);
  }
  if (!part.out) return send(id, part, url);
  if (part.next) {
    part.next.url = url; // one later request fetches what both asked for
  } else {
    let resolve;
    const swapped = new Promise((done) => {
      resolve = done;
    });
    part.next = { url, swapped, resolve };
  }
  return part.next.swapped;
}

async function send(id, part, url) {
  part.out = true;
  try {
    // The part itself is the request's source, so htmx queues it on the part, not on <body>.
    const target = document.getElementById(id);
    if (target) await htmx.ajax("GET", url, { source: target, target, swap: "outerHTML" });
  } catch {
    // A failed request leaves the part as it was; the next change fetches it again.
  } finally {
    part.out = false;
    const next = part.next;
    part.next = null;
    if (next) send(id, part, next.url).then(next.resolve);
  }
}
