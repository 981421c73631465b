// The compression codecs (reference §14): what other engine modules may use.
export {
  DEFAULT_COMPRESSION,
  compressionExtension,
  compressionLevelRange,
  detectCompression,
  validateCompression,
} from './compression-options.ts'
export type { CompressionChoice } from './compression-options.ts'
export { createCompressor, createDecompressor } from './compression-streams.ts'
export { codecFromMagic, createSniffingDecompressor } from './sniff.ts'
