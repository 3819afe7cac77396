// The collector's on-disk queue: batches the store could not take are appended here (fsync'd
// before anyone is acknowledged) and replayed in order later. Segment files of framed records
// (magic, length, crc32, JSON payload); cursor.json says how far the replayer got and which replay
// plan (records merged into one insert, and its token) it is working on. A plan is fsync'd before
// its insert, so after a crash the same records are replayed with the same token; the commit that
// follows need not be fsync'd: a lagging cursor only repeats a plan the store has already seen.
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../write/row-columns.ts';
import { encodeFrame, readFrame, scanSegments, segmentName, syncDirectory } from './segment-file.ts';

export interface QueueRecord {
  table: string;
  /** insert_deduplication_token of the batch: replaying it twice stores it once. */
  token: string;
  rows: Row[];
  /** A direct insert of this batch was tried and may have landed: replay it alone, with its token. */
  attempted?: boolean;
}

/** The records the replayer is inserting: the first `count` ones, under one token. */
export interface ReplayPlan {
  count: number;
  token: string;
}

export interface DiskQueueOptions {
  /** Bound on the bytes waiting to be replayed; appends beyond it fail with QueueFullError. */
  maxBytes?: number;
  segmentBytes?: number;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Position {
  segment: number;
  offset: number;
  length: number;
  rows: number;
  attempted: boolean;
  /** The record as appended by this process, kept while the cache has room: no read back. */
  record?: QueueRecord;
}

/** Frame bytes of appended records kept in memory for the replayer (the rest is read back); small,
 * since rows as objects take a few times their JSON size and a full queue holds far more. */
const CACHE_MAX_BYTES = 16 * 1024 * 1024;

interface Cursor {
  segment: number;
  offset: number;
  plan: ReplayPlan | null;
}

export class DiskQueue {
  readonly dir: string;
  readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly index: Position[] = [];
  private reserved = 0;
  private bytes = 0;
  private writeSegment = 0;
  private oldestSegment = 0;
  private writeOffset = 0;
  private writer: FileHandle | undefined;
  private cachedBytes = 0;
  private waiting: {
    frame: Buffer;
    record: QueueRecord;
    rows: number;
    attempted: boolean;
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];
  private flushing: Promise<void> | undefined;
  private listeners: (() => void)[] = [];
  /** Records found corrupt on open (torn tail after a crash, or damaged files). */
  corruptRecords = 0;

  private constructor(dir: string, options: DiskQueueOptions) {
    this.dir = dir;
    this.maxBytes = options.maxBytes ?? 1024 * 1024 * 1024;
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  }

  static async open(dir: string, options: DiskQueueOptions = {}): Promise<DiskQueue> {
    const queue = new DiskQueue(dir, options);
    mkdirSync(dir, { recursive: true });
    queue.recover();
    queue.writer = await open(join(dir, segmentName(queue.writeSegment)), 'a');
    // The new segment's name is durable before any record in it is acknowledged.
    await syncDirectory(dir);
    return queue;
  }

  get pendingBytes(): number {
    return this.bytes;
  }
  get pendingRecords(): number {
    return this.index.length;
  }
  get pendingRows(): number {
    return this.index.reduce((n, p) => n + p.rows, 0);
  }
  /** Full from the first refused append until the replayer drains something. */
  get full(): boolean {
    return (this.refusing && this.index.length > 0) || this.bytes + this.reserved >= this.maxBytes;
  }
  private refusing = false;

  /** Resolves once the record is on disk (fsync'd); only then may its data be acknowledged. */
  append(record: QueueRecord): Promise<void> {
    const frame = encodeFrame(record);
    if (this.bytes + this.reserved + frame.length > this.maxBytes) {
      this.refusing = true;
      return Promise.reject(new QueueFullError(`on-disk queue full (${this.maxBytes} bytes)`));
    }
    this.reserved += frame.length;
    const done = new Promise<void>((resolve, reject) =>
      this.waiting.push({
        frame,
        record,
        rows: record.rows.length,
        attempted: record.attempted === true,
        resolve,
        reject,
      }),
    );
    if (!this.flushing) this.flushing = this.groupCommit();
    return done;
  }

  /** Writes and fsyncs every waiting record in one go (group commit), then wakes the replayer. */
  private async groupCommit(): Promise<void> {
    while (this.waiting.length > 0) {
      const round = this.waiting;
      this.waiting = [];
      const size = round.reduce((n, w) => n + w.frame.length, 0);
      try {
        const writer = this.writer;
        if (!writer) throw new Error('queue closed');
        await writer.writev(round.map((w) => w.frame));
        await writer.datasync();
        let offset = this.writeOffset;
        for (const w of round) {
          const cached = this.cachedBytes + w.frame.length <= CACHE_MAX_BYTES;
          if (cached) this.cachedBytes += w.frame.length;
          this.index.push({
            segment: this.writeSegment,
            offset,
            length: w.frame.length,
            rows: w.rows,
            attempted: w.attempted,
            ...(cached ? { record: w.record } : {}),
          });
          offset += w.frame.length;
        }
        this.writeOffset = offset;
        this.bytes += size;
        this.reserved -= size;
        for (const w of round) w.resolve();
        if (this.writeOffset >= this.segmentBytes) await this.rotate();
      } catch (error) {
        this.reserved -= size;
        for (const w of round) w.reject(error);
      }
      for (const listener of this.listeners.splice(0)) listener();
    }
    this.flushing = undefined;
  }

