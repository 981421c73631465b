/**
 * The unit project runs without the private mariadbd: only the integration and e2e projects set it up
 * (vitest.config.ts), so `vitest run --project unit` is quick and starts no server.
 */
import { describe, expect, inject, it } from 'vitest'

describe('the unit project', () => {
  it('is given no database server', () => {
    expect(inject('mariadb')).toBeUndefined()
  })
})
