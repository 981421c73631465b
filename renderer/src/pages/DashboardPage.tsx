import type { ReactElement } from 'react'

const HIGHLIGHTS = [
  {
    title: 'Connection profiles',
    text: 'Encrypted server profiles, compatible with the .cnf.enc files sfDBTools writes and reads.',
  },
  {
    title: 'Consistent backups',
    text: 'One InnoDB snapshot per dump, written under a temporary name and renamed only when it is complete.',
  },
  {
    title: 'Compressed and encrypted',
    text: 'gzip, zstd or xz with AES-256-GCM, verified by a SHA-256 checksum recorded next to every file.',
  },
] as const

/** The landing page: what the app does. */
export function DashboardPage({ productName }: { productName: string }): ReactElement {
  return (
    <div className="page">
      <h1 className="page-title">Dashboard</h1>
      <section className="card welcome" aria-labelledby="welcome-title">
        <h2 id="welcome-title">Welcome to {productName}</h2>
        <p>
          Logical backups of MariaDB and MySQL servers, written atomically and readable by sfDBTools. The same
          engine runs headless from the <code>sfdbtools</code> command line for cron jobs and scripts.
        </p>
      </section>
      <ul className="highlights" aria-label="Highlights">
        {HIGHLIGHTS.map((item) => (
          <li key={item.title} className="card highlight">
            <h3>{item.title}</h3>
            <p>{item.text}</p>
          </li>
        ))}
      </ul>
    </div>
  )
}
