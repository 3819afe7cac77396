// Runs label matching in a child process, so a test can kill a matcher that never returns (a
// backtracking regular expression) instead of hanging with it: argv[2] is JSON
// [{matcher, labels}, …]; prints the answers as a JSON array.
import { type Matcher, matches } from '../../src/notify/routing-config.ts';

const cases = JSON.parse(process.argv[2] ?? '[]') as { matcher: Matcher; labels: Record<string, string> }[];
console.log(JSON.stringify(cases.map((c) => matches(c.matcher, c.labels))));
