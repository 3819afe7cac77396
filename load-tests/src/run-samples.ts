// Streams one k6 process's request durations into cp_run_samples while it runs: k6 writes every
// metric sample to a CSV file (`--out csv`, flushed each second); this tails the file in bounded
// chunks and inserts the http_req_duration rows, tagged with the run id and segment — the one
// source of a run's exact percentiles (results/run-percentiles.ts), merged across segments by the store.
// A chunk leaves the file only once the store has it (retried with backoff, one deduplication token
// per chunk), so a slow store slows the tail, never loses samples; the file is deleted once whole.
// k6 writes ~1.5 KB per request (a dozen metrics); the stored part's disk blocks are freed as the
// tail goes (fallocate --punch-hole; offsets stay), so a long run's file takes little disk.
import { execFile } from 'node:child_process';
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { RUN_SAMPLE_COLUMNS } from 'collector/query';
import { createK6CsvReader, type K6CsvSample } from './k6-csv.ts';
import { RUN_SAMPLES_TABLE } from './run-store.ts';

/** The slice of the store client the ingest needs. */
export type SampleInsertClient = {
  insert(args: {
    table: string;
    values: unknown[][];
    columns: [string, ...string[]];
    format: 'JSONCompactEachRow';
    clickhouse_settings: { insert_deduplication_token: string };
  }): Promise<unknown>;
};

export type SampleIngestOptions = {
  client: SampleInsertClient;
  runId: string;
  /** The k6 process's execution segment ("0:1/2"); '' for a run of one process. */
  segment: string;
  /** The file k6 writes with `--out csv=<path>`. */
  csvPath: string;
  /** How often the file is checked for new lines. Default 500 ms. */
  pollMs?: number;
  /** Bytes read (and inserted) at a time: the ingest's memory bound. Default 4 MiB. */
  chunkBytes?: number;
  /**
   * Insert attempts per chunk once k6 has exited, before the ingest gives up (the file then stays);
   * while k6 runs a chunk is retried without limit (the file keeps the samples). Default 8.
   */
  attempts?: number;
  /** Delay before the first retry, doubled each time (capped at 10 s). Default 250 ms. */
  retryDelayMs?: number;
  /** Stored bytes after which their disk blocks are freed. Default 64 MiB. */
  punchBytes?: number;
  warn?: (message: string) => void;
};

export type SampleIngestReport = {
  /** http_req_duration samples now in the store. */
  stored: number;
  /** Every sample k6 wrote is in the store. */
  complete: boolean;
  /** Why not complete (the file is then kept for a later import). */
  error?: string;
};

export type SampleIngest = {
  /** Call once k6 has exited: reads the rest of the file, then settles. */
  finish(): Promise<SampleIngestReport>;
};

const WANTED = new Set(['http_req_duration']);
const run = promisify(execFile);

const rowOf = (runId: string, segment: string, s: K6CsvSample): unknown[] => [
  runId,
  segment,
  s.name,
  s.method,
  s.status,
  s.expectedResponse === 'true' ? 1 : 0,
  s.timeMs,
  s.value,
];

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

export function ingestRunSamples(opts: SampleIngestOptions): SampleIngest {
  const pollMs = opts.pollMs ?? 500;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  const attempts = opts.attempts ?? 8;
  const retryDelayMs = opts.retryDelayMs ?? 250;
  const punchBytes = opts.punchBytes ?? 64 * 1024 * 1024;
  let punched = 0;
  const reader = createK6CsvReader(WANTED);
  let exited = false;
  let wake: (() => void) | undefined;
  const report: SampleIngestReport = { stored: 0, complete: false };
  /** Bytes of the file in the store (whole lines). */
  let offset = 0;

  const insert = async (rows: unknown[][], token: string): Promise<void> => {
    // Attempts counted once k6 has exited: a store outage during the run only delays the tail.
    for (let attempt = 1, afterExit = 0; ; attempt++) {
      try {
        await opts.client.insert({
          table: RUN_SAMPLES_TABLE,
          values: rows,
          columns: RUN_SAMPLE_COLUMNS,
          format: 'JSONCompactEachRow',
          clickhouse_settings: { insert_deduplication_token: token },
        });
        return;
      } catch (err) {
        if (exited && ++afterExit >= attempts) throw err;
        if (attempt === 1 || attempt % 10 === 0)
          opts.warn?.(`run ${opts.runId}: samples not stored yet (attempt ${attempt}): ${String(err)}`);
        await sleep(Math.min(10_000, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  };

  /** Frees the disk blocks of the file's stored part; -1 (never again) where that cannot be done. */
  const freeStored = async (upTo: number): Promise<number> => {
    const length = Math.floor(upTo / 4096) * 4096;
    try {
      await run('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), opts.csvPath]);
      return length;
    } catch (err) {
      opts.warn?.(`run ${opts.runId}: stored samples stay on disk until the run ends (${String(err)})`);
      return -1;
    }
  };

  const tail = async (): Promise<void> => {
    const buffer = Buffer.alloc(chunkBytes);
    for (;;) {
      const done = exited;
      const size = await sizeOf(opts.csvPath);
      if (size <= offset) {
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs).unref();
        });
        continue;
      }
      const file = await open(opts.csvPath, 'r');
      let bytes: number;
      try {
        ({ bytesRead: bytes } = await file.read(buffer, 0, Math.min(chunkBytes, size - offset), offset));
      } finally {
        await file.close();
      }
      // Whole lines only; a line still being written waits for the next read (or k6's exit).
      const lastNewline = buffer.lastIndexOf(10, bytes - 1);
      let end = lastNewline + 1;
      if (end === 0) {
        if (bytes === chunkBytes)
          throw new Error(`a line of ${opts.csvPath} is longer than ${chunkBytes} bytes`);
        if (!done) {
          await sleep(pollMs);
          continue;
        }
        end = bytes;
      }
      const rows: unknown[][] = [];
      for (const line of buffer.toString('utf8', 0, end).split('\n')) {
        const read = reader.read(line);
        if (read.type === 'sample') rows.push(rowOf(opts.runId, opts.segment, read.sample));
      }
      if (rows.length > 0) await insert(rows, `${opts.runId}/${opts.segment}/${offset}`);
      report.stored += rows.length;
      offset += end;
      if (punched >= 0 && offset - punched >= punchBytes) punched = await freeStored(offset);
    }
  };

  const done = tail().then(
    async () => {
      report.complete = true;
      await rm(opts.csvPath, { force: true });
    },
    (err: unknown) => {
      report.error = `samples of ${opts.csvPath} from byte ${offset} on not stored: ${err instanceof Error ? err.message : String(err)}`;
      opts.warn?.(`run ${opts.runId}: ${report.error}`);
    },
  );

  return {
    async finish() {
      exited = true;
      wake?.();
      await done;
      return { ...report };
    },
  };
}
