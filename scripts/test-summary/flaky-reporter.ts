// A vitest reporter that lists the tests which failed and then passed on a retry (the integration
// project retries a test once: real servers, k6 and timers on a 2-core machine), so the test
// command's closing summary names them instead of hiding them. Writes a JSON list of lines to
// $FLAKY_REPORT (default test-results/vitest-flaky.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];
  private readonly file = process.env.FLAKY_REPORT ?? 'test-results/vitest-flaky.json';

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (!diagnostic?.flaky) return;
    const file = relative(process.cwd(), testCase.module.moduleId);
    this.flaky.push(`${file} › ${testCase.fullName} (passed on retry ${diagnostic.retryCount})`);
  }

  onTestRunEnd(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.flaky, null, 1)}\n`);
  }
}