  private async rotate(): Promise<void> {
    await this.writer?.close();
    this.writeSegment++;
    this.writeOffset = 0;
    this.writer = await open(join(this.dir, segmentName(this.writeSegment)), 'a');
    await syncDirectory(this.dir);
  }

  /** The plan found in cursor.json on open: a replay that may have reached the store. */
  recoveredPlan: ReplayPlan | null = null;

  /**
   * The next records to replay as one insert: a batch whose direct insert was tried goes alone
   * (its own token may already be in the store); otherwise up to maxRecords / maxRows in a row.
   */
  nextRun(maxRecords: number, maxRows: number): number {
    const head = this.index[0];
    if (!head) return 0;
    if (head.attempted) return 1;
    let count = 0;
    let rows = 0;
    for (const p of this.index) {
      if (p.attempted || count >= maxRecords || (count > 0 && rows + p.rows > maxRows)) break;
      count++;
      rows += p.rows;
    }
    return count;
  }

  /** Reads the oldest `count` records not yet replayed. */
  peek(count = 1): QueueRecord[] {
    const records: QueueRecord[] = [];
    for (const p of this.index.slice(0, count))
      records.push(
        p.record ?? readFrame<QueueRecord>(join(this.dir, segmentName(p.segment)), p.offset, p.length),
      );
    return records;
  }

  /** Makes the plan durable before its insert starts (fsync'd). */
  async savePlan(plan: ReplayPlan): Promise<void> {
    const head = this.index[0];
    if (!head) return;
    await this.writeCursor({ segment: head.segment, offset: head.offset, plan }, true);
  }

  /** Marks the oldest `count` records replayed and deletes segments nothing points into any more. */
  async commit(count = 1): Promise<void> {
    const done = this.index.splice(0, count);
    const last = done.at(-1);
    if (!last) return;
    this.refusing = false;
    for (const p of done) {
      this.bytes -= p.length;
      if (p.record) this.cachedBytes -= p.length;
    }
    const next = this.index[0] ?? { segment: last.segment, offset: last.offset + last.length };
    await this.writeCursor({ segment: next.segment, offset: next.offset, plan: null }, false);
    for (; this.oldestSegment < next.segment; this.oldestSegment++)
      rmSync(join(this.dir, segmentName(this.oldestSegment)), { force: true });
  }

  private async writeCursor(cursor: Cursor, durable: boolean): Promise<void> {
    const tmp = join(this.dir, 'cursor.json.tmp');
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(JSON.stringify(cursor));
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    renameSync(tmp, join(this.dir, 'cursor.json'));
    // A plan must not revert to the cursor before it (its records would be replayed under a new token).
    if (durable) await syncDirectory(this.dir);
  }

  /** Moves the oldest `count` records aside (a batch the store refuses for good), keeping them. */
  async deadLetter(count: number, reason: string): Promise<void> {
    mkdirSync(join(this.dir, 'dead-letter'), { recursive: true });
    for (const record of this.peek(count))
      await writeFile(
        join(this.dir, 'dead-letter', `${record.token}.json`),
        JSON.stringify({ reason, record }),
      );
    await this.commit(count);
  }

  /** Calls back once new records are durable (the replayer's wake-up). */
  onAppend(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.writer?.close();
    this.writer = undefined;
  }

  /** Rebuilds the index from the cursor onwards; a torn or corrupt tail is cut off. */
  private recover(): void {
    let cursor: Cursor = { segment: 0, offset: 0, plan: null };
    try {
      cursor = JSON.parse(readFileSync(join(this.dir, 'cursor.json'), 'utf8'));
    } catch {}
    this.recoveredPlan = cursor.plan ?? null;
    this.oldestSegment = cursor.segment;
    const scanned = scanSegments<QueueRecord>(this.dir, cursor);
    for (const { segment, offset, length, record } of scanned.frames) {
      this.index.push({
        segment,
        offset,
        length,
        rows: record.rows.length,
        attempted: record.attempted === true,
      });
      this.bytes += length;
    }
    this.corruptRecords += scanned.corrupt;
    // New records always go to a fresh segment, so a torn tail is never appended to.
    this.writeSegment = (scanned.lastSegment ?? -1) + 1;
    this.writeOffset = 0;
  }
}
