/**
 * A branch on one machine, for trying it out: a throwaway PostgreSQL cluster (gone when this
 * stops), a branch key, the demo register, a supervisor, and two kiosks and a counter as three
 * processes of the browser shell, each with its own data directory and terminal id, all on the one
 * database. Prints every launch URL and the supervisor's one-time password; Ctrl-C stops it all.
 *   npm run demo:branch
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster } from '../demo/pg-cluster.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'kontokiosk-branch-demo-'));
const cluster = await startCluster();
const children: ChildProcess[] = [];
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  }, 1_500);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const keyFile = join(work, 'branch.key');
writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
const url = cluster.adminUrl;
const terminals = [
  { id: 'kiosk-1', role: 'kiosk' },
  { id: 'kiosk-2', role: 'kiosk' },
  { id: 'counter-1', role: 'counter' },
] as const;
const configOf = (terminal: (typeof terminals)[number]) => {
  const path = join(work, `${terminal.id}.json`);
  const ids = terminal.role === 'counter' ? { terminalRole: 'counter', counterTerminalId: terminal.id } : { terminalId: terminal.id };
  writeFileSync(path, JSON.stringify({ ...ids, store: { kind: 'postgres', url, keyFile } }, null, 2));
  return path;
};
const tsx = (script: string, args: readonly string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, script), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

const first = terminals[0];
const loaded = tsx('src-main/cli/register-demo.ts', [], { KONTOKIOSK_CONFIG: configOf(first) });
if (loaded.status !== 0) {
  console.error(loaded.stderr);
  stop(1);
}
const counter = terminals[2];
const staff = tsx(
  'src-main/cli/staff-add.ts',
  ['--role', 'supervisor', '--username', 'demo.leitung', '--data-dir', join(work, counter.id)],
  {
    KONTOKIOSK_CONFIG: configOf(counter),
  },
);
console.log('Kontokiosk branch demo: two kiosks and a counter on one PostgreSQL database (thrown away when this stops).');
console.log(staff.stdout.trim());
if (staff.status !== 0) console.error(staff.stderr);

for (const terminal of terminals) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src-main/shell/browser/cli.ts'), '--data-dir', join(work, terminal.id), '--no-open', '--print-launch'],
    { env: { ...process.env, KONTOKIOSK_CONFIG: configOf(terminal) }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`${terminal.id} stopped (${code}); stopping the demo`);
      stop(1);
    }
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    try {
      const launch = JSON.parse(line) as { launchUrl: string };
      console.log(`  ${terminal.id} (${terminal.role}): ${launch.launchUrl}`);
    } catch {
      console.log(`  ${terminal.id}: ${line}`);
    }
  });
}
console.log('Open each address once, in a browser on this machine. Ctrl-C stops the demo.');
