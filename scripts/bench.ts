/**
 * Benchmarks (not tests), each on a private mariadbd, as ratios to a shell baseline in the same run:
 *
 *   npm run bench -- [--size-mb 1000] [--runs 3]            backup single vs mariadb-dump | zstd
 *   npm run bench -- restore [--size-mb 500] [--runs 5]     restore single vs zstd -dc | mariadb
 */
if (process.argv[2] === 'restore') {
  process.argv.splice(2, 1)
  await import('./bench-restore.ts')
} else {
  await import('./bench-backup.ts')
}

export {}
