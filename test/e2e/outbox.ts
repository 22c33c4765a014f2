/** Reads what the app "sent": e-mails as .eml files, letters as PDF through pdftotext. */
import { expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export interface OutboxReader {
  lastMail(kind?: RegExp): Promise<{ subject: string; text: string; to: string }>;
  lastCode(): Promise<string>;
  lastLetterText(): string;
  letters(): string[];
}

export function outboxReader(outbox: string): OutboxReader {
  const mailDir = join(outbox, 'mail');
  const letterDir = join(outbox, 'letters');
  const sorted = (dir: string) =>
    readdirSync(dir)
      .filter((f) => !f.includes('.tmp-'))
      .sort();
  const reader: OutboxReader = {
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
    async lastCode() {
      const mail = await reader.lastMail(/EMAIL_CODE/);
      const code = /\b(\d{8})\b/.exec(mail.text)?.[1];
      if (!code) throw new Error('no code in the last e-mail');
      return code;
    },
    lastLetterText() {
      const file = sorted(letterDir).at(-1);
      if (!file) throw new Error('no letter in the outbox');
      return execFileSync('pdftotext', ['-layout', join(letterDir, file), '-']).toString('utf8');
    },
    letters: () => sorted(letterDir),
  };
  return reader;
}

export function keyFromLetter(text: string): string {
  const key = /\b([A-Z0-9]{4}(?:-[A-Z0-9]{4}){5})\b/.exec(text)?.[1];
  if (!key) throw new Error('no activation key in the letter');
  return key;
}
