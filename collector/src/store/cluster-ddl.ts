// DDL for a ClickHouse cluster: every CREATE / TRUNCATE / ALTER runs ON CLUSTER and the MergeTree
// family becomes its Replicated variant (replica path and name from the server's
// default_replica_path / default_replica_name). Off by default; only the string changes here.

export interface ClusterOptions {
  /** Cluster name from remote_servers (or a macro such as {cluster}). */
  cluster: string;
  /** Use Replicated*MergeTree engines (default true). */
  replicated?: boolean | undefined;
}

const clusterName = /^[A-Za-z0-9_.{}-]+$/;

export function onClusterClause(cluster: string): string {
  if (!clusterName.test(cluster)) throw new RangeError(`invalid cluster name: ${cluster}`);
  return `ON CLUSTER '${cluster}'`;
}

/** One statement rewritten for the cluster; statements it does not recognise pass unchanged. */
export function clusterStatement(statement: string, options: ClusterOptions | undefined): string {
  if (!options) return statement;
  const on = onClusterClause(options.cluster);
  let out = statement
    .replace(/^(\s*CREATE\s+(?:TABLE|MATERIALIZED\s+VIEW)\s+IF\s+NOT\s+EXISTS\s+[\w.`"]+)/i, `$1 ${on}`)
    .replace(/^(\s*TRUNCATE\s+TABLE\s+IF\s+EXISTS\s+[\w.`"]+)/i, `$1 ${on}`)
    .replace(/^(\s*ALTER\s+TABLE\s+[\w.`"]+)/i, `$1 ${on}`);
  if (options.replicated !== false)
    out = out.replace(
      /\bENGINE\s*=\s*(Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing)?MergeTree\b/g,
      (_m, kind: string | undefined) => `ENGINE = Replicated${kind ?? ''}MergeTree`,
    );
  return out;
}
