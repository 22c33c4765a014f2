/**
 * Mutation testing of the core files changed since the last full run (npm run test:mutation:changed;
 * part of the test command). The full run over the whole core takes about an hour on two cores,
 * too long for every test run; the files a change touches take minutes.
 *
 * The commit of the last full run is in test/mutation-baseline (its first line that is not a
 * comment). Every core file (and the IPC contract and dispatcher) that differs from that commit,
 * committed or not, is mutated with the unit tests, and each must score at least MIN_SCORE %:
 * killed and timed-out mutants against all that were tried (mutants without a test count as
 * survivors). Below that, the run fails and names the file; the survivors are in the clear-text
 * output above the table and in reports/mutation/. A survivor that no behaviour can tell from
 * the code is listed in test/mutation-equivalents.md; it still counts as a survivor here, so at
 * least 90 % of a file's mutants must be killed by tests.
 *
 *   npx tsx scripts/mutation-changed.ts [--since <commit>] [--concurrency N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_SCORE = 90;
const ROOT = join(import.meta.dirname, '..');
const MUTATED = ['src-main/core', 'src-main/ipc/contract.ts', 'src-main/ipc/dispatcher.ts'];
const REPORT = join(ROOT, 'reports', 'mutation', 'mutation.json');

const option = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

const baseline =
  option('--since') ??
  readFileSync(join(ROOT, 'test', 'mutation-baseline'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
if (!baseline) throw new Error('test/mutation-baseline names no commit');
if (spawnSync('git', ['cat-file', '-e', `${baseline}^{commit}`], { cwd: ROOT }).status !== 0) {
  // A shallow clone: which files changed cannot be told without the commit.
  console.log(`Mutation check SKIPPED: the commit of the last full run (${baseline}) is not in this clone's history.`);
  process.exit(0);
}

const changed = git('diff', '--name-only', baseline, '--', ...MUTATED)
  .split('\n')
  .filter((file) => file.endsWith('.ts') && existsSync(join(ROOT, file)))
  .sort();
const added = git('ls-files', '--others', '--exclude-standard', '--', ...MUTATED)
  .split('\n')
  .filter((file) => file.endsWith('.ts'));
const files = [...new Set([...changed, ...added])].sort();
if (files.length === 0) {
  console.log(`Mutation check: no core file differs from ${baseline.slice(0, 12)} (the last full run); nothing to mutate.`);
  process.exit(0);
}
console.log(`Mutation check of ${files.length} core file(s) changed since ${baseline.slice(0, 12)}: ${files.join(', ')}`);

const run = spawnSync(
  'npx',
  [
    'stryker',
    'run',
    '--mutate',
    files.join(','),
    '--concurrency',
    option('--concurrency') ?? '2',
    '--reporters',
    'clear-text,progress,json',
    '--logLevel',
    'warn',
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
if (run.status !== 0) {
  console.error(`Mutation check: Stryker ended with ${run.status ?? run.signal}.`);
  process.exit(1);
}

interface Report {
  readonly files: Record<string, { readonly mutants: readonly { readonly status: string }[] }>;
}
const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
let failed = 0;
console.log(`\n${'file'.padEnd(52)} | score   | killed | survived`);
for (const file of files) {
  const mutants = report.files[file]?.mutants ?? [];
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const tried = detected + undetected;
  // A file without mutants (types only) has nothing to pin.
  const score = tried === 0 ? 100 : (detected / tried) * 100;
  const below = score < MIN_SCORE;
  if (below) failed += 1;
  console.log(
    `${file.padEnd(52)} | ${score.toFixed(1).padStart(5)} % | ${String(detected).padStart(6)} | ${String(undetected).padStart(8)}${below ? `  below ${MIN_SCORE} %` : ''}`,
  );
}
if (failed > 0) {
  console.error(
    `\nMutation check FAILED: ${failed} file(s) below ${MIN_SCORE} %. Pin the surviving behaviour with tests (and list true equivalents in test/mutation-equivalents.md).`,
  );
  process.exit(1);
}
console.log(`\nMutation check passed: every changed core file at ${MIN_SCORE} % or more.`);
