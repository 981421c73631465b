import { describe, expect, it } from 'vitest'
import { createSenderPolicy } from '../../../electron/main/ipc/sender-policy.ts'

describe('createSenderPolicy', () => {
  it('trusts only the packaged index.html for a file:// renderer', () => {
    const trusted = createSenderPolicy('file:///opt/app/resources/app.asar/out/renderer/index.html')
    expect(trusted('file:///opt/app/resources/app.asar/out/renderer/index.html')).toBe(true)
    expect(trusted('file:///opt/app/resources/app.asar/out/renderer/index.html#/jobs?x=1')).toBe(true)
    expect(trusted('file:///opt/app/resources/app.asar/out/renderer/other.html')).toBe(false)
    expect(trusted('file:///tmp/index.html')).toBe(false)
    expect(trusted('http://localhost:5173/')).toBe(false)
  })

  it('trusts the dev server origin only', () => {
    const trusted = createSenderPolicy('http://localhost:5173/')
    expect(trusted('http://localhost:5173/index.html')).toBe(true)
    expect(trusted('http://localhost:5174/')).toBe(false)
    expect(trusted('https://localhost:5173/')).toBe(false)
    expect(trusted('http://evil.example/')).toBe(false)
  })

  it('never trusts opaque or unparsable URLs', () => {
    for (const entry of ['file:///app/index.html', 'http://localhost:5173/']) {
      const trusted = createSenderPolicy(entry)
      for (const url of ['', 'about:blank', 'data:text/html,hi', 'not a url', 'javascript:alert(1)']) {
        expect(trusted(url)).toBe(false)
      }
    }
  })
})
