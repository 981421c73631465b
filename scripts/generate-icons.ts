/**
 * Draws the app and tray icons into resources/ (run: bash scripts/with-node.sh node scripts/generate-icons.ts).
 * A tiny supersampling rasteriser over the same 64-unit geometry as renderer/src/components/ProductMark.tsx,
 * so the icons need no image tool and regenerate byte for byte.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

type Rgba = readonly [number, number, number, number]
/** A layer answers the colour it paints at a point of the 64×64 design space, or null. */
type Layer = (x: number, y: number) => Rgba | null

const OUT = join(import.meta.dirname, '..', 'resources')

const hex = (value: string, alpha = 255): Rgba => [
  Number.parseInt(value.slice(1, 3), 16),
  Number.parseInt(value.slice(3, 5), 16),
  Number.parseInt(value.slice(5, 7), 16),
  alpha,
]

const inRoundedRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r))
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r))
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r
}
const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
/** Approximate distance to an ellipse outline (first-order: |f| / |∇f|). */
const ellipseDistance = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => {
  const f = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 - 1
  const gx = (2 * (x - cx)) / (rx * rx)
  const gy = (2 * (y - cy)) / (ry * ry)
  return Math.abs(f) / Math.max(Math.hypot(gx, gy), 1e-9)
}
const segmentDistance = (x: number, y: number, ax: number, ay: number, bx: number, by: number) => {
  const t = Math.min(
    1,
    Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  )
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)))
}
/** The lower half of an ellipse outline drawn with a pen of width w (a disk separator of the cylinder). */
const onLowerArc = (x: number, y: number, cx: number, cy: number, rx: number, ry: number, w: number) =>
  y >= cy - w / 2 &&
  x >= cx - rx - w / 2 &&
  x <= cx + rx + w / 2 &&
  ellipseDistance(x, y, cx, cy, rx, ry) <= w / 2

// ── the app icon (ProductMark) ───────────────────────────────────────────────────────────────────────────
const BLUE_TOP = hex('#2f6fed')
const BLUE_BOTTOM = hex('#1a3f9e')
const WHITE = hex('#ffffff')
const TOP_FACE = hex('#dbe7ff')
const GREEN = hex('#12a36b')

const appIcon: Layer[] = [
  (x, y) => {
    if (!inRoundedRect(x, y, 2, 2, 62, 62, 14)) return null
    const t = Math.min(1, Math.max(0, (x + y - 4) / 116))
    return BLUE_TOP.map((c, i) => Math.round(c + ((BLUE_BOTTOM[i] ?? c) - c) * t)) as unknown as Rgba
  },
  (x, y) => ((x >= 17 && x <= 47 && y >= 19 && y <= 43) || inEllipse(x, y, 32, 43, 15, 6) ? WHITE : null),
  (x, y) => (inEllipse(x, y, 32, 19, 15, 6) ? TOP_FACE : null),
  (x, y) =>
    x > 17 && x < 47 && (onLowerArc(x, y, 32, 27, 15, 6, 2.2) || onLowerArc(x, y, 32, 35, 15, 6, 2.2))
      ? BLUE_TOP
      : null,
  (x, y) => (Math.hypot(x - 46, y - 46) <= 12.25 ? WHITE : null),
  (x, y) => (Math.hypot(x - 46, y - 46) <= 9.75 ? GREEN : null),
  (x, y) =>
    segmentDistance(x, y, 46, 40.5, 46, 50.5) <= 1.3 ||
    segmentDistance(x, y, 41.5, 46.5, 46, 51) <= 1.3 ||
    segmentDistance(x, y, 46, 51, 50.5, 46.5) <= 1.3
      ? WHITE
      : null,
]

// ── tray icons: a bold cylinder silhouette (readable at 16 px), optionally with a "job running" badge ────
const CLEAR: Rgba = [0, 0, 0, 0]

/** `ring`: the badge is a ring, not a disk (the "failed" template, which cannot be told apart by colour). */
function trayIcon(color: Rgba, badge: Rgba | null, ring = false): Layer[] {
  const badgeAt = (x: number, y: number, r: number) => Math.hypot(x - 49, y - 49) <= r
  return [
    (x, y) => {
      const body =
        (x >= 10 && x <= 54 && y >= 12 && y <= 50) ||
        inEllipse(x, y, 32, 12, 22, 8) ||
        inEllipse(x, y, 32, 50, 22, 8)
      if (!body) return null
      // Gaps between the disks (and under the top face) are cut out, so the shape works as a template image.
      const gap =
        onLowerArc(x, y, 32, 12, 22, 8, 4) ||
        onLowerArc(x, y, 32, 25, 22, 8, 4) ||
        onLowerArc(x, y, 32, 38, 22, 8, 4)
      if (badge !== null && badgeAt(x, y, 17)) return CLEAR
      return gap ? CLEAR : color
    },
    (x, y) => (badge !== null && badgeAt(x, y, 13) && !(ring && badgeAt(x, y, 7)) ? badge : null),
  ]
}

