// How `npm start` runs the supervised target: on TARGET_URL's host and port, with the memory
// budget's V8 flags, exporting to this collector with the first ingest key — and without the
// dashboard's own secrets in its environment.
import { describe, expect, it } from 'vitest';
import { targetCommand } from '../../src/runtime/target-supervisor.ts';

describe('targetCommand', () => {
  const processEnv = {
    PATH: '/usr/bin',
    PORT: '3000',
    JWT_SECRET: 'target-needs-this-secret-of-32-chars',
    ADMIN_TOKEN: 'target-needs-this-token-too',
    DASHBOARD_USERS: 'ada:admin:scrypt.17.8.1.x',
    SESSION_SECRET: 'dashboard-only-session-secret',
    COLLECTOR_API_KEYS: 'first-key-0123456789,second-key-0123456789',
    TARGET_ADMIN_TOKEN: 'dashboard-side-copy',
  } as unknown as NodeJS.ProcessEnv;

  it("runs target-app on TARGET_URL's port with the collector, the first key, and no dashboard secrets", () => {
    const command = targetCommand(
      { TARGET_URL: 'http://127.0.0.1:8181', COLLECTOR_API_KEYS: ['first key/+', 'second'] },
      'http://127.0.0.1:4318',
      processEnv,
    );
    expect(command.command).toBe(process.execPath);
    expect(command.args).toEqual([
      '--max-semi-space-size=4',
      '--max-old-space-size=120',
      'target-app/src/main.ts',
    ]);
    expect(command.env).toMatchObject({
      PATH: '/usr/bin',
      HOST: '127.0.0.1',
      PORT: '8181',
      JWT_SECRET: 'target-needs-this-secret-of-32-chars',
      ADMIN_TOKEN: 'target-needs-this-token-too',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=first%20key%2F%2B',
    });
    for (const name of ['DASHBOARD_USERS', 'SESSION_SECRET', 'COLLECTOR_API_KEYS', 'TARGET_ADMIN_TOKEN'])
      expect(command.env).not.toHaveProperty(name);
  });

  it('keeps an OTLP endpoint and headers the operator set, and sends no key when none is configured', () => {
    const command = targetCommand(
      { TARGET_URL: 'http://[::1]:8080', COLLECTOR_API_KEYS: [] },
      'http://127.0.0.1:4318',
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x',
      } as unknown as NodeJS.ProcessEnv,
    );
    expect(command.env).toMatchObject({
      HOST: '::1',
      PORT: '8080',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x',
    } as unknown as NodeJS.ProcessEnv);
    expect(
      targetCommand(
        { TARGET_URL: 'http://127.0.0.1:80', COLLECTOR_API_KEYS: [] },
        'u',
        {} as NodeJS.ProcessEnv,
      ).env,
    ).toMatchObject({
      OTEL_EXPORTER_OTLP_HEADERS: '',
    });
  });
});
