import { z } from 'zod'

/**
 * Offsite destinations: configured once (`sfdbtools destination add-folder|add-sftp`), named per run
 * (`--copy-to NAME`). Stored in `destinations.json` of the config folder. Never holds a secret: an SFTP
 * password lives in the OS keychain (kind `sftp-password`, account `sftp-password:<name>`).
 */
export const destinationNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, ".", "_" or "-", at most 64, not starting with a dot',
  )

export const folderDestinationSchema = z.strictObject({
  kind: z.literal('folder'),
  name: destinationNameSchema,
  /** An absolute path: a local disk or a mounted NAS/SMB share. */
  path: z.string().min(1),
})

export const sftpDestinationSchema = z.strictObject({
  kind: z.literal('sftp'),
  name: destinationNameSchema,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  /** The remote folder the files go to. */
  path: z.string().min(1),
  auth: z.enum(['password', 'key']),
  /** The private key file (auth 'key'). */
  identityFile: z.string().min(1).optional(),
})

export const destinationSchema = z.discriminatedUnion('kind', [
  folderDestinationSchema,
  sftpDestinationSchema,
])
export type Destination = z.infer<typeof destinationSchema>
export type FolderDestination = z.infer<typeof folderDestinationSchema>
export type SftpDestination = z.infer<typeof sftpDestinationSchema>

export const destinationsFileSchema = z.strictObject({
  version: z.literal(1),
  destinations: z.array(destinationSchema),
})
export type DestinationsFile = z.infer<typeof destinationsFileSchema>

/** One verified copy of a backup, as recorded in its `.meta.json` (`copies`). Never holds a secret. */
export interface OffsiteCopy {
  destination: string
  url: string
  verified_at: string
}