// ── rasterising and file formats ─────────────────────────────────────────────────────────────────────────
function render(layers: Layer[], size: number): Buffer {
  const samples = size <= 64 ? 8 : 4
  const rgba = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * 64
          const y = ((py + (sy + 0.5) / samples) / size) * 64
          let colour: Rgba = CLEAR
          for (const layer of layers) colour = layer(x, y) ?? colour
          // Premultiplied accumulation keeps edges against transparency free of dark fringes.
          const alpha = colour[3] / 255
          r += colour[0] * alpha
          g += colour[1] * alpha
          b += colour[2] * alpha
          a += alpha
        }
      }
      const offset = (py * size + px) * 4
      rgba[offset] = a === 0 ? 0 : Math.round(r / a)
      rgba[offset + 1] = a === 0 ? 0 : Math.round(g / a)
      rgba[offset + 2] = a === 0 ? 0 : Math.round(b / a)
      rgba[offset + 3] = Math.round((a / (samples * samples)) * 255)
    }
  }
  return rgba
}

function png(rgba: Buffer, size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Windows .ico with PNG-compressed entries (supported since Windows Vista). */
function ico(images: Map<number, Buffer>): Buffer {
  const entries = [...images]
  const header = Buffer.alloc(6 + 16 * entries.length)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(entries.length, 4)
  let offset = header.length
  entries.forEach(([size, data], index) => {
    const at = 6 + 16 * index
    header.writeUInt8(size >= 256 ? 0 : size, at)
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt16LE(1, at + 4)
    header.writeUInt16LE(32, at + 6)
    header.writeUInt32LE(data.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...entries.map(([, data]) => data)])
}

/** macOS .icns with PNG entries. */
function icns(images: Map<number, Buffer>): Buffer {
  const types: [string, number][] = [
    ['icp4', 16],
    ['icp5', 32],
    ['ic11', 32],
    ['ic12', 64],
    ['ic07', 128],
    ['ic13', 256],
    ['ic08', 256],
    ['ic14', 512],
    ['ic09', 512],
    ['ic10', 1024],
  ]
  const parts = types.map(([type, size]) => {
    const data = images.get(size)
    if (data === undefined) throw new Error(`no ${size}px image for ${type}`)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

// ── outputs ──────────────────────────────────────────────────────────────────────────────────────────────
const appSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const app = new Map(appSizes.map((size) => [size, png(render(appIcon, size), size)]))
const write = (path: string, data: Buffer) => {
  mkdirSync(join(OUT, path, '..'), { recursive: true })
  writeFileSync(join(OUT, path), data)
}

write('icon.png', app.get(1024) as Buffer)
write('icon.icns', icns(app))
write('icon.ico', ico(new Map([16, 24, 32, 48, 64, 128, 256].map((size) => [size, app.get(size) as Buffer]))))
for (const size of [16, 32, 48, 64, 128, 256, 512])
  write(`icons/${size}x${size}.png`, app.get(size) as Buffer)

const trayBlue = hex('#3b7cf0')
const trays: [string, Layer[]][] = [
  ['tray', trayIcon(trayBlue, null)],
  ['tray-busy', trayIcon(trayBlue, GREEN)],
  ['tray-failed', trayIcon(trayBlue, hex('#d93025'))],
  // macOS menu bar: black + alpha, the "Template" suffix lets the system tint it for light and dark bars.
  ['trayTemplate', trayIcon(hex('#000000'), null)],
  ['trayBusyTemplate', trayIcon(hex('#000000'), hex('#000000'))],
  ['trayFailedTemplate', trayIcon(hex('#000000'), hex('#000000'), true)],
]
for (const [name, layers] of trays) {
  write(`tray/${name}.png`, png(render(layers, 16), 16))
  write(`tray/${name}@2x.png`, png(render(layers, 32), 32))
}
console.log(`icons written to ${OUT}`)
