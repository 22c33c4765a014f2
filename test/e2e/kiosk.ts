/**
 * Starts a fresh browser shell (own data directory, own outbox) for each test, and reads what the
 * app "sent": e-mails from the outbox as .eml, letters as PDF through pdftotext.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';

export interface Kiosk {
  readonly launchUrl: string;
  readonly origin: string;
  readonly postident: string;
  readonly dataDir: string;
  readonly outbox: string;
  /** Newest e-mail's text and subject (waits for it). */
  lastMail(kind?: RegExp): Promise<{ subject: string; text: string; to: string }>;
  /** Text of the newest PDF letter. */
  lastLetterText(): string;
  letters(): string[];
}

const ROOT = resolve(import.meta.dirname, '../..');

async function startShell(dataDir: string): Promise<{ child: ChildProcess; info: Omit<Kiosk, 'lastMail' | 'lastLetterText' | 'letters'> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/shell/browser/cli.ts', '--data-dir', dataDir, '--print-launch'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<Omit<Kiosk, 'lastMail' | 'lastLetterText' | 'letters'>>((resolveInfo, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveInfo(JSON.parse(line) as Omit<Kiosk, 'lastMail' | 'lastLetterText' | 'letters'>);
    });
    child.on('exit', (code) => reject(new Error(`browser shell exited with ${code}`)));
  });
  return { child, info };
}

export const test = base.extend<{ kiosk: Kiosk }>({
  kiosk: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-e2e-'));
    const { child, info } = await startShell(dataDir);
    const mailDir = join(info.outbox, 'mail');
    const letterDir = join(info.outbox, 'letters');
    const sorted = (dir: string) => readdirSync(dir).filter((f) => !f.includes('.tmp-')).sort();
    const kiosk: Kiosk = {
      ...info,
      async lastMail(kind) {
        let files: string[] = [];
        await expect
          .poll(() => {
            files = sorted(mailDir).filter((f) => !kind || kind.test(f));
            return files.length;
          })
          .toBeGreaterThan(0);
        const parsed = await simpleParser(readFileSync(join(mailDir, files.at(-1) ?? '')));
        const to = Array.isArray(parsed.to) ? (parsed.to[0]?.text ?? '') : (parsed.to?.text ?? '');
        return { subject: parsed.subject ?? '', text: parsed.text ?? '', to };
      },
      lastLetterText() {
        const file = sorted(letterDir).at(-1);
        if (!file) throw new Error('no letter in the outbox');
        return execFileSync('pdftotext', ['-layout', join(letterDir, file), '-']).toString('utf8');
      },
      letters: () => sorted(letterDir),
    };
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
