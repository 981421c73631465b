/**
 * Benchmarks (not tests), each on a private mariadbd, as ratios to a shell baseline in the same run:
 *
 *   npm run bench -- [--size-mb 1000] [--runs 3]            backup single vs mariadb-dump | zstd
 *   npm run bench -- restore [--size-mb 500] [--runs 5]     restore single vs zstd -dc | mariadb
 *   npm run bench -- workloads [--runs 5] [--small 20]      a mid-size database (zstd, none) and many small
 *                                                           ones in primary mode vs the shell, dry-run time
 */
if (process.argv[2] === 'restore') {
  process.argv.splice(2, 1)
  await import('./bench-restore.ts')
} else if (process.argv[2] === 'workloads') {
  process.argv.splice(2, 1)
  await import('./bench-workloads.ts')
} else {
  await import('./bench-backup.ts')
}

export {}
