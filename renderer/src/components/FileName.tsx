import { Fragment } from 'react'
import type { ReactElement } from 'react'

/** A name's pieces, each ending after a separator (_ . - / \), where a line may break. */
export function fileNameParts(name: string): string[] {
  return name.match(/[^_./\\-]*[_./\\-]?/g)?.filter((part) => part !== '') ?? [name]
}

/**
 * A file name that wraps at its separators ("dbsf_nbc_acme_20261203_…" breaks after an underscore), never
 * in the middle of a word as `overflow-wrap: anywhere` did ("….sql.z" / "st").
 */
export function FileName({ name, className = 'mono' }: { name: string; className?: string }): ReactElement {
  return (
    <span className={className}>
      {fileNameParts(name).map((part, index) => (
        // The parts of one fixed string, in order: their index is their identity.
        <Fragment key={index}>
          {part}
          <wbr />
        </Fragment>
      ))}
    </span>
  )
}
