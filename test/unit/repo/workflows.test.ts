/**
 * The GitHub Actions workflows (.github/workflows/): valid against GitHub's workflow schema (actionlint
 * cannot be installed here; @action-validator/core bundles the schema and checks job references), every
 * action pinned to a full commit SHA with its version in a comment, the release matrix on its five runners,
 * CI running `npm test` as the README and .ci/run do — and each check proven to fail on a broken workflow.
 * Also the release notes: the release drafts its text from CHANGELOG.md's section of the tag.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateWorkflow, type ValidationError } from '@action-validator/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import pkg from '../../../package.json' with { type: 'json' }
import { changelogSection, changelogVersions } from '../../../scripts/release-notes.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const CI = read('.github/workflows/ci.yml')
const RELEASE = read('.github/workflows/release.yml')

const RELEASE_RUNNERS = ['windows-latest', 'macos-latest', 'macos-13', 'ubuntu-latest', 'ubuntu-24.04-arm']

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  'runs-on'?: string
  steps?: Step[]
  needs?: string | string[]
  services?: Record<string, unknown>
  strategy?: { matrix?: { include?: Record<string, unknown>[] } }
  permissions?: Record<string, string>
}
interface Workflow {
  on?: unknown
  jobs: Record<string, Job>
}

const flatten = (error: ValidationError): string[] =>
  'path' in error && error.states
    ? error.states.flatMap((s) => s.errors.flatMap(flatten))
    : [`${'path' in error ? error.path : ''} ${error.title}${error.detail ? `: ${error.detail}` : ''}`]

/** What the workflow schema (and the validator's own checks, e.g. `needs` of a job that does not exist) says. */
function schemaProblems(text: string): string[] {
  return validateWorkflow(text).errors.flatMap(flatten)
}

const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps ?? [])

/** Every `uses:` of an action pinned to a 40-hex commit, with its version as a comment on the same line. */
function pinProblems(text: string): string[] {
  const problems: string[] = []
  for (const step of steps(parse(text) as Workflow)) {
    if (step.uses === undefined || step.uses.startsWith('./') || step.uses.startsWith('docker://')) continue
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(step.uses))
      problems.push(`not pinned to a commit: ${step.uses}`)
  }
  for (const line of text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
    if (!/@[0-9a-f]{40} # v\d+(\.\d+){0,2}\s*$/.test(line))
      problems.push(`no "# vX.Y.Z" comment: ${line.trim()}`)
  }
  return problems
}

/** The release workflow's own rules. */
function releaseProblems(text: string): string[] {
  const problems: string[] = []
  const workflow = parse(text) as Workflow
  const on = workflow.on as { push?: { tags?: string[] } } | undefined
  if (JSON.stringify(on?.push?.tags) !== JSON.stringify(['v*'])) problems.push('not triggered by v* tags')
  const build = workflow.jobs['build']
  const runners = (build?.strategy?.matrix?.include ?? []).map((entry) => entry['os'])
  if (JSON.stringify([...runners].sort()) !== JSON.stringify([...RELEASE_RUNNERS].sort())) {
    problems.push(`build runners ${JSON.stringify(runners)}, not ${JSON.stringify(RELEASE_RUNNERS)}`)
  }
  const runs = (job: Job | undefined): string => (job?.steps ?? []).map((s) => s.run ?? '').join('\n')
  if (!/npm ci/.test(runs(build))) problems.push('build does not run npm ci')
  if (!/electron-builder \$TARGETS --publish never/.test(runs(build))) {
    problems.push('build does not run electron-builder with --publish never')
  }
  if (!/--smoke-test/.test(runs(build))) problems.push('build does not smoke-test the packaged app')
  if (!(build?.steps ?? []).some((s) => s.uses?.startsWith('actions/upload-artifact@'))) {
    problems.push('build uploads no installers')
  }
  const smoke = workflow.jobs['smoke-linux']
  if (smoke?.services?.['mariadb'] === undefined) problems.push('the Linux smoke test has no MariaDB service')
  if (!/ELECTRON_RUN_AS_NODE=1/.test(runs(smoke)) || !/app\.asar\/out\/main\/cli\.js/.test(runs(smoke))) {
    problems.push('the Linux smoke test does not run the packaged CLI')
  }
  if (!/backup single/.test(runs(smoke)) || !/ verify /.test(runs(smoke))) {
    problems.push('the Linux smoke test does not back up and verify')
  }
  const release = workflow.jobs['release']
  if (!/SHA256SUMS/.test(runs(release))) problems.push('the release has no SHA256SUMS')
  if (!/gh release create .*--draft/.test(runs(release))) problems.push('the release is not a draft')
  if (!/scripts\/release-notes\.ts "\$GITHUB_REF_NAME"/.test(runs(release))) {
    problems.push('the release text is not the tag section of CHANGELOG.md')
  }
  if (release?.permissions?.['contents'] !== 'write') problems.push('the release job cannot write contents')
  return problems
}

