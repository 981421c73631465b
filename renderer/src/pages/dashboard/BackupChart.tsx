import { useState } from 'react'
import type { ReactElement } from 'react'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import { SelectField } from '../../components/form-fields.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatDateTime, formatDuration, formatShortDate } from '../../lib/format.ts'
import { seriesNames, seriesPoints } from './backup-series.ts'
import type { SeriesPoint } from './backup-series.ts'

const WIDTH = 520
const HEIGHT = 150
const PAD = { left: 64, right: 12, top: 12, bottom: 24 }
const MAX_POINTS = 60

/** Sizes and durations of one database's backups over time: two small inline-SVG charts, and the data as a table. */
export function BackupChart({ entries }: { entries: HistoryEntry[] }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const names = seriesNames(entries)
  const [chosen, setChosen] = useState<string | null>(null)
  const series = chosen !== null && names.includes(chosen) ? chosen : (names[0] ?? null)

  if (series === null) return <p className="empty">{t('dashboard.chartEmpty')}</p>
  const points = seriesPoints(entries, series).slice(-MAX_POINTS)
  const timed = points.filter((p): p is SeriesPoint & { durationMs: number } => p.durationMs !== null)
  return (
    <div className="chart-block">
      <SelectField
        label={t('dashboard.chartDatabase')}
        value={series}
        options={names.map((name) => ({ value: name, label: name }))}
        onChange={setChosen}
        className="field-inline"
      />
      <div className="charts">
        <MiniChart
          title={t('dashboard.chartSize')}
          points={points.map((p) => ({
            time: p.time,
            value: p.sizeBytes,
            label: `${formatDateTime(p.startedAt, language)}: ${formatBytes(p.sizeBytes, language)}`,
          }))}
          format={(value) => formatBytes(value, language)}
          dateLabel={(time) => formatShortDate(new Date(time).toISOString(), language)}
          kind="bars"
        />
        <MiniChart
          title={t('dashboard.chartDuration')}
          points={timed.map((p) => ({
            time: p.time,
            value: p.durationMs,
            label: `${formatDateTime(p.startedAt, language)}: ${formatDuration(p.durationMs, language)}`,
          }))}
          format={(value) => formatDuration(value, language)}
          dateLabel={(time) => formatShortDate(new Date(time).toISOString(), language)}
          kind="line"
        />
      </div>
      <details className="chart-data">
        <summary>{t('dashboard.chartData')}</summary>
        <table className="table table-dense">
          <caption className="visually-hidden">{t('dashboard.chartDataCaption', { name: series })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('history.col.date')}</th>
              <th scope="col" className="num">
                {t('history.col.size')}
              </th>
              <th scope="col" className="num">
                {t('history.col.duration')}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.fileName}>
                <th scope="row">{formatDateTime(p.startedAt, language)}</th>
                <td className="num">{formatBytes(p.sizeBytes, language)}</td>
                <td className="num">
                  {p.durationMs === null ? '–' : formatDuration(p.durationMs, language)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  )
}

interface ChartPoint {
  time: number
  value: number
  label: string
}

interface MiniChartProps {
  title: string
  points: ChartPoint[]
  format(value: number): string
  dateLabel(time: number): string
  kind: 'bars' | 'line'
}

/** One chart: time on x, value on y from zero; each point has a tooltip (<title>). */
function MiniChart({ title, points, format, dateLabel, kind }: MiniChartProps): ReactElement {
  const first = points[0]
  const last = points[points.length - 1]
  const max = Math.max(1, ...points.map((p) => p.value))
  const span = first !== undefined && last !== undefined ? Math.max(1, last.time - first.time) : 1
  const innerWidth = WIDTH - PAD.left - PAD.right
  const innerHeight = HEIGHT - PAD.top - PAD.bottom
  // Points sit inside an inset, so the first and last bars do not cross the axis labels.
  const inset = 14
  const x = (time: number): number =>
    points.length <= 1 || first === undefined
      ? PAD.left + innerWidth / 2
      : PAD.left + inset + ((time - first.time) / span) * (innerWidth - 2 * inset)
  const y = (value: number): number => PAD.top + innerHeight - (value / max) * innerHeight
  const barWidth = Math.max(3, Math.min(18, innerWidth / Math.max(points.length, 1) - 3))
  const summary = last === undefined ? title : `${title}: ${points.length} · ${last.label}`

  return (
    <figure className="mini-chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        <line
          className="chart-axis"
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + innerHeight}
          y2={PAD.top + innerHeight}
        />
        <line className="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top} y2={PAD.top} />
        <text className="chart-label" x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
          {format(max)}
        </text>
        <text className="chart-label" x={PAD.left - 6} y={PAD.top + innerHeight} textAnchor="end">
          0
        </text>
        {first !== undefined && (
          <text className="chart-label" x={PAD.left} y={HEIGHT - 6} textAnchor="start">
            {dateLabel(first.time)}
          </text>
        )}
        {last !== undefined && points.length > 1 && (
          <text className="chart-label" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
            {dateLabel(last.time)}
          </text>
        )}
        {kind === 'bars' ? (
          points.map((p, index) => (
            <rect
              key={index}
              className="chart-bar"
              x={x(p.time) - barWidth / 2}
              y={y(p.value)}
              width={barWidth}
              height={Math.max(1, PAD.top + innerHeight - y(p.value))}
              rx="2"
            >
              <title>{p.label}</title>
            </rect>
          ))
        ) : (
          <>
            <polyline
              className="chart-line"
              points={points.map((p) => `${x(p.time)},${y(p.value)}`).join(' ')}
            />
            {points.map((p, index) => (
              <circle key={index} className="chart-dot" cx={x(p.time)} cy={y(p.value)} r="3.5">
                <title>{p.label}</title>
              </circle>
            ))}
          </>
        )}
      </svg>
    </figure>
  )
}
