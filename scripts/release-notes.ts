/**
 * The release notes of a tag: its section of CHANGELOG.md (Keep a Changelog), which the release workflow
 * (.github/workflows/release.yml) makes the draft release's text.
 *
 *   node scripts/release-notes.ts v0.1.0 > release-notes.md
 *
 * Exit 1, naming the versions the file has, when the tag has no section: a release is not drafted without
 * its notes.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** A version heading: `## [0.1.0] - 2026-08-01`, `## [Unreleased]`, `## 0.1.0`. */
const HEADING = /^## \[?([^\]\s]+)\]?.*$/gm

/** The versions that have a section, in the file's order. */
export function changelogVersions(changelog: string): string[] {
  return [...changelog.matchAll(HEADING)].map((m) => m[1] ?? '')
}

/**
 * The body of the section of `tag` (a leading "v" is dropped: tag v0.1.0 is section 0.1.0), without its
 * heading and without the link definitions at the file's end; null when there is no such section.
 */
export function changelogSection(changelog: string, tag: string): string | null {
  const version = tag.replace(/^v/, '')
  const headings = [...changelog.matchAll(HEADING)]
  const index = headings.findIndex((m) => m[1] === version)
  const heading = headings[index]
  if (heading === undefined || heading.index === undefined) return null
  const start = heading.index + heading[0].length
  const end = headings[index + 1]?.index ?? changelog.length
  const body = changelog
    .slice(start, end)
    .split('\n')
    .filter((line) => !/^\[[^\]]+\]:\s/.test(line))
    .join('\n')
    .trim()
  return body === '' ? null : `${body}\n`
}

// Run as a script: print the section of the tag given.
if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const tag = process.argv[2] ?? ''
  const changelog = readFileSync(join(import.meta.dirname, '..', 'CHANGELOG.md'), 'utf8')
  const section = changelogSection(changelog, tag)
  if (section === null) {
    process.stderr.write(
      `CHANGELOG.md has no section for ${tag || '(no tag given)'}; its sections: ` +
        `${changelogVersions(changelog).join(', ')}\n`,
    )
    process.exit(1)
  }
  process.stdout.write(section)
}
