// The alerting peer for vs-prometheus.ts: Debian's prometheus and prometheus-alertmanager
// (installed with apt when missing), each pair started with a committed configuration from
// bench/alerts/vs-prometheus/ (placeholders filled in), checked by promtool / amtool first.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const configDir = join(import.meta.dirname, 'vs-prometheus');

/** Installs the Debian packages when a binary is missing; throws with apt's output on failure. */
export function ensurePrometheusInstalled(): { prometheus: string; alertmanager: string } {
  const bins = { prometheus: '/usr/bin/prometheus', alertmanager: '/usr/bin/prometheus-alertmanager' };
  if (!existsSync(bins.prometheus) || !existsSync(bins.alertmanager)) {
    console.log('installing prometheus and prometheus-alertmanager with apt…');
    execFileSync(
      'apt-get',
      ['install', '-y', '--no-install-recommends', 'prometheus', 'prometheus-alertmanager'],
      {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      },
    );
  }
  for (const path of Object.values(bins))
    if (!existsSync(path)) throw new Error(`${path} missing after apt-get install`);
  return bins;
}

export const versionOf = (bin: string) =>
  execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function fill(template: string, values: Record<string, string>): string {
  let text = readFileSync(join(configDir, template), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`__${key}__`, value);
  return text;
}

export interface PrometheusPair {
  name: string;
  prometheusUrl: string;
  /** Alerts Prometheus holds (pending or firing). */
  activeAlerts(): Promise<number>;
  stop(): Promise<void>;
}

async function waitReady(url: string, what: string, processes: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    const dead = processes.find((p) => p.exitCode !== null);
    if (dead) throw new Error(`${what}: a process exited with ${dead.exitCode} (see its log)`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within 30 s at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Prometheus + Alertmanager with the `tuned` or `default` configuration, notifying `webhookUrl`. */
export async function startPrometheusPair(options: {
  name: 'tuned' | 'default';
  dir: string;
  target: string;
  webhookUrl: string;
  bins: { prometheus: string; alertmanager: string };
}): Promise<PrometheusPair> {
  const { name, bins } = options;
  const dir = join(options.dir, `prometheus-${name}`);
  mkdirSync(join(dir, 'tsdb'), { recursive: true });
  mkdirSync(join(dir, 'am'), { recursive: true });
  const [promPort, amPort] = [await freePort(), await freePort()];
  const rules = join(dir, 'rules.yml');
  writeFileSync(rules, fill(`rules-${name}.yml`, {}));
  const promConfig = join(dir, 'prometheus.yml');
  writeFileSync(
    promConfig,
    fill(`prometheus-${name}.yml`, {
      TARGET: options.target,
      RULES: rules,
      ALERTMANAGER: `127.0.0.1:${amPort}`,
    }),
  );
  const amConfig = join(dir, 'alertmanager.yml');
  writeFileSync(amConfig, fill(`alertmanager-${name}.yml`, { WEBHOOK: options.webhookUrl }));
  execFileSync('promtool', ['check', 'config', promConfig], { stdio: 'pipe' });
  execFileSync('amtool', ['check-config', amConfig], { stdio: 'pipe' });
  const log = (file: string) => openSync(join(dir, file), 'w');
  const am = spawn(
    bins.alertmanager,
    [
      `--config.file=${amConfig}`,
      `--storage.path=${join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=', // one instance: no gossip, no peer wait before sending
    ],
    { stdio: ['ignore', log('alertmanager.log'), log('alertmanager.log')] },
  );
  const prom = spawn(
    bins.prometheus,
    [
      `--config.file=${promConfig}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: ['ignore', log('prometheus.log'), log('prometheus.log')] },
  );
  const processes = [am, prom];
  const prometheusUrl = `http://127.0.0.1:${promPort}`;
  await waitReady(`http://127.0.0.1:${amPort}/-/ready`, `alertmanager (${name})`, processes);
  await waitReady(`${prometheusUrl}/-/ready`, `prometheus (${name})`, processes);
  return {
    name,
    prometheusUrl,
    async activeAlerts() {
      const res = await fetch(`${prometheusUrl}/api/v1/alerts`);
      const body = (await res.json()) as { data: { alerts: unknown[] } };
      return body.data.alerts.length;
    },
    async stop() {
      for (const p of processes) {
        if (p.exitCode !== null || p.pid === undefined) continue;
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await exited;
      }
    },
  };
}
