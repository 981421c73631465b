import { homedir } from 'node:os'
import { isAbsolute, join, win32 } from 'node:path'

const APP_NAME = 'sfdbtools'

/**
 * The per-user configuration folder: `SFDB_CONFIG_PATH` when set, else the platform's convention for the
 * app name `sfdbtools` — `$XDG_CONFIG_HOME/sfdbtools` or `~/.config/sfdbtools` on Linux,
 * `~/Library/Application Support/sfdbtools` on macOS, `%APPDATA%\sfdbtools` on Windows. Platform and home
 * are parameters so every branch can be tested on one machine.
 */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.SFDB_CONFIG_PATH
  if (override !== undefined && override !== '') return override
  switch (platform) {
    case 'win32':
      return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_NAME)
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME)
    default: {
      // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
      const xdg = env.XDG_CONFIG_HOME
      return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.config'), APP_NAME)
    }
  }
}
