/**
 * What a notification says about a backup run: a subject, a plain text, and the payloads of the webhook
 * formats (our JSON, Slack's and Teams' incoming webhooks). Built from the run's result only — status,
 * files, sizes, durations, warnings and errors — so it carries no key, password or connection secret.
 */
import type { BackupResult, TargetResult } from '../../../shared/backup-types.ts'
import { formatBytes, formatDuration } from '../../../shared/format.ts'
import type { NotifyOn, WebhookFormat } from '../../../shared/notify.ts'

export type RunStatus = 'success' | 'success_with_warnings' | 'partial' | 'failed' | 'cancelled'

export interface RunContext {
  /** The profile's name (never its path's secrets: a name). */
  profile: string
  /** The server's host name as the plan saw it, when known. */
  host?: string
  /** The preset (quick backup) the run came from, when it did. */
  preset?: string
}

export interface RunSummary {
  status: RunStatus
  subject: string
  text: string
  /** The `json` format's body. */
  json: Record<string, unknown>
  /** Slack's incoming-webhook body. */
  slack: Record<string, unknown>
  /** Teams' incoming-webhook body (a MessageCard). */
  teams: Record<string, unknown>
}

/** The run's overall status. */
export function runStatus(result: BackupResult): RunStatus {
  const t = result.targets
  const written = t.filter((x) => x.status === 'success' || x.status === 'success_with_warnings').length
  const failed = t.filter((x) => x.status === 'failed' || x.status === 'skipped').length
  if (failed === 0 && t.some((x) => x.status === 'cancelled')) return 'cancelled'
  if (result.ok && failed === 0)
    return t.some((x) => x.status === 'success_with_warnings') ? 'success_with_warnings' : 'success'
  return written > 0 ? 'partial' : 'failed'
}

/** Whether a run of this status is announced to channels set to `on`. A cancel is the user's own doing. */
export const shouldNotify = (on: NotifyOn, status: RunStatus): boolean =>
  on === 'always' ? status !== 'cancelled' : status === 'failed' || status === 'partial'

const STATUS_WORDS: Record<RunStatus, string> = {
  success: 'succeeded',
  success_with_warnings: 'succeeded with warnings',
  partial: 'partly failed',
  failed: 'FAILED',
  cancelled: 'was cancelled',
}

const COLORS: Record<RunStatus, string> = {
  success: '2EB67D',
  success_with_warnings: 'ECB22E',
  partial: 'E8912D',
  failed: 'E01E5A',
  cancelled: '888888',
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

function targetLine(t: TargetResult): string {
  const what = t.file ?? t.databases.join(', ')
  const size = t.file === null ? '' : `, ${formatBytes(t.bytes)} (${formatBytes(t.sqlBytes)} of SQL)`
  const error = t.error ? ` — ${t.error.code}: ${t.error.message}` : ''
  return `${t.status}: ${what}${size} in ${formatDuration(t.durationMs)}${error}`
}

export function renderSummary(result: BackupResult, context: RunContext): RunSummary {
  const status = runStatus(result)
  const written = result.targets.filter((t) => t.file !== null)
  const bytes = written.reduce((sum, t) => sum + t.bytes, 0)
  const failed = result.targets.filter((t) => t.error !== null && t.status !== 'cancelled')
  const warnings = result.targets.flatMap((t) => t.warnings.map((w) => `${t.databases.join(', ')}: ${w}`))
  const where = context.host ? `${context.profile} (${context.host})` : context.profile
  const subject = `[sfDBTools] Backup ${STATUS_WORDS[status]}: ${where}${context.preset ? ` — ${context.preset}` : ''}`
  const headline = `${plural(written.length, 'file')} written, ${formatBytes(bytes)} in ${formatDuration(result.durationMs)}${failed.length > 0 ? `; ${plural(failed.length, 'file')} failed` : ''}`
  const facts: [string, string][] = [
    ['Status', status],
    ['Profile', context.profile],
    ...(context.host ? ([['Server', context.host]] as [string, string][]) : []),
    ...(context.preset ? ([['Preset', context.preset]] as [string, string][]) : []),
    ['Mode', result.mode],
    ['Ticket', result.ticket],
    ['Started', result.startedAt],
    ['Finished', result.finishedAt],
    ['Duration', formatDuration(result.durationMs)],
    ['Files', `${written.length} of ${result.targets.length}, ${formatBytes(bytes)}`],
  ]
  const lines = result.targets.map(targetLine)
  const text = [
    `sfDBTools backup ${STATUS_WORDS[status]}: ${headline}`,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    'Files:',
    ...lines.map((l) => `  ${l}`),
    ...(warnings.length > 0 ? ['', 'Warnings:', ...warnings.map((w) => `  ${w}`)] : []),
    ...(failed.length > 0
      ? [
          '',
          'Errors:',
          ...failed.map((t) => `  ${t.databases.join(', ')}: ${t.error?.code}: ${t.error?.message}`),
        ]
      : []),
    '',
  ].join('\n')
  const json = {
    event: 'backup.finished',
    status,
    ok: result.ok,
    profile: context.profile,
    host: context.host ?? null,
    preset: context.preset ?? null,
    mode: result.mode,
    ticket: result.ticket,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationMs: result.durationMs,
    totals: { files: written.length, targets: result.targets.length, bytes, failed: failed.length },
    files: result.targets.map((t) => ({
      databases: t.databases,
      status: t.status,
      file: t.file,
      bytes: t.bytes,
      sqlBytes: t.sqlBytes,
      sha256: t.sha256,
      durationMs: t.durationMs,
      warnings: t.warnings,
      error: t.error === null ? null : { code: t.error.code, message: t.error.message },
    })),
    warnings,
    summary: headline,
  }
  const shown = lines.slice(0, 20)
  const more = lines.length > shown.length ? [`… and ${lines.length - shown.length} more`] : []
  const slack = {
    text: `${subject}\n${headline}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: headline } },
      {
        type: 'section',
        fields: facts.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })),
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: ['```', ...shown, ...more, '```'].join('\n').slice(0, 3000) },
      },
    ],
  }
  const teams = {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: subject,
    themeColor: COLORS[status],
    title: subject,
    text: headline,
    sections: [
      { facts: facts.map(([name, value]) => ({ name, value })) },
      { title: 'Files', text: [...shown, ...more].join('<br>') },
      ...(warnings.length > 0 ? [{ title: 'Warnings', text: warnings.slice(0, 20).join('<br>') }] : []),
    ],
  }
  return { status, subject, text, json, slack, teams }
}

/** The body a webhook of this format is sent. */
export function webhookBody(summary: RunSummary, format: WebhookFormat): Record<string, unknown> {
  switch (format) {
    case 'json':
      return summary.json
    case 'slack':
      return summary.slack
    case 'teams':
      return summary.teams
  }
}

/** A test message's result: a successful run of nothing, clearly marked as a test. */
export function testResult(now = new Date()): BackupResult {
  return {
    ok: true,
    mode: 'single',
    ticket: 'NOTIFY-TEST',
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    durationMs: 0,
    targets: [],
  }
}
