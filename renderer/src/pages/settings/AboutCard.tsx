import type { ReactElement } from 'react'
import type { DetectedProgram } from '../../../../shared/versions.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { useT } from '../../i18n/use-t.ts'
import { useAppStore } from '../../stores/app-store.ts'

const ROLE_KEY: Record<DetectedProgram['role'], MessageKey> = {
  dump: 'about.dumpBinary',
  client: 'about.sqlClient',
}
const FLAVOR = { mariadb: 'MariaDB', mysql: 'MySQL' } as const

/**
 * About: the app's version, the Electron, Chromium and Node versions of its main process, and the
 * MariaDB/MySQL programs it finds on PATH (what `sfdbtools --version` prints) — all from 'app:info'.
 */
export function AboutCard({ productName }: { productName: string }): ReactElement {
  const t = useT()
  const version = useAppStore((state) => state.version)
  const versions = useAppStore((state) => state.versions)
  const programs = useAppStore((state) => state.programs)
  const unknown = t('common.loading')
  const runtime = (value: string | null | undefined): string =>
    value === undefined ? unknown : (value ?? t('about.notInUse'))
  return (
    <section className="card form-card" aria-labelledby="settings-about">
      <h2 id="settings-about" className="card-title">
        {t('about.title', { name: productName })}
      </h2>
      <p className="muted small">{t('about.lead')}</p>
      <dl className="facts" aria-label={t('about.title', { name: productName })}>
        <dt>{t('about.version')}</dt>
        <dd className="mono" data-testid="about-version">
          {version ?? unknown}
        </dd>
        <dt>Electron</dt>
        <dd className="mono" data-testid="about-electron">
          {runtime(versions?.electron)}
        </dd>
        <dt>Chromium</dt>
        <dd className="mono" data-testid="about-chromium">
          {runtime(versions?.chromium)}
        </dd>
        <dt>Node.js</dt>
        <dd className="mono" data-testid="about-node">
          {versions?.node ?? unknown}
        </dd>
        {(programs ?? []).map((program) => (
          <ProgramFact key={program.role} program={program} />
        ))}
      </dl>
    </section>
  )
}

function ProgramFact({ program }: { program: DetectedProgram }): ReactElement {
  const t = useT()
  const [first, second] = program.candidates
  return (
    <>
      <dt>{t(ROLE_KEY[program.role])}</dt>
      <dd className="mono break" data-testid={`about-program-${program.role}`}>
        {program.path === null
          ? t('about.notFound', { first, second })
          : program.version === null
            ? t('about.versionUnknown', { path: program.path })
            : `${program.version}${program.flavor === null ? '' : ` (${FLAVOR[program.flavor]})`} — ${program.path}`}
      </dd>
    </>
  )
}
