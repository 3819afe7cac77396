// Idempotent acknowledgement: an OTLP client whose request timed out must send it again, and the
// first copy may well have been stored meanwhile. The ledger keeps a digest of every acknowledged
// request (signal + decompressed body) with its answer for `windowMs`; a request seen before is
// answered the same way without storing it again, and one whose first copy is still being stored
// waits for that outcome. Entries are appended to a file beside the on-disk queue, so the window
// survives a restart (and a crash of the process: the append is in the OS's page cache before the
// answer goes out; only a power loss can lose the last entries).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a repeat of an acknowledged request is answered: the first copy's partial success. */
export interface LedgerAnswer {
  rejected: number;
  message: string;
}

export interface RequestLedgerOptions {
  /** How long a request is remembered (default 15 min: OTLP clients retry for up to 5 min by default). */
  windowMs?: number;
  /** Most requests remembered; the oldest go first (default 200,000, ~40 MB). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  answer: LedgerAnswer;
}

export const LEDGER_FILE = 'acknowledged-requests.jsonl';

export class RequestLedger {
  private readonly acknowledged = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<LedgerAnswer>>();
  private readonly file: string;
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private linesInFile = 0;
  /** Repeats answered from the ledger (self-telemetry). */
  repeats = 0;

  constructor(dir: string, options: RequestLedgerOptions = {}) {
    this.file = join(dir, LEDGER_FILE);
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxEntries = options.maxEntries ?? 200_000;
    this.now = options.now ?? Date.now;
    this.load();
  }

  static digest(signal: string, body: Buffer): string {
    return createHash('sha256').update(signal).update('\0').update(body).digest('base64url');
  }

  get size(): number {
    return this.acknowledged.size;
  }

  /**
   * Runs `store` once per digest within the window: a repeat gets the first copy's answer, a copy
   * arriving while the first is being stored waits for it. A failed store is forgotten (the
   * client's next try stores it).
   */
  async once(digest: string, store: () => Promise<LedgerAnswer>): Promise<LedgerAnswer> {
    const known = this.acknowledged.get(digest);
    if (known && known.at > this.now() - this.windowMs) {
      this.repeats++;
      return known.answer;
    }
    const running = this.inFlight.get(digest);
    if (running) {
      const answer = await running;
      this.repeats++;
      return answer;
    }
    const work = store();
    this.inFlight.set(digest, work);
    try {
      const answer = await work;
      this.record(digest, { at: this.now(), answer });
      return answer;
    } finally {
      this.inFlight.delete(digest);
    }
  }

  private record(digest: string, entry: Entry): void {
    this.remember(digest, entry);
    appendFileSync(this.file, `${JSON.stringify({ d: digest, ...entry })}\n`);
    this.linesInFile++;
    // Rewrite the file once it holds twice what is still remembered.
    if (this.linesInFile > 1_000 && this.linesInFile > 2 * this.acknowledged.size) this.compact();
  }

  private remember(digest: string, entry: Entry): void {
    this.acknowledged.delete(digest);
    this.acknowledged.set(digest, entry);
    const oldestAllowed = this.now() - this.windowMs;
    for (const [key, value] of this.acknowledged) {
      if (this.acknowledged.size <= this.maxEntries && value.at > oldestAllowed) break;
      this.acknowledged.delete(key);
    }
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        const { d, at, answer } = JSON.parse(line) as { d: string; at: number; answer: LedgerAnswer };
        if (typeof d === 'string' && typeof at === 'number' && answer) this.remember(d, { at, answer });
      } catch {
        // A line cut short by a crash: that request's repeat is stored again, as before the ledger.
      }
    }
    this.compact();
  }

  private compact(): void {
    const lines = [...this.acknowledged].map(([d, entry]) => `${JSON.stringify({ d, ...entry })}\n`);
    writeFileSync(`${this.file}.tmp`, lines.join(''));
    renameSync(`${this.file}.tmp`, this.file);
    this.linesInFile = lines.length;
  }
}
