// SQL for silences (cp_silences) and acknowledgements (cp_alert_acks). Both tables are
// ReplacingMergeTree on a version column, so a change is a new row with a newer version; reads
// take the newest row per id with argMax (callers keep versions strictly increasing).
import type { Store } from 'collector';
import { z } from 'zod';
import type { Matcher } from '../notify/routing-config.ts';
import { type Acknowledgement, type Silence, silenceProblem } from '../silence/silence.ts';

type Client = Store['client'];

export async function writeSilence(client: Client, s: Silence): Promise<void> {
  await client.insert({
    table: 'cp_silences',
    values: [
      {
        Id: s.id,
        Matchers: JSON.stringify(s.matchers),
        StartsAt: s.startsAt,
        EndsAt: s.endsAt,
        CreatedBy: s.createdBy,
        Comment: s.comment,
        UpdatedAt: s.updatedAt,
      },
    ],
    format: 'JSONEachRow',
  });
}

/** Every silence, its newest version; `since` drops those that ended before it. */
export async function readSilences(client: Client, since = 0): Promise<Silence[]> {
  const result = await client.query({
    query: `SELECT Id AS id, argMax(Matchers, UpdatedAt) AS matchers,
        toUnixTimestamp64Milli(argMax(StartsAt, UpdatedAt)) AS startsAt,
        toUnixTimestamp64Milli(argMax(EndsAt, UpdatedAt)) AS endsAt,
        argMax(CreatedBy, UpdatedAt) AS createdBy, argMax(Comment, UpdatedAt) AS comment,
        toUnixTimestamp64Milli(max(UpdatedAt)) AS updatedAt
      FROM cp_silences GROUP BY Id
      HAVING endsAt >= {since:Int64}
      ORDER BY startsAt DESC, id`,
    query_params: { since },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => {
    const { matchers, problem } = storedMatchers(String(r.matchers));
    return {
      id: String(r.id),
      matchers,
      startsAt: Number(r.startsAt),
      endsAt: Number(r.endsAt),
      createdBy: String(r.createdBy),
      comment: String(r.comment),
      updatedAt: Number(r.updatedAt),
      ...(problem === null ? {} : { problem }),
    };
  });
}

const storedMatcherList = z.array(
  z.object({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() }),
);

/**
 * A row's matchers, judged again on the way in: rows written before patterns were checked with RE2
 * (or by hand) load as silences that match nothing, with the reason, instead of failing the load.
 */
function storedMatchers(json: string): { matchers: Matcher[]; problem: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { matchers: [], problem: 'its stored matchers are not JSON: this silence matches nothing' };
  }
  const checked = storedMatcherList.safeParse(parsed);
  if (!checked.success)
    return { matchers: [], problem: 'its stored matchers are malformed: this silence matches nothing' };
  return { matchers: checked.data, problem: silenceProblem({ matchers: checked.data }) };
}

export async function writeAck(client: Client, ack: Acknowledgement & { cleared: boolean }): Promise<void> {
  await client.insert({
    table: 'cp_alert_acks',
    values: [
      {
        Fingerprint: ack.fingerprint,
        RuleName: ack.rule,
        AckedBy: ack.by,
        Comment: ack.comment,
        Cleared: ack.cleared ? 1 : 0,
        At: ack.at,
      },
    ],
    format: 'JSONEachRow',
  });
}

/** Acknowledgements in force (newest row per fingerprint not cleared). */
export async function readAcks(client: Client): Promise<Acknowledgement[]> {
  const result = await client.query({
    query: `SELECT Fingerprint AS fingerprint, argMax(RuleName, At) AS rule, argMax(AckedBy, At) AS by,
        argMax(Comment, At) AS comment, argMax(Cleared, At) AS cleared,
        toUnixTimestamp64Milli(max(At)) AS at
      FROM cp_alert_acks GROUP BY Fingerprint HAVING cleared = 0`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => ({
    fingerprint: String(r.fingerprint),
    rule: String(r.rule),
    by: String(r.by),
    comment: String(r.comment),
    at: Number(r.at),
  }));
}
