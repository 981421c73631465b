import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES } from '../../../electron/main/csp.ts'

const indexHtml = readFileSync(join(resolve(import.meta.dirname, '../../..'), 'renderer/index.html'), 'utf8')

describe('content security policy', () => {
  it('is the same in renderer/index.html as in electron/main/csp.ts', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(indexHtml)
    expect(meta?.[1]?.split(/;\s*/)).toEqual([...CSP_DIRECTIVES])
  })

  it('allows no inline or eval’d script and no remote source', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/)
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
  })
})
