import { spawn } from 'node:child_process'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A small seeded PRNG (mulberry32): the fixtures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST = ['Adi', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fajar', 'Gita', 'Hadi', 'Indah', 'Joko', 'Kartika']
const LAST = ['Santoso', 'Wijaya', 'Pratama', 'Saputra', 'Hidayat', 'Nugroho', 'Lestari', 'Kusuma', 'Putri']
const CITIES = ['Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Semarang', 'Makassar', 'Denpasar', 'Yogyakarta']
const STATUS = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED']
const WORDS = (
  'the of and to in is for on with as by at from this that order item customer payment delivery address ' +
  'please call before arrival fragile handle with care leave at the front door gift wrap invoice needed ' +
  'express standard return exchange warranty discount voucher promo member points shipped packed late'
).split(' ')

/**
 * Text shaped like a mariadb-dump file: a header, then extended INSERT lines of about 16 KiB with
 * sequential ids, dates, names, amounts, a random token and some free text. Compresses about like a real
 * dump (gzip -6 ≈ 4–5×), but is not trivially repetitive.
 */
export function generateSqlDump(bytes: number, seed = 1): Buffer {
  const rnd = seededRandom(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const pad = (n: number): string => String(n).padStart(2, '0')
  const parts: string[] = ['-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n--\n-- Host: localhost\n\n']
  let size = parts[0]?.length ?? 0
  let id = 1
  while (size < bytes) {
    let line = 'INSERT INTO `orders` VALUES '
    while (line.length < 16_000) {
      const first = pick(FIRST)
      const last = pick(LAST)
      const date = `2024-${pad(1 + Math.floor(rnd() * 12))}-${pad(1 + Math.floor(rnd() * 28))} ${pad(Math.floor(rnd() * 24))}:${pad(Math.floor(rnd() * 60))}:${pad(Math.floor(rnd() * 60))}`
      const token = Math.floor(rnd() * 2 ** 32).toString(16)
      const words = Array.from({ length: 2 + Math.floor(rnd() * 10) }, () => pick(WORDS)).join(' ')
      const note = rnd() < 0.2 ? 'NULL' : `'${words}'`
      const amount = (rnd() * 5_000_000).toFixed(2)
      line += `(${id++},'${date}','${first} ${last}','${first.toLowerCase()}.${last.toLowerCase()}@example.com','Jl. ${pick(LAST)} No. ${1 + Math.floor(rnd() * 200)}, ${pick(CITIES)}',${amount},'${pick(STATUS)}','${token}',${note}),`
    }
    line = line.slice(0, -1) + ';\n'
    parts.push(line)
    size += line.length
  }
  return Buffer.from(parts.join('')).subarray(0, bytes)
}

/** Streams `data` in pieces of random sizes (1 byte .. maxChunk), as a pipe would deliver it. */
export function randomChunks(data: Buffer, seed = 7, maxChunk = 200_000): Readable {
  const rnd = seededRandom(seed)
  let offset = 0
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null)
        return
      }
      const size = 1 + Math.floor(rnd() ** 3 * maxChunk) // mostly small writes, some big ones
      this.push(data.subarray(offset, offset + size))
      offset += size
    },
  })
}

/** Pipes `data` (in random chunk sizes) through `transform` and returns everything it wrote. */
export async function runThrough(transform: Transform, data: Buffer, seed = 7): Promise<Buffer> {
  const parts: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk)
      callback()
    },
  })
  await pipeline(randomChunks(data, seed), transform, sink)
  return Buffer.concat(parts)
}

/** Runs a real command-line tool with `input` on stdin. */
export function runTool(
  command: string,
  args: string[],
  input: Buffer,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }),
    )
    child.stdin.on('error', () => {}) // a tool that rejects its input may close stdin early
    child.stdin.end(input)
  })
}
