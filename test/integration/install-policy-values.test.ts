/**
 * deploy/install.sh writes the kiosk window's Chromium policy from the operator's configuration
 * (browserShell.port, kiosk.printerName). The printer name is the operator's free text: whatever
 * it holds (a leading dash, spaces, a word the policy command knows as an option) must arrive as
 * the printer's name in a policy that is valid JSON, never be read as an option of the command
 * that writes it, and never leave a policy that confines nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const APP = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-install-policy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** install.sh into a fresh scratch tree whose configuration names this printer; the policy it wrote. */
function installWithPrinter(name: string, printerName: string) {
  const root = join(scratch, name);
  mkdirSync(join(root, 'etc', 'kontokiosk'), { recursive: true });
  writeFileSync(join(root, 'etc', 'kontokiosk', 'config.json'), JSON.stringify({ browserShell: { port: 8471 }, kiosk: { printerName } }));
  const ran = spawnSync('bash', [join(APP, 'deploy', 'install.sh'), '--root', root, '--no-users'], { encoding: 'utf8', cwd: APP });
  const policyFile = join(root, 'etc', 'chromium', 'policies', 'managed', 'kontokiosk.json');
  return { ran, policy: () => JSON.parse(readFileSync(policyFile, 'utf8')) as Record<string, unknown> };
}

const printerOf = (policy: Record<string, unknown>) =>
  (JSON.parse(String(policy['DefaultPrinterSelection'])) as { namePattern: string }).namePattern;

describe('install.sh: the policy from odd printer names', () => {
  it.each([
    ['an option of the policy command', '--remove', '^--remove$'],
    ['a leading dash', '-d', '^-d$'],
    ['spaces inside and around', '  Drucker am Schalter ', '^  Drucker am Schalter $'],
  ])('%s: the policy is valid JSON, confines to the origin and names exactly that printer', (label, printerName, pattern) => {
    const { ran, policy } = installWithPrinter(label.replace(/\W+/g, '-'), printerName);
    expect(ran.status).toBe(0);
    const written = policy();
    expect(written['URLAllowlist']).toContain('http://127.0.0.1:8471');
    expect(printerOf(written)).toBe(pattern);
  });

  it('a printer name holding a line break is refused with a reason, and no policy is half written', () => {
    const { ran } = installWithPrinter('line-break', 'Drucker\n--remove');
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toMatch(/kiosk\.printerName/);
  });
});
