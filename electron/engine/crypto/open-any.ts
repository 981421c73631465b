import { EngineError } from '../errors.ts'
import type { ContainerFormat } from './container-format.ts'
import { createDecryptStream, DEFAULT_MAX_BUFFERED_BYTES } from './decrypt-stream.ts'

/**
 * Opens a whole file held in memory, whatever sfDBTools container it is (chunked V3/V2, single-shot
 * 600k/100k, legacy L0b): the decrypt stream run over one buffer, so detection, strictness and error
 * codes are exactly those of the streaming reader. Meant for profiles and other small files.
 */
export async function decryptAnyBuffer(
  data: Buffer,
  passphrase: string,
): Promise<{ plaintext: Buffer; format: ContainerFormat }> {
  // The data is already in memory, so the buffering limit only has to admit it.
  const stream = createDecryptStream(passphrase, {
    maxBufferedBytes: Math.max(data.length, DEFAULT_MAX_BUFFERED_BYTES),
  })
  stream.end(data)
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  const format = stream.detectedFormat
  if (format === undefined) throw new EngineError('Internal', 'the decrypt stream ended without a format')
  return { plaintext: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), format }
}
