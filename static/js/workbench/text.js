// Offsets inside one turn's text, without the DOM. The server counts code points,
// JavaScript strings count UTF-16 units: these functions convert between them.

const ASTRAL = /[\uD800-\uDBFF]/;

/** Return the number of code points in the first `units` UTF-16 units of `text`. */
export function unitsToPoints(text, units) {
  if (!ASTRAL.test(text)) return units;
  let points = 0;
  for (let i = 0; i < units && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) i++;
    points++;
  }
  return points;
}

/** Return the UTF-16 offset in `text` of code point number `points`. */
export function pointsToUnits(text, points) {
  if (!ASTRAL.test(text)) return points;
  let units = 0;
  for (let p = 0; p < points && units < text.length; p++) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return units;
}

const WORD = /[\p{L}\p{N}\p{M}_'’\-]/u;
const SPACE = /\s/;

/** Widen [start, end) (UTF-16 units) to whole words, then drop white space at both ends. */
export function snapToWords(text, start, end, snap) {
  if (snap) {
    while (start > 0 && WORD.test(text[start - 1]) && WORD.test(text[start])) start--;
    while (end < text.length && WORD.test(text[end]) && WORD.test(text[end - 1])) end++;
  }
  return trimSpaces(text, start, end);
}

/** Drop white space at both ends of [start, end). */
export function trimSpaces(text, start, end) {
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return [start, end];
}

// The same rule as codebook/passages.py: a sentence ends after . ! ? or … (and closing
// quotes or brackets) before white space, or at a line end.
const SENTENCE_END = /[.!?…]+["”’»)\]]*(?=\s|$)|(?=\n)/gu;

/** Split text into sentences, [start, end) in UTF-16 units, trimmed of white space. */
export function sentenceSpans(text) {
  const spans = [];
  let position = 0;
  const add = (from, to) => {
    const [s, e] = trimSpaces(text, from, to);
    if (s < e) spans.push([s, e]);
  };
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    add(position, end);
    position = end;
  }
  add(position, text.length);
  return spans;
}
