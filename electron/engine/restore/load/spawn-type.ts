import type { spawn } from 'node:child_process'

/** node's spawn, as a type (tests pass their own). */
export type nodeSpawn = typeof spawn
