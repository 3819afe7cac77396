// Prints one closing line over all test runners: "N passed, N failed, N skipped" (CI reads it).
// The counting lives in test-summary/count-results.ts.
import { formatSummaryLine, readTestResults } from './test-summary/count-results.ts';

const [dir = 'test-results', seconds = '?'] = process.argv.slice(2);
const { counts, problems } = readTestResults(dir);

for (const problem of problems) console.error(`test-summary: ${problem}`);
console.log(`\nall tests in ${seconds} s`);
console.log(formatSummaryLine(counts));
process.exit(counts.failed > 0 ? 1 : 0);
