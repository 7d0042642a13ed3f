/**
 * "Did you mean …?": the names nearest to one that matched nothing, when they are near enough to be
 * a slip (a few edits, about a third of the name) rather than another word. Pure.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1
  // One row-major table; row 0 and column 0 hold the distances from the empty string.
  const d = Array.from({ length: (a.length + 1) * cols }, (_, k) => (k < cols ? k : k % cols === 0 ? k / cols : 0))
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1)
      d[i * cols + j] = value
    }
  }
  return at(a.length, b.length)
}

export interface MatchOptions {
  /** how many to return at most; default 1 */
  most?: number
  /** how both sides are compared, e.g. without case (the default) or also '-' as '_' */
  normalise?: (name: string) => string
}

/** Candidates within reach of `word`, nearest first (ties in alphabetical order); [] when none is near enough. */
export function closestMatches(word: string, candidates: readonly string[], options: MatchOptions = {}): string[] {
  const normalise = options.normalise ?? ((name: string) => name.toLowerCase())
  const wanted = normalise(word)
  // A slip is a few edits: a third of the name, at least one and at most three.
  const reach = Math.min(3, Math.max(1, Math.round(wanted.length / 3)))
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(wanted, normalise(candidate)) }))
    .filter((c) => c.distance <= reach)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, options.most ?? 1)
    .map((c) => c.candidate)
}
