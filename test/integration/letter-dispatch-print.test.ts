/**
 * The counter's printer route against a fake `lp` first on PATH: the exact arguments (no shell, a
 * job title without personal data), the PDF's bytes on lp's input, and each way CUPS can refuse
 * as a typed failure: a printer that does not exist (given up), one that does not accept jobs, lp
 * that does not end in time (tried again), lp that is not installed (given up).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import type { Letter } from '../../src-main/core/ports.js';
import { DeliveryFailure } from '../../src-main/delivery/delivery-failure.js';
import { PrintLetterDispatch } from '../../src-main/delivery/letter-dispatch-print.js';
import { jobName, type DispatchItem } from '../../src-main/delivery/letter-dispatch.js';
import { renderLetter } from '../../src-main/delivery/letters.js';
import { outboxName } from '../../src-main/delivery/outbox-name.js';
import { installFakeLp } from '../fixtures/fake-lp.js';

const fonts = resolve(import.meta.dirname, '../../assets/fonts');
const AT = new Date('2026-11-30T09:15:00Z');
const LETTER: Letter = {
  kind: 'TEMPORARY_PASSWORD',
  to: { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' },
  date: '2026-11-30',
  username: 'erika.m',
  password: 'abcd efgh jkmn',
  validUntil: '2026-12-14',
  language: 'de',
  accountId: 'acc0unt-Id_1',
};
const PERSONAL = ['Erika', 'Mustermann', 'Heidestraße', '51147', 'Köln', 'erika.m', 'abcd efgh jkmn', 'acc0unt-Id_1'];

let lp: ReturnType<typeof installFakeLp>;
let item: DispatchItem;
const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-print-'));

beforeAll(async () => {
  lp = installFakeLp();
  const pdf = await renderLetter(LETTER, parseConfig({}).brand, fonts, AT);
  item = {
    pdf,
    kind: LETTER.kind,
    reference: outboxName(LETTER.kind, 'pdf', AT, LETTER.accountId),
    accountId: 'acc0unt-Id_1',
    to: LETTER.to,
  };
});
afterAll(() => {
  lp.restore();
  rmSync(scratch, { recursive: true, force: true });
});

const printer = (name: string, timeoutMs = 5_000, options: string[] = []) => new PrintLetterDispatch({ printer: name, timeoutMs, options });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryFailure)) throw new Error(`expected a DeliveryFailure, got ${String(error)}`);
  for (const datum of PERSONAL) expect(error.message).not.toContain(datum);
  return error;
}

describe('the counter printer (lp)', () => {
  it('hands lp the PDF on its input, to the configured printer, titled without personal data', async () => {
    await printer('Schalter-1', 5_000, ['media=A4', 'sides=one-sided']).dispatch(item);
    const call = lp.calls().at(-1);
    expect(call?.args).toEqual(['-d', 'Schalter-1', '-t', jobName(item.reference), '-o', 'media=A4', '-o', 'sides=one-sided']);
    expect(jobName(item.reference)).toMatch(/^2026-11-30T09-15-00-000Z-TEMPORARY_PASSWORD-[0-9a-f]{6}$/);
    for (const datum of PERSONAL) expect(call?.args.join(' ')).not.toContain(datum);
    // The bytes lp read are the letter, whole: a PDF that reads back as the letter.
    expect(call?.input.equals(Buffer.from(item.pdf))).toBe(true);
    expect(call?.input.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(scratch, 'printed.pdf');
    writeFileSync(file, call?.input ?? '');
    expect(execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8')).toContain('abcd efgh jkmn');
    // lp speaks the C locale, so its refusals can be told apart.
    expect(call?.locale).toBe('C');
  });

  it('a printer that does not exist is given up; one that does not accept jobs is tried again', async () => {
    const missing = await failureOf(printer('nosuch').dispatch(item));
    expect(missing).toMatchObject({ code: 'PRINTER_MISSING', permanent: true });
    const paused = await failureOf(printer('paused').dispatch(item));
    expect(paused).toMatchObject({ code: 'PRINTER_NOT_ACCEPTING', permanent: false });
  });

  it('lp that does not end in time is stopped and tried again later', async () => {
    const failure = await failureOf(printer('stalled', 300).dispatch(item));
    expect(failure).toMatchObject({ code: 'PRINT_TIMEOUT', permanent: false });
    const pid = lp.calls().at(-1)?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    // Killed, not left waiting: the process is gone once Node has reaped it.
    const gone = async (): Promise<boolean> => {
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    expect(await gone()).toBe(true);
  });

  it('lp not installed is given up with its own code', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = mkdtempSync(join(scratch, 'empty-'));
    try {
      expect(await failureOf(printer('Schalter-1').dispatch(item))).toMatchObject({ code: 'PRINT_COMMAND_MISSING', permanent: true });
      expect(await printer('Schalter-1').probe()).toMatchObject({ ok: false });
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('the health check asks lpstat, printing nothing', async () => {
    const before = lp.calls().length;
    expect(await printer('Schalter-1').probe()).toEqual({ ok: true, detail: expect.stringContaining('Schalter-1 is idle') });
    expect(await printer('paused').probe()).toMatchObject({ ok: false, detail: expect.stringContaining('stopped') });
    expect(await printer('nosuch').probe()).toEqual({ ok: false, detail: 'the configured printer does not exist in CUPS' });
    expect(lp.calls()).toHaveLength(before);
  });
});