/** CI runs the README's command. */
function ciProblems(text: string): string[] {
  const workflow = parse(text) as Workflow
  const on = workflow.on as Record<string, unknown> | undefined
  const problems: string[] = []
  if (on === undefined || !('push' in on) || !('pull_request' in on))
    problems.push('not on push and pull_request')
  if (!steps(workflow).some((s) => s.run?.trim() === 'npm test')) problems.push('does not run npm test')
  return problems
}

const allProblems = (ci: string, release: string): string[] => [
  ...schemaProblems(ci),
  ...schemaProblems(release),
  ...pinProblems(ci),
  ...pinProblems(release),
  ...ciProblems(ci),
  ...releaseProblems(release),
]

describe('GitHub workflows', () => {
  it('are valid, pinned, and do what the release process needs', () => {
    expect(allProblems(CI, RELEASE)).toEqual([])
  })

  it('.ci/run and the README run the same npm test as CI', () => {
    expect(read('.ci/run')).toMatch(/^npm test$/m)
    expect(read('README.md')).toMatch(/^npm test\s/m)
  })

  // Each check fails on a broken workflow (a mutation of the real file), so a green run means something.
  it.each([
    ['a misspelt key', (w: string) => w.replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}')],
    ['a job that needs one that does not exist', (w: string) => w.replace('needs: build', 'needs: builds')],
    ['an action on a tag', (w: string) => w.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v7')],
    ['a short SHA', (w: string) => w.replace(/(actions\/setup-node@[0-9a-f]{12})[0-9a-f]{28}/, '$1')],
    ['a pin without its version', (w: string) => w.replace(' # v8.0.1', '')],
    ['a runner left out', (w: string) => w.replace('os: macos-13', 'os: macos-latest')],
    ['publishing from electron-builder', (w: string) => w.replace('--publish never', '--publish always')],
    ['a published release', (w: string) => w.replace(' --draft', '')],
    ['no smoke test', (w: string) => w.replaceAll('--smoke-test', '--start')],
  ])('the release workflow with %s fails', (_name, mutate) => {
    const broken = mutate(RELEASE)
    expect(broken).not.toBe(RELEASE)
    expect(allProblems(CI, broken)).not.toEqual([])
  })

  it.each([
    ['another command', (w: string) => w.replace('run: npm test', 'run: npm run lint')],
    ['a bad trigger', (w: string) => w.replace('pull_request:', 'pull-request:')],
    [
      'an unpinned action',
      (w: string) => w.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@main'),
    ],
  ])('the CI workflow with %s fails', (_name, mutate) => {
    const broken = mutate(CI)
    expect(broken).not.toBe(CI)
    expect(allProblems(broken, RELEASE)).not.toEqual([])
  })
})

describe('release notes (scripts/release-notes.ts)', () => {
  it('CHANGELOG.md has a section for the version in package.json, which a tag v<version> gets', () => {
    const changelog = read('CHANGELOG.md')
    expect(changelogVersions(changelog)).toContain(pkg.version)
    const notes = changelogSection(changelog, `v${pkg.version}`)
    expect(notes).toMatch(/^### Added/m)
    expect(notes).not.toMatch(/^## /m)
  })

  it('takes one section, without its heading, the next one or the link definitions', () => {
    const changelog = [
      '# Changelog',
      '',
      '## [Unreleased]',
      '',
      '- next',
      '',
      '## [1.2.0] - 2027-01-02',
      '',
      '### Fixed',
      '',
      '- a fix',
      '',
      '## [1.1.0] - 2026-12-01',
      '',
      '- older',
      '',
      '[1.2.0]: https://example.invalid/compare/v1.1.0...v1.2.0',
    ].join('\n')
    expect(changelogVersions(changelog)).toEqual(['Unreleased', '1.2.0', '1.1.0'])
    expect(changelogSection(changelog, 'v1.2.0')).toBe('### Fixed\n\n- a fix\n')
    expect(changelogSection(changelog, '1.1.0')).toBe('- older\n')
    expect(changelogSection(changelog, 'v9.9.9')).toBeNull()
  })
})
