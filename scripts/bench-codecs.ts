// Throughput of the compression codecs on SQL-like data fed in 64 KiB writes (a dump's pipe reads).
// Usage: bash scripts/with-node.sh node scripts/bench-codecs.ts [MB=200] [filter]
// Prints MB/s of input, the CPU used (cores) and the ratio. Compare numbers within one run only.
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { CodecStream } from '../electron/engine/codecs/codec-stream.ts'
import { createCompressor, createDecompressor } from '../electron/engine/codecs/compression-streams.ts'
import { createPgzipCompressor } from '../electron/engine/codecs/pgzip.ts'
import { generateSqlDump } from '../test/unit/codecs/codec-fixtures.ts'

const MiB = 1 << 20
const totalMB = Number(process.argv[2] ?? 200)
const filter = process.argv[3] ?? ''
const sample = generateSqlDump(32 * MiB)

/** `bytes` of the sample, cycled, as 64 KiB views (no copies: the source costs next to nothing). */
function source(bytes: number, piece = 64 * 1024): Readable {
  let sent = 0
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null)
      const at = sent % sample.length
      const chunk = sample.subarray(at, Math.min(at + piece, sample.length, at + bytes - sent))
      sent += chunk.length
      this.push(chunk)
    },
  })
}

function sink(): { stream: Writable; bytes: () => number } {
  let n = 0
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      n += chunk.length
      cb()
    },
  })
  return { stream, bytes: () => n }
}

async function measure(name: string, bytes: number, stages: () => Transform[]): Promise<void> {
  if (!name.includes(filter)) return
  const out = sink()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await pipeline([source(bytes), ...stages(), out.stream])
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cores = (cpu.user + cpu.system) / 1e6 / seconds
  const line = `${name.padEnd(40)} ${(bytes / 1e6 / seconds).toFixed(1).padStart(7)} MB/s  cpu ${cores.toFixed(2)} cores  ratio ${(bytes / out.bytes()).toFixed(2)}`
  console.log(line)
}

const N = totalMB * 1e6
const zstd = (level: number, chunkSize?: number): Transform =>
  zlib.createZstdCompress({
    ...(chunkSize === undefined ? {} : { chunkSize }),
    params: { [zlib.constants.ZSTD_c_compressionLevel]: level },
  })
const plain = (s: Transform): Transform => new CodecStream(s, { mapError: (e) => e })

console.log(`node ${process.version}, ${totalMB} MB per run, 64 KiB writes`)
for (const level of [1, 3]) {
  await measure(`zstd -${level} node raw`, N, () => [zstd(level)])
  await measure(`zstd -${level} chunkSize 256K`, N, () => [zstd(level, 256 * 1024)])
  await measure(`zstd -${level} createCompressor`, N, () => [createCompressor('zstd', level)])
}
// Output chunk size of gzip/zlib left at node's default here except where named.
for (const [type, make] of [
  ['gzip', (o: zlib.ZlibOptions) => zlib.createGzip(o)],
  ['zlib', (o: zlib.ZlibOptions) => zlib.createDeflate(o)],
] as const) {
  await measure(`${type} -6 node raw`, N / 2, () => [make({ level: 6 })])
  await measure(`${type} -6 chunkSize 256K`, N / 2, () => [make({ level: 6, chunkSize: 256 * 1024 })])
  await measure(`${type} -6 chunkSize 256K wrapped`, N / 2, () => [
    plain(make({ level: 6, chunkSize: 256 * 1024 })),
  ])
  await measure(`${type} -6 createCompressor`, N / 2, () => [createCompressor(type, 6)])
}
for (const level of [1, 6, 9]) {
  await measure(`gzip -${level} createCompressor`, N / 2, () => [createCompressor('gzip', level)])
  await measure(`pgzip -${level} createCompressor`, N / 2, () => [createCompressor('pgzip', level)])
}
for (const parallelism of [1, 2, 3, 4]) {
  await measure(`pgzip -6 parallelism ${parallelism}`, N / 2, () => [
    createPgzipCompressor(6, { parallelism }),
  ])
}
await measure(`xz -1 createCompressor`, N / 4, () => [createCompressor('xz', 1)])
await measure(`xz -6 createCompressor`, 64 * MiB, () => [createCompressor('xz', 6)])

// Decompression: restore and verify read the file in 64 KiB pieces.
const rawDecoders = {
  gzip: (o: { chunkSize?: number }) => zlib.createGunzip(o),
  zlib: (o: { chunkSize?: number }) => zlib.createInflate(o),
  zstd: (o: { chunkSize?: number }) => zlib.createZstdDecompress(o),
} as const
for (const type of ['gzip', 'zlib', 'zstd', 'xz'] as const) {
  if (!`${type} decompress`.includes(filter)) continue
  const input = sample.subarray(0, 32 * MiB)
  const parts: Buffer[] = []
  await pipeline(
    source(input.length),
    createCompressor(type, type === 'xz' ? 1 : 6),
    new Writable({ write: (c: Buffer, _e, cb) => (parts.push(c), cb()) }),
  )
  const packed = Buffer.concat(parts)
  const variants: [string, () => Transform][] = [
    [`${type} decompress createDecompressor`, () => createDecompressor(type)],
  ]
  if (type !== 'xz') {
    const raw = rawDecoders[type]
    variants.push(
      [`${type} decompress node raw`, () => raw({})],
      [`${type} decompress raw chunkSize 64K`, () => raw({ chunkSize: 65536 })],
    )
  }
  for (const [name, make] of variants) {
    const t0 = performance.now()
    const out = sink()
    await pipeline(Readable.from(chunksOf(packed, 64 * 1024)), make(), out.stream)
    const seconds = (performance.now() - t0) / 1000
    console.log(`${name.padEnd(40)} ${(out.bytes() / 1e6 / seconds).toFixed(1).padStart(7)} MB/s of output`)
  }
}

function* chunksOf(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size)
}
