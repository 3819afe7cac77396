// Prints one closing line over all test runners: "N passed, N failed, N skipped" (CI reads it).
// Tests that passed only on a retry are named above it. The counting lives in
// test-summary/count-results.ts.
import { formatSummaryLine, readFlakyTests, readTestResults } from './test-summary/count-results.ts';

const [dir = 'test-results', seconds = '?'] = process.argv.slice(2);
const { counts, problems } = readTestResults(dir);
const flaky = readFlakyTests(dir);

for (const problem of problems) console.error(`test-summary: ${problem}`);
if (flaky.length > 0) {
  console.log(`\nflaky: ${flaky.length} test(s) failed, then passed on a retry (counted as passed):`);
  for (const name of flaky) console.log(`  ${name}`);
}
console.log(`\nall tests in ${seconds} s`);
console.log(formatSummaryLine(counts));
process.exit(counts.failed > 0 ? 1 : 0);
