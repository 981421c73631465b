/**
 * electron-builder's beforePack hook (electron-builder.yml): says on the build log whether this build is
 * code-signed and notarized, and if not, why — before packing, so an unsigned release is never a surprise.
 * Signing and notarization themselves are electron-builder's own, from the environment (CI secrets):
 *  - Windows and macOS code signing: CSC_LINK (a .p12/.pfx file, its path or base64) and CSC_KEY_PASSWORD;
 *    WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD for Windows only;
 *  - macOS notarization: APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_API_KEY (the .p8
 *    file) + APPLE_API_KEY_ID + APPLE_API_ISSUER.
 * Without them the build goes on unsigned (see docs/packaging.md for what that means to users).
 */

type Env = Record<string, string | undefined>

const set = (env: Env, name: string): boolean => (env[name] ?? '') !== ''

/** The log lines of a build for `platform` (electron-builder's electronPlatformName: win32, darwin, linux). */
export function signingStatus(platform: string, env: Env): string[] {
  if (platform === 'win32') {
    const link = set(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : set(env, 'CSC_LINK') ? 'CSC_LINK' : null
    return [
      link === null
        ? 'Windows code signing SKIPPED: no CSC_LINK or WIN_CSC_LINK — the installer and the app are unsigned ' +
          '(SmartScreen warns "unknown publisher" on download and first start)'
        : `Windows code signing: with the certificate in ${link}`,
    ]
  }
  if (platform === 'darwin') {
    const lines = [
      set(env, 'CSC_LINK')
        ? 'macOS code signing: with the Developer ID certificate in CSC_LINK (hardened runtime)'
        : 'macOS code signing: no CSC_LINK — electron-builder looks for a "Developer ID Application" identity ' +
          'in the keychain and skips signing when there is none (Gatekeeper then refuses to open the app)',
    ]
    const appleId =
      set(env, 'APPLE_ID') && set(env, 'APPLE_APP_SPECIFIC_PASSWORD') && set(env, 'APPLE_TEAM_ID')
    const apiKey = set(env, 'APPLE_API_KEY') && set(env, 'APPLE_API_KEY_ID') && set(env, 'APPLE_API_ISSUER')
    lines.push(
      appleId
        ? 'macOS notarization: with the Apple ID (APPLE_ID, APPLE_TEAM_ID)'
        : apiKey
          ? 'macOS notarization: with the App Store Connect API key (APPLE_API_KEY_ID)'
          : 'macOS notarization SKIPPED: neither APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID nor ' +
            'APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER is set',
    )
    return lines
  }
  return [
    'Linux packages are not code-signed (AppImage, deb and rpm are published with their sha512 checksums)',
  ]
}

/** The part of electron-builder's BeforePackContext used here. */
interface PackContext {
  electronPlatformName: string
}

/** The hook itself: electron-builder calls the module's `beforePack` export once per platform and arch. */
export function beforePack(context: PackContext): void {
  for (const line of signingStatus(context.electronPlatformName, process.env)) console.log(`  • ${line}`)
}
