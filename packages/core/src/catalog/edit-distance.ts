/**
 * Levenshtein distance between two strings, for "did you mean" suggestions in catalog errors. Uses one
 * row of memory; the strings involved are model ids and capability names, so this stays cheap.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const substitution = diagonal + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, substitution);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * The candidate closest to `target` by edit distance (ties keep the first candidate), or `undefined`
 * when there are no candidates. Callers decide whether the match is close enough to suggest.
 */
export function closestMatch(
  target: string,
  candidates: Iterable<string>,
): { value: string; distance: number } | undefined {
  let best: { value: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // A length gap is a lower bound of the distance: skip what cannot win.
    if (best && Math.abs(candidate.length - target.length) >= best.distance) continue;
    const distance = editDistance(target, candidate);
    if (!best || distance < best.distance) best = { value: candidate, distance };
    if (distance === 0) break;
  }
  return best;
}
