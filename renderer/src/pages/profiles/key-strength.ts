/**
 * How hard a key is to guess, as a hint while it is typed (not a rule: sfDBTools' own keys are accepted as
 * they are). Length counts most; a passphrase of several words is strong without symbols.
 */
export type KeyStrength = 'weak' | 'fair' | 'strong'

export function keyStrength(key: string): KeyStrength | null {
  if (key === '') return null
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(key)).length
  const words = key
    .trim()
    .split(/\s+/)
    .filter((w) => w.length >= 3).length
  if (key.length >= 20 || (key.length >= 16 && classes >= 3) || words >= 4) return 'strong'
  if (key.length >= 12 && classes >= 2) return 'fair'
  return 'weak'
}
