/**
 * The package check's rules (test/package/package-layout.ts) on listings of a packed app: the real check
 * (test/package/packed-app.test.ts) must fail when the job entry, a runtime dependency or a native addon's
 * unpacked file is missing, or when sources, source maps or devDependencies slip in.
 */
import { describe, expect, it } from 'vitest'
import {
  layoutProblems,
  runtimeClosure,
  type LayoutInput,
  type PackedFile,
} from '../../package/package-layout.ts'
import { beforePack, signingStatus } from '../../../scripts/signing.ts'

const lock = {
  'node_modules/ssh2': { dependencies: { asn1: '^0.2.6' } },
  'node_modules/asn1': {},
  'node_modules/lzma-native': { dependencies: { 'node-addon-api': '^3', 'node-gyp-build': '^4' } },
  'node_modules/node-addon-api': {},
  'node_modules/node-gyp-build': {},
  'node_modules/@napi-rs/keyring': {},
  'node_modules/@napi-rs/keyring-linux-x64-gnu': { optional: true },
  'node_modules/mysql2': {},
  'node_modules/vitest': { dev: true },
}
const KEYRING_ADDON = '/node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node'
const LZMA_ADDON = '/node_modules/lzma-native/prebuilds/linux-x64/node.napi.node'

function good(): LayoutInput {
  const packed = [
    '/package.json',
    '/out/main/index.js',
    '/out/main/backup-job.js',
    '/out/main/cli.js',
    '/out/main/chunks/engine-abc.js',
    '/out/preload/index.cjs',
    '/out/renderer/index.html',
    '/out/renderer/assets/index-1.js',
    ...[
      'ssh2',
      'asn1',
      'lzma-native',
      'node-gyp-build',
      '@napi-rs/keyring',
      '@napi-rs/keyring-linux-x64-gnu',
    ].map((p) => `/node_modules/${p}/package.json`),
  ]
  const files: PackedFile[] = [
    ...packed.map((path) => ({ path, unpacked: false })),
    { path: KEYRING_ADDON, unpacked: true },
    { path: LZMA_ADDON, unpacked: true },
  ]
  return {
    files,
    unpackedOnDisk: [KEYRING_ADDON, LZMA_ADDON],
    built: packed.filter((p) => p.startsWith('/out/')).concat(['/out/main/cli.js.map']),
    dependencies: { ssh2: '1', 'lzma-native': '8', '@napi-rs/keyring': '2', mysql2: '3' },
    lock,
    bundled: ['mysql2'],
    buildOnly: ['node-addon-api'],
    platform: 'linux',
    arch: 'x64',
  }
}

const without = (input: LayoutInput, path: string): LayoutInput => ({
  ...input,
  files: input.files.filter((f) => f.path !== path),
})
const withFile = (input: LayoutInput, path: string, unpacked = false): LayoutInput => ({
  ...input,
  files: [...input.files, { path, unpacked }],
})

