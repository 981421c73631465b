/**
 * Vitest global setup: one private mariadbd for the whole test run, shared by the integration and e2e
 * projects through `inject('mariadb')`.
 */
import type { TestProject } from 'vitest/node'
import { startPrivateServer, stopPrivateServer, type PrivateServer } from './mariadb.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    mariadb: PrivateServer
  }
}

let server: PrivateServer | undefined

export async function setup(project: TestProject): Promise<void> {
  server = await startPrivateServer()
  project.provide('mariadb', server)
}

export async function teardown(): Promise<void> {
  if (server) await stopPrivateServer(server)
}
