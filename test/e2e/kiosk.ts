/** Starts a fresh browser shell (own data directory, own outbox) for each test. */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { branchDatabase } from './branch-database.js';
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
  /** The counter served by the same process on the same data directory (single-use, like launchUrl). */
  readonly counterLaunchUrl: string;
  readonly counterOrigin: string;
  /** One-time passwords of the staff accounts the test asked for, by username. */
  readonly staff: Readonly<Record<string, string>>;
  /** The branch database's URL when the terminal runs on PostgreSQL (project "browser-shell-postgres"). */
  readonly databaseUrl?: string;
}

type ShellInfo = Omit<Kiosk, keyof OutboxReader | 'seed' | 'lastSms' | 'staff' | 'databaseUrl'>;

/** Staff accounts created with `npm run staff:add` before the shell starts. */
export interface StaffSeed {
  readonly username: string;
  readonly role: 'staff' | 'supervisor';
  readonly ownKvnr?: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

async function startShell(dataDir: string): Promise<{ child: ChildProcess; info: ShellInfo }> {
  const args = ['--import', 'tsx', 'src-main/shell/browser/cli.ts', '--data-dir', dataDir, '--print-launch', '--kiosk-and-counter'];
  const child = spawn(process.execPath, args, {
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
  kioskStaff: readonly StaffSeed[];
  /** Where the terminal keeps its data: its own data directory, or a branch database (PostgreSQL). */
  kioskStore: 'embedded' | 'postgres';
}>({
  kioskConfig: [undefined, { option: true }],
  kioskSeed: [undefined, { option: true }],
  kioskStaff: [[], { option: true }],
  kioskStore: ['embedded', { option: true }],
  kiosk: async ({ kioskConfig, kioskSeed, kioskStaff, kioskStore }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-e2e-'));
    const branch = kioskStore === 'postgres' ? await branchDatabase() : undefined;
    const config = branch ? { ...kioskConfig, store: branch.store } : kioskConfig;
    if (config) writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
    const seed = kioskSeed
      ? (JSON.parse(
          execFileSync(process.execPath, ['--import', 'tsx', 'test/e2e/seed.ts', dataDir, kioskSeed], { cwd: ROOT })
            .toString()
            .trim()
            .split('\n')
            .at(-1) ?? '{}',
        ) as Kiosk['seed'])
      : {};
    const staff: Record<string, string> = {};
    for (const member of kioskStaff) {
      const args = [
        '--import',
        'tsx',
        'src-main/cli/staff-add.ts',
        '--data-dir',
        dataDir,
        '--role',
        member.role,
        '--username',
        member.username,
      ];
      if (member.ownKvnr) args.push('--own-kvnr', member.ownKvnr);
      const printed = execFileSync(process.execPath, args, { cwd: ROOT }).toString();
      const password = /one-time password[^:]*: (\S+)/.exec(printed)?.[1];
      if (!password) throw new Error(`staff:add printed no one-time password for ${member.username}`);
      staff[member.username] = password;
    }
    const { child, info } = await startShell(dataDir);
    const smsDir = join(info.outbox, 'sms');
    const kiosk: Kiosk = {
      ...info,
      ...outboxReader(info.outbox),
      seed,
      staff,
      ...(branch ? { databaseUrl: branch.store.url } : {}),
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
    await branch?.drop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  },
});

export { expect };

export async function openKiosk(page: Page, kiosk: Kiosk): Promise<void> {
  await page.goto(kiosk.launchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export async function openCounter(page: Page, kiosk: Kiosk): Promise<void> {
  await page.goto(kiosk.counterLaunchUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}
