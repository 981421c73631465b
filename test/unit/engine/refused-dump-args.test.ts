import { describe, expect, it } from 'vitest'
import { buildDumpArgs } from '../../../electron/engine/dump/dump-args.ts'
import { checkExtraDumpArgs, refusedDumpArgument } from '../../../electron/engine/dump/refused-args.ts'

describe('extra dump arguments that are refused', () => {
  it('refuses output redirections and credential, server and TLS changes in every spelling', () => {
    const refused: [string, string][] = [
      ['--result-file=/tmp/x.sql', '--result-file'],
      ['--result_file=/tmp/x.sql', '--result-file'],
      ['--loose-result-file=/tmp/x.sql', '--result-file'],
      ['--result', '--result-file'],
      ['-r', '-r (--result-file)'],
      ['-r/tmp/x.sql', '-r (--result-file)'],
      ['-qr/tmp/x.sql', '-r (--result-file)'],
      ['--tab=/tmp', '--tab'],
      ['-T/tmp', '-T (--tab)'],
      ['--dir=/tmp/d', '--dir'],
      ['--user=root', '--user'],
      ['-uroot', '-u (--user)'],
      ['--password=x', '--password'],
      ['-px', '-p (--password)'],
      ['--defaults-file=/etc/x.cnf', '--defaults-file'],
      ['--defaults-extra-file=/tmp/y', '--defaults-extra-file'],
      ['--no-defaults', '--no-defaults'],
      ['--login-path=prod', '--login-path'],
      ['--host=elsewhere', '--host'],
      ['-P3307', '-P (--port)'],
      ['--skip-ssl', '--ssl'],
      ['--ssl-verify-server-cert=0', '--ssl-verify-server-cert'],
      ['--debug=d:t:o,/tmp/trace', '--debug'],
    ]
    for (const [arg, option] of refused) expect(refusedDumpArgument(arg)?.option, arg).toBe(option)
  })

  it('lets ordinary options through, and database names after --', () => {
    for (const arg of [
      '--skip-comments',
      '--compact',
      '--tables',
      '--no-data',
      '--max-allowed-packet=1G',
      '--where=id>1',
      '-w',
      '-wuser=1',
      '--skip-lock-tables',
      '--debug-info',
      '-q',
      'app_db',
    ]) {
      expect(refusedDumpArgument(arg), arg).toBeNull()
    }
    expect(() => checkExtraDumpArgs(['--skip-comments', '--', '-r'])).not.toThrow()
  })

  it('names the argument in the error, and buildDumpArgs never builds a refused one', () => {
    expect(() => checkExtraDumpArgs(['--skip-comments', '-r', '/tmp/x'])).toThrow(
      /the extra dump argument '-r' .* is refused: -r \(--result-file\) writes the dump outside the backup pipeline/,
    )
    expect(() =>
      buildDumpArgs({
        binary: { flavor: 'mariadb', version: '10.11.19' },
        serverFlavor: 'mariadb',
        databases: ['app'],
        excludeData: false,
        extraArgs: ['--user=root'],
      }),
    ).toThrow(/'--user=root' .* is refused: --user changes the credentials/)
  })
})
