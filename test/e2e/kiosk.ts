/** Starts a fresh browser shell (own data directory, own outbox) for each test. */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outboxReader, type OutboxReader } from './outbox.js';

export interface Kiosk extends OutboxReader {
  readonly launchUrl: string;
  readonly origin: string;
  readonly postident: string;
  readonly dataDir: string;
  readonly outbox: string;
}

type ShellInfo = Omit<Kiosk, keyof OutboxReader>;

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

export const test = base.extend<{ kiosk: Kiosk; kioskConfig: Record<string, unknown> | undefined }>({
  kioskConfig: [undefined, { option: true }],
  kiosk: async ({ kioskConfig }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-e2e-'));
    if (kioskConfig) writeFileSync(join(dataDir, 'config.json'), JSON.stringify(kioskConfig));
    const { child, info } = await startShell(dataDir);
    const kiosk: Kiosk = { ...info, ...outboxReader(info.outbox) };
    await use(kiosk);
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

export async function openKiosk(page: Page, kiosk: Kiosk): Promise<void> {
  await page.goto(kiosk.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}
