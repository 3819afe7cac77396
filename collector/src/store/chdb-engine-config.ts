// The embedded engine's start-up arguments: a memory cap with the caches sized within it, and
// MergeTree settings for a single-user process whose tables take a small insert every few seconds.
// chDB takes server settings as `--name=value` arguments but MergeTree defaults only from a config
// file (`--merge_tree.name=value` is ignored), so those go into an XML file beside the data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EngineMergeSettings {
  /**
   * The fewest parts one merge takes (MergeTree `min_parts_to_merge_at_once`; the engine's default
   * 0 lets it merge two). Below a few MB a partition's parts all count as small, so by default each
   * new part is merged into the partition's one big part within seconds: a quiet target's day of
   * data is rewritten every few seconds. Waiting for this many parts makes those rewrites that many
   * times rarer (seen with tiny parts: the merge still takes the big part, once per ~min inserts).
   */
  minPartsToMerge: number;
  /**
   * How often each table looks for a merge while none is due (`merge_selecting_sleep_ms`, engine
   * default 5 s, backing off to 60 s). An insert wakes its table's merge selection at once (seen: a
   * due merge started right after the insert with 30 s here), so this only paces idle tables' checks.
   */
  mergeSelectingSleepMs: number;
}

export const DEFAULT_ENGINE_MERGE_SETTINGS: EngineMergeSettings = {
  minPartsToMerge: 10,
  mergeSelectingSleepMs: 30_000,
};

/**
 * The engine's server settings for a memory cap: the cap itself, and the caches (5 GiB each by
 * default, counted against the cap) sized within it.
 */
export function chdbMemoryArgs(maxMemoryBytes: number): string[] {
  const bytes = (share: number) => String(Math.floor(maxMemoryBytes * share));
  return [
    `--max_server_memory_usage=${bytes(1)}`,
    `--mark_cache_size=${bytes(1 / 8)}`,
    `--index_mark_cache_size=${bytes(1 / 16)}`,
    `--primary_index_cache_size=${bytes(1 / 16)}`,
  ];
}

/** The `<merge_tree>` defaults of every table, as the engine's config file. */
export function mergeTreeConfigXml(settings: EngineMergeSettings): string {
  const entries: Record<string, number> = {
    min_parts_to_merge_at_once: settings.minPartsToMerge,
    merge_selecting_sleep_ms: settings.mergeSelectingSleepMs,
    // On (the default), a chosen range loses its right-hand parts under 1 % of its size *after* the
    // minimum was checked: a big part (say after a load run) plus ten tiny quiet inserts becomes a
    // merge of the big part and one tiny one, again after every insert (seen: 17 merges for 18
    // inserts onto a 200 000-row part; off: 2), each rewriting the big part.
    merge_selector_enable_heuristic_to_remove_small_parts_at_right: 0,
  };
  for (const [name, value] of Object.entries(entries))
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`);
  const lines = Object.entries(entries).map(([name, value]) => `    <${name}>${value}</${name}>`);
  return `<clickhouse>\n  <merge_tree>\n${lines.join('\n')}\n  </merge_tree>\n</clickhouse>\n`;
}

/** Writes the config file into the data directory and returns the engine's arguments. */
export function chdbEngineArgs(
  dataDir: string,
  maxMemoryBytes: number,
  merge: EngineMergeSettings,
): string[] {
  const configFile = join(dataDir, 'engine-config.xml');
  writeFileSync(configFile, mergeTreeConfigXml(merge));
  return [`--config-file=${configFile}`, ...chdbMemoryArgs(maxMemoryBytes)];
}
