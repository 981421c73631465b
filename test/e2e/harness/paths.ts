/** Locations the e2e harness works with, independent of the working directory. */
import { join, resolve } from 'node:path'

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

/** The built renderer (`npm run build` writes it). */
export const RENDERER_DIR = join(REPO_ROOT, 'out/renderer')

/** Where withApp saves screenshots. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots')

/** Debian's Chromium unless CHROMIUM_PATH says otherwise (playwright's own browsers are never installed). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
