/** The Restore wizard's draft of a backup on an offsite destination (History → Restore from <destination>). */
import { describe, expect, it } from 'vitest'
import { restoreRequestSchema } from '../../../shared/ipc.ts'
import { emptyDraft, requestOf, stepProblems } from '../../../renderer/src/pages/restore/restore-model.ts'

describe('the wizard draft of a backup on a destination', () => {
  it('needs a name there (no absolute path) and asks for the destination in its request', () => {
    const draft = { ...emptyDraft('shop.sql.zst', 'nas'), profile: 'p', targetDatabase: 'shop' }
    expect(stepProblems('target', draft, null)).toEqual(['restore.problem.source'])
    expect(stepProblems('target', { ...draft, file: '' }, null)).toContain('restore.problem.file')
    const request = requestOf({ ...draft, ticket: 'T' }, null)
    expect(request).toMatchObject({ file: 'shop.sql.zst', destination: 'nas' })
    expect(restoreRequestSchema.safeParse(request).success).toBe(true)
    expect(requestOf({ ...emptyDraft('/b/shop.sql'), ticket: 'T' }, null)).not.toHaveProperty('destination')
  })
})
