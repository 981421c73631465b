import { describe, expect, it } from 'vitest'
import { parseSubFolderPattern, renderSubFolder } from '../../../electron/engine/backup/sub-folder.ts'

// 2025-01-01 09:08:07 local time: the names are local, as the file names' {date} and {time} are.
const at = new Date(2025, 0, 1, 9, 8, 7)

describe('backup.output.structure.pattern: the dated sub-folder under the output folder', () => {
  it.each([
    ['{date}/', '20250101'],
    ['{year}{month}{day}/', '20250101'],
    ['{year}/{month}/{day}', '2025/01/01'],
    ['daily-{date}_{time}', 'daily-20250101_090807'],
    ['{timestamp}', '20250101_090807'],
    ['{hour}{minute}{second}', '090807'],
    ['', ''],
    ['  ', ''],
  ])('%j gives %j', (pattern, folder) => {
    const parsed = parseSubFolderPattern(pattern)
    expect(parsed.ok).toBe(true)
    expect(renderSubFolder(pattern, at)).toBe(folder)
  })

  it.each(['{weekday}/', '../{date}', '{date}/../..', '/abs/{date}', 'a\\{date}', '{date}//x'])(
    'refuses %j',
    (pattern) => {
      expect(parseSubFolderPattern(pattern).ok).toBe(false)
      expect(() => renderSubFolder(pattern, at)).toThrow(/structure\.pattern/)
    },
  )
})
