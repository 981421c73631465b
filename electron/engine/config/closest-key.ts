/** Levenshtein distance, with a swap of two neighbours counting as one edit (`levle` → `level`). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i]
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j)
        continue
      }
      const prev = rows[i - 1] as number[]
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1)
      }
      row.push(d)
    }
    rows.push(row)
  }
  return (rows[a.length] as number[])[b.length] as number
}

/**
 * The known key a typo most likely meant, or undefined when none is close: at most a third of the
 * longer name may differ (at least 2 edits allowed), or one name contains the other (`retention` →
 * `retention_days`).
 */
export function closestKey(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase()
  let best: { key: string; distance: number } | undefined
  for (const key of known) {
    const distance = editDistance(t, key)
    if (best === undefined || distance < best.distance) best = { key, distance }
  }
  if (best === undefined) return undefined
  const allowed = Math.max(2, Math.floor(Math.max(t.length, best.key.length) / 3))
  if (best.distance <= allowed) return best.key
  return known.find((k) => t.length >= 3 && (k.includes(t) || t.includes(k)))
}
