/** How a job reaches a server: address, account, TLS files and the SSH tunnel. Holds secrets (passwords). */
import { z } from 'zod'
import { tlsModeSchema } from './backup-types.ts'

export const connectionSchema = z.object({
  host: z.string(),
  port: z.number().int().min(0).max(65535),
  user: z.string(),
  password: z.string(),
  socket: z.string().optional(),
  /** The database is reached through this SSH server (host/port above are as seen from it). */
  ssh: z
    .object({
      host: z.string(),
      port: z.number().int(),
      user: z.string(),
      password: z.string(),
      identityFile: z.string(),
      localPort: z.number().int(),
      knownHostsFile: z.string(),
      /** Skip the host key check (an explicit choice, never a default). */
      insecure: z.boolean(),
    })
    .optional(),
  /** PEM files are given as paths; the job reads them. */
  tls: z
    .object({
      mode: tlsModeSchema,
      ca: z.string().optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
    })
    .optional(),
})
export type ConnectionSettings = z.infer<typeof connectionSchema>
