// The app's config file (`sfDBTools_config.yaml`, reference §4) and flag > env > config > default.
export { CONFIG_FILE_NAME, configFilePath, loadAppConfig } from './app-config.ts'
export type { ConfigFileLocation, ConfigPathSource, Env, LoadedAppConfig } from './app-config.ts'
export { emptyAppConfig, NAME_PATTERN_PRESETS, NAME_PATTERN_TOKENS } from './app-config-schema.ts'
export type { AppConfig } from './app-config-schema.ts'
export { CONFIG_DEFAULTS, defaultLevel, withDefaults } from './config-defaults.ts'
export type { EffectiveAppConfig } from './config-defaults.ts'
export { parseAppConfig } from './parse-app-config.ts'
export { LOG_LEVELS, resolveBackupSettings } from './settings.ts'
export type {
  BackupFlags,
  BackupSettings,
  LogLevel,
  Setting,
  SettingSource,
  SettingsInput,
} from './settings.ts'
