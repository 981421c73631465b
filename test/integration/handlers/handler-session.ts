/**
 * The real handler map over a Node platform, reached through the real dispatcher (sender check → zod parse
 * → handler → Result) as the renderer reaches it: one sandbox config folder per session, the environment
 * the key lookup sees as a plain object the test may change, the OS keychain, and backup jobs run by the
 * engine in this process.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { createIpcDispatch } from '../../../electron/main/ipc/dispatch.ts'
import { createHandlers } from '../../../electron/main/ipc/handlers/create-handlers.ts'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import { createSenderPolicy } from '../../../electron/main/ipc/sender-policy.ts'
import type { IpcChannel, IpcRequest, IpcResponses } from '../../../shared/ipc.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { createNodePlatform, type NodePlatform } from '../../e2e/harness/node-platform.ts'
import { useKeyring } from '../../harness/keyring.ts'
import { createTestJobs, type TestJobs } from '../../harness/app-jobs.ts'

/** The packaged renderer's URL: what the sender policy trusts. */
export const RENDERER_URL = 'file:///opt/sfdbtools/resources/app.asar/out/renderer/index.html'

export interface HandlerSession {
  configDir: string
  /** Scratch space of the session (outside the config folder). */
  tmp: string
  /** What the key lookup sees as the environment; change it between calls. */
  env: Record<string, string | undefined>
  platform: NodePlatform
  jobs: TestJobs
  /** Every Result the handlers answered, in order (for "no secret in any answer"). */
  answers: Result<unknown>[]
  call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<Result<IpcResponses[C]>>
  /** Calls and expects ok: the value. */
  value<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponses[C]>
  /** Calls and expects an error Result: the error. */
  failure<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<AppError>
  /** A new handler map over the same platform, as after a restart of the app. */
  restart(): void
  dispose(): Promise<void>
}

export async function startHandlerSession(overrides: Partial<Platform> = {}): Promise<HandlerSession> {
  const base = await mkdtemp(join(tmpdir(), 'sfdb-handlers-'))
  const configDir = join(base, 'config')
  const tmp = join(base, 'tmp')
  await mkdir(tmp)
  const env: Record<string, string | undefined> = {}
  // The app's job history in the session's config folder, as electron/main/index.ts keeps it.
  const jobs = createTestJobs(() => {}, { journalIn: configDir })
  const platform = createNodePlatform({ configDir, jobs, env }, overrides)
  const answers: Result<unknown>[] = []
  const build = () =>
    createIpcDispatch(createHandlers(platform), {
      isTrustedSender: createSenderPolicy(RENDERER_URL),
      logError: (message, error) => console.error(message, error),
    })
  let dispatch = build()
  const call = async <C extends IpcChannel>(channel: C, request: IpcRequest<C>) => {
    const result = await dispatch(RENDERER_URL, channel, request)
    answers.push(result)
    return result as Result<IpcResponses[C]>
  }
  return {
    configDir,
    tmp,
    env,
    platform,
    jobs,
    answers,
    call,
    async value(channel, request) {
      const result = await call(channel, request)
      if (!result.ok) expect.fail(`${channel} failed: [${result.error.code}] ${result.error.message}`)
      return result.value
    },
    async failure(channel, request) {
      const result = await call(channel, request)
      if (result.ok) expect.fail(`${channel} succeeded: ${JSON.stringify(result.value)}`)
      return result.error
    },
    restart() {
      dispatch = build()
    },
    async dispose() {
      await jobs.dispose()
      await rm(base, { recursive: true, force: true })
    },
  }
}

/** A session for the tests of one describe block, disposed after them. */
export function useHandlerSession(overrides: Partial<Platform> = {}): HandlerSession {
  const session = {} as HandlerSession
  beforeAll(async () => {
    Object.assign(session, await startHandlerSession(overrides))
  })
  afterAll(async () => {
    await session.dispose()
  })
  return session
}

export { useKeyring }

/** Fails when any answer so far contains one of the secrets. */
export function expectNoSecretIn(answers: unknown[], secrets: string[]): void {
  const text = JSON.stringify(answers)
  for (const secret of secrets)
    expect(text, 'a secret reached an answer').not.toContain(JSON.stringify(secret).slice(1, -1))
}
