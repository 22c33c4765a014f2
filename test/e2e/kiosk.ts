/** Starts a fresh browser shell (own data directory, own outbox) for each test. */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outboxReader, type OutboxReader } from './outbox.js';

export interface Kiosk extends OutboxReader {
  /** Single-use: the first visit sets the launch cookie; later visits only forward a browser that already has it. */
  readonly launchUrl: string;
  readonly origin: string;
  readonly postident: string;
  readonly dataDir: string;
  readonly outbox: string;
  /** What the seed script reported (login code), when the test asked for one. */
  readonly seed: { readonly loginCode?: string };
  /** Newest SMS text from the outbox. */
  lastSms(): string;
}

type ShellInfo = Omit<Kiosk, keyof OutboxReader | 'seed' | 'lastSms'>;

const ROOT = resolve(import.meta.dirname, '../..');

async function startShell(dataDir: string): Promise<{ child: ChildProcess; info: ShellInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/shell/browser/cli.ts', '--data-dir', dataDir, '--print-launch'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<ShellInfo>((resolveInfo, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveInfo(JSON.parse(line) as ShellInfo);
    });
    child.on('exit', (code) => reject(new Error(`browser shell exited with ${code}`)));
  });
  return { child, info };
}

export const test = base.extend<{
  kiosk: Kiosk;
  kioskConfig: Record<string, unknown> | undefined;
  kioskSeed: 'active' | 'mtan' | undefined;
}>({
  kioskConfig: [undefined, { option: true }],
  kioskSeed: [undefined, { option: true }],
  kiosk: async ({ kioskConfig, kioskSeed }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-e2e-'));
    if (kioskConfig) writeFileSync(join(dataDir, 'config.json'), JSON.stringify(kioskConfig));
    const seed = kioskSeed
      ? (JSON.parse(
          execFileSync(process.execPath, ['--import', 'tsx', 'test/e2e/seed.ts', dataDir, kioskSeed], { cwd: ROOT })
            .toString()
            .trim()
            .split('\n')
            .at(-1) ?? '{}',
        ) as Kiosk['seed'])
      : {};
    const { child, info } = await startShell(dataDir);
    const smsDir = join(info.outbox, 'sms');
    const kiosk: Kiosk = {
      ...info,
      ...outboxReader(info.outbox),
      seed,
      lastSms: () => {
        const file = readdirSync(smsDir)
          .filter((f) => !f.includes('.tmp-'))
          .sort()
          .at(-1);
        if (!file) throw new Error('no SMS in the outbox');
        return readFileSync(join(smsDir, file), 'utf8');
      },
    };
    await use(kiosk);
    // The app flushes its audit trail and head on the way out: remove its folder only after it exited.
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  },
});

export { expect };

export async function openKiosk(page: Page, kiosk: Kiosk): Promise<void> {
  await page.goto(kiosk.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}
