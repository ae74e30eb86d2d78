// "Did you mean ...?" suggestions for misspelt column, function and kind names, by edit distance.

/** Levenshtein distance between two strings (case-sensitive). Example: editDistance("reviw", "review") === 1 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * The closest candidate to `name`, or null when nothing is close enough to be a plausible typo.
 * A case-insensitive exact match wins; otherwise the smallest edit distance within ~1/3 of the length.
 * Example: closestName("reviw_body", ["review_body", "year"]) === "review_body"
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    if (c.toLowerCase() === lower) return c;
    // Cheap length filter keeps this linear-ish for long column lists.
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** A ready-made hint, or undefined. Example: didYouMean("yaer", ["year"]) === "Did you mean 'year'?" */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const best = closestName(name, candidates);
  return best === null ? undefined : `Did you mean '${best}'?`;
}

/** Shortens user text for messages so a pasted novel cannot flood the canvas. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How many names a message lists before "and N more". */
export const LISTED = 6;

/**
 * Names for a message, clipped, at most LISTED of them: thousands of nodes must not make one
 * message (or every message of a group) as long as the document.
 * Example: idList(["x", "y"]) === "x, y"; idList(ids, (id) => `'${id}'`) quotes each one.
 */
export function idList(ids: readonly string[], show: (id: string) => string = (id) => id): string {
  const shown = ids.slice(0, LISTED).map((id) => show(clip(id))).join(", ");
  return ids.length > LISTED ? `${shown} and ${ids.length - LISTED} more` : shown;
}