describe('the package check: layout rules', () => {
  it('a complete package has no problem', () => {
    expect(layoutProblems(good())).toEqual([])
  })

  it('a missing job entry, built chunk or runtime dependency (also a nested one) is named', () => {
    expect(layoutProblems(without(good(), '/out/main/backup-job.js'))).toEqual([
      'missing /out/main/backup-job.js',
      'missing built file /out/main/backup-job.js',
    ])
    expect(layoutProblems(without(good(), '/out/main/chunks/engine-abc.js'))).toEqual([
      'missing built file /out/main/chunks/engine-abc.js',
    ])
    expect(layoutProblems(without(good(), '/node_modules/asn1/package.json'))).toEqual([
      'missing runtime dependency asn1',
    ])
  })

  it('native addons must be unpacked, on disk, and of the packed platform only', () => {
    const packedInside = good()
    packedInside.files = packedInside.files.map((f) =>
      f.path === LZMA_ADDON ? { ...f, unpacked: false } : f,
    )
    expect(layoutProblems(packedInside)).toEqual([
      `native addon inside app.asar (cannot be loaded): ${LZMA_ADDON}`,
    ])
    expect(layoutProblems({ ...good(), unpackedOnDisk: [LZMA_ADDON] })).toEqual([
      `native addon missing from app.asar.unpacked: ${KEYRING_ADDON}`,
    ])
    const other = '/node_modules/lzma-native/prebuilds/win32-x64/node.napi.node'
    expect(
      layoutProblems({
        ...withFile(good(), other, true),
        unpackedOnDisk: [KEYRING_ADDON, LZMA_ADDON, other],
      }),
    ).toEqual([`another platform's prebuild packed: ${other}`])
    expect(layoutProblems(without(good(), KEYRING_ADDON))).toEqual([
      "missing the keyring's addon for linux-x64",
    ])
  })

  it('sources, source maps, tests and devDependencies are refused', () => {
    expect(layoutProblems(withFile(good(), '/out/main/cli.js.map'))).toEqual([
      'source or source map packed: /out/main/cli.js.map',
    ])
    expect(layoutProblems(withFile(good(), '/electron/cli/index.ts'))).toEqual([
      'not for the package: /electron/cli/index.ts',
      'source or source map packed: /electron/cli/index.ts',
    ])
    expect(layoutProblems(withFile(good(), '/test/unit/a.test.js'))).toEqual([
      'not for the package: /test/unit/a.test.js',
    ])
    expect(layoutProblems(withFile(good(), '/node_modules/vitest/package.json'))).toEqual([
      'devDependency packed: vitest',
    ])
    expect(layoutProblems(withFile(good(), '/tsconfig.json'))).toEqual([
      'not for the package: /tsconfig.json',
    ])
  })

  it('the runtime closure follows dependencies and skips build-only ones', () => {
    expect([...runtimeClosure(['lzma-native', 'ssh2'], lock, ['node-addon-api'])].sort()).toEqual([
      'asn1',
      'lzma-native',
      'node-gyp-build',
      'ssh2',
    ])
  })
})

describe('signing: what the build log says', () => {
  it('unsigned builds say SKIPPED and why; configured ones say with what', () => {
    expect(signingStatus('win32', {})[0]).toMatch(
      /^Windows code signing SKIPPED: no CSC_LINK or WIN_CSC_LINK/,
    )
    expect(signingStatus('win32', { WIN_CSC_LINK: 'x' })).toEqual([
      'Windows code signing: with the certificate in WIN_CSC_LINK',
    ])
    expect(signingStatus('darwin', {})).toEqual([
      expect.stringContaining('macOS code signing: no CSC_LINK'),
      expect.stringMatching(/^macOS notarization SKIPPED/),
    ])
    // Half a set of notarization variables is not enough.
    expect(signingStatus('darwin', { CSC_LINK: 'c', APPLE_ID: 'a', APPLE_TEAM_ID: 't' })[1]).toMatch(
      /SKIPPED/,
    )
    expect(
      signingStatus('darwin', {
        CSC_LINK: 'c',
        APPLE_ID: 'a',
        APPLE_APP_SPECIFIC_PASSWORD: 'p',
        APPLE_TEAM_ID: 't',
      }),
    ).toEqual([
      'macOS code signing: with the Developer ID certificate in CSC_LINK (hardened runtime)',
      'macOS notarization: with the Apple ID (APPLE_ID, APPLE_TEAM_ID)',
    ])
    expect(
      signingStatus('darwin', { APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 's' })[1],
    ).toBe('macOS notarization: with the App Store Connect API key (APPLE_API_KEY_ID)')
    expect(signingStatus('linux', { CSC_LINK: 'x' })[0]).toMatch(/^Linux packages are not code-signed/)
  })

  it('never prints a secret', () => {
    const env = {
      CSC_LINK: 'c2VjcmV0',
      CSC_KEY_PASSWORD: 'hunter2',
      APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh',
    }
    for (const platform of ['win32', 'darwin', 'linux']) {
      const text = signingStatus(platform, {
        ...env,
        APPLE_ID: 'dba@example.invalid',
        APPLE_TEAM_ID: 'T',
      }).join('\n')
      for (const secret of Object.values(env)) expect(text).not.toContain(secret)
    }
    expect(typeof beforePack).toBe('function')
  })
})
