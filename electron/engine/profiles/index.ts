// sfDBTools-compatible connection profiles (`*.cnf.enc`, reference §2).
export { configDir } from './config-dir.ts'
export { parseLegacyJsonProfile } from './legacy-json-profile.ts'
export { formatProfileIni, parseProfileIni } from './profile-ini.ts'
export type { ProfileData, SshTunnel, TlsMode, TlsSettings } from './profile-ini.ts'
export { TLS_MODES } from './profile-ini.ts'
export {
  PROFILE_SUFFIX,
  profileDisplayName,
  profilePath,
  resolveProfileRef,
  validateProfileName,
  withProfileSuffix,
} from './profile-names.ts'
export { assertProfileFile, listProfiles, profileDir, readProfile, writeProfile } from './profile-store.ts'
export type { LoadedProfile, ProfileEntry } from './profile-store.ts'
export { connectionOf, type SshPolicy } from './connection-settings.ts'
