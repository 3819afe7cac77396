// Alert receivers added in the dashboard, in cp_receivers: one row per change of a receiver (the
// newest wins, ReplacingMergeTree by UpdatedAt), a removal is a row with Deleted = 1. The secret is
// only ever written sealed (secret-box.ts); this module never sees it in the clear.
import type { Store } from 'collector';
import type { ReceiverKindName } from '../../lib/receiver-input.ts';
import type { SealedSecret } from './secret-box.ts';

export interface ReceiverConfigJson {
  severity: string | null;
  channel?: string | undefined;
}

export interface StoredReceiver {
  id: string;
  name: string;
  kind: ReceiverKindName;
  config: ReceiverConfigJson;
  sealed: SealedSecret;
  hint: string;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

interface Row {
  ReceiverId: string;
  Name: string;
  Kind: string;
  Config: string;
  SecretCipher: string;
  SecretIv: string;
  SecretTag: string;
  KeyId: string;
  Hint: string;
  CreatedBy: string;
  CreatedAtMs: string | number;
  UpdatedBy: string;
  UpdatedAtMs: string | number;
}

const KINDS = new Set(['webhook', 'slack', 'pagerduty']);

function parseConfig(text: string): ReceiverConfigJson {
  try {
    const value = JSON.parse(text) as { severity?: unknown; channel?: unknown };
    return {
      severity: typeof value.severity === 'string' ? value.severity : null,
      ...(typeof value.channel === 'string' ? { channel: value.channel } : {}),
    };
  } catch {
    return { severity: null };
  }
}

const receiverOf = (row: Row): StoredReceiver | null =>
  KINDS.has(row.Kind)
    ? {
        id: row.ReceiverId,
        name: row.Name,
        kind: row.Kind as ReceiverKindName,
        config: parseConfig(row.Config),
        sealed: { cipher: row.SecretCipher, iv: row.SecretIv, tag: row.SecretTag, keyId: row.KeyId },
        hint: row.Hint,
        createdBy: row.CreatedBy,
        createdAt: Number(row.CreatedAtMs),
        updatedBy: row.UpdatedBy,
        updatedAt: Number(row.UpdatedAtMs),
      }
    : null;

export interface ReceiverStore {
  /** Live receivers (not removed), by name. */
  list(): Promise<StoredReceiver[]>;
  /** Writes the receiver's current state (a new row; the newest wins). */
  save(receiver: StoredReceiver): Promise<void>;
  remove(receiver: StoredReceiver, by: string, at: number): Promise<void>;
}

export function createReceiverStore(client: Store['client']): ReceiverStore {
  async function insert(r: StoredReceiver, deleted: 0 | 1) {
    await client.insert({
      table: 'cp_receivers',
      format: 'JSONEachRow',
      values: [
        {
          ReceiverId: r.id,
          Name: r.name,
          Kind: r.kind,
          Config: JSON.stringify(r.config),
          SecretCipher: r.sealed.cipher,
          SecretIv: r.sealed.iv,
          SecretTag: r.sealed.tag,
          KeyId: r.sealed.keyId,
          Hint: r.hint,
          CreatedBy: r.createdBy,
          CreatedAt: r.createdAt,
          UpdatedBy: r.updatedBy,
          Deleted: deleted,
          UpdatedAt: r.updatedAt,
        },
      ],
    });
  }
  return {
    async list() {
      const result = await client.query({
        query: `SELECT ReceiverId, Name, Kind, Config, SecretCipher, SecretIv, SecretTag, KeyId, Hint, CreatedBy,
                       toUnixTimestamp64Milli(CreatedAt) AS CreatedAtMs, UpdatedBy,
                       toUnixTimestamp64Milli(UpdatedAt) AS UpdatedAtMs
                FROM cp_receivers FINAL WHERE Deleted = 0 ORDER BY Name LIMIT 1000`,
        format: 'JSONEachRow',
      });
      return (await result.json<Row>()).flatMap((row) => receiverOf(row) ?? []);
    },
    save: (receiver) => insert(receiver, 0),
    remove: (receiver, by, at) => insert({ ...receiver, updatedBy: by, updatedAt: at }, 1),
  };
}
