// The CLI's exit codes (load-tests/README.md lists them). A local k6 run without a server keeps
// k6's own exit code instead (99: thresholds failed).
export const CLI_EXIT = {
  /** The command did what was asked; a run finished with every threshold passed. */
  ok: 0,
  /** A run failed, was aborted or failed its thresholds; a comparison found a regression. */
  failed: 1,
  /** Bad arguments (nothing was sent). */
  usage: 2,
  /** The server could not be reached, refused the token (401) or its role (403), or failed (5xx). */
  server: 3,
  /** No such run, scenario, schedule, experiment, receiver or user (404). */
  notFound: 4,
} as const;
export type CliExit = (typeof CLI_EXIT)[keyof typeof CLI_EXIT];

/** Where a usage error points, on the same line. */
export const HELP = '(cli.ts --help for usage)';
