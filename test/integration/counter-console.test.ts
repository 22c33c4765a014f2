/**
 * The supervisor's console tools through the app as it runs: the register sent in pieces and
 * imported with a line-numbered report, files in the wrong encoding or shape refused whole, the
 * audit trail verified (intact, then a changed line found), and the dashboard's counts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { signedInSupervisor } from '../fixtures/supervisor.js';
import { fastPasswords } from '../fixtures/harness.js';

const header = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';
const ERIKA = 'A123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;';
const BAD = 'A123456781;Bad;Check;12.08.1984;Weg 1;51147;Köln;2004-01-01;;80276883110000012345;';
const XAVER = 'X110411675;Xaver;Beispiel;01.02.1990;Weg 2;53111;Bonn;2004-01-01;;80276883110000012345;';
const reason = 'Monatlicher Abgleich';

const opened: { app: App; dir: string }[] = [];
afterEach(async () => {
  for (const { app, dir } of opened.splice(0)) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function supervisorConsole() {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-console-'));
  const app = await openApp({ dataDir: dir, assetsDir: resolve(import.meta.dirname, '../../assets'), passwords: fastPasswords });
  opened.push({ app, dir });
  return { app, dir, send: await signedInSupervisor(app) };
}

/** Sends bytes in pieces of `piece` bytes, as the console does. */
async function upload(send: (c: string, p: unknown) => Promise<unknown>, bytes: Buffer, piece = 40, acceptShrink = false) {
  const begun = (await send('register.importBegin', { size: bytes.length, reason })) as { ok: boolean; value: { uploadId: string } };
  const { uploadId } = begun.value;
  for (let seq = 0; seq * piece < bytes.length; seq++) {
    const out = (await send('register.importChunk', {
      uploadId,
      seq,
      data: bytes.subarray(seq * piece, (seq + 1) * piece).toString('base64'),
    })) as {
      ok: boolean;
    };
    if (!out.ok) return out;
  }
  return send('register.importFinish', { uploadId, reason, ...(acceptShrink ? { acceptShrink } : {}) });
}

describe('register import from the console', () => {
  it('imports the valid rows, lists rejected ones by line, and records who did it', async () => {
    const { app, send } = await supervisorConsole();
    const file = Buffer.from([header, ERIKA, BAD, XAVER].join('\n'), 'utf8');
    // The demo register has more persons than the file: the shrink needs the supervisor's confirmation.
    const before = await app.core.deps.register.count();
    expect(await upload(send, file)).toMatchObject({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'SHRINKS', current: before, accepted: 2, removedWithAccount: 0 } },
    });
    expect(await app.core.deps.register.count()).toBe(before);
    const report = await upload(send, file, 40, true);
    expect(report).toEqual({
      ok: true,
      value: { accepted: 2, rejectedCount: 1, rejected: [{ line: 3, reasons: ['kvnr: not a valid insurance number (check digit)'] }] },
    });
    expect(await app.core.deps.register.count()).toBe(2);
    expect(await app.core.deps.register.getByKvnr('X110411675')).toMatchObject({ city: 'Bonn' });
    const trail = readFileSync(app.paths.audit, 'utf8');
    expect(trail).toMatch(/"type":"REGISTER_IMPORTED","actor":"staff:[^"]+","terminal":"counter-1".*"accepted":2,"rejected":1/);
  });

  it('refuses a file that is not UTF-8, has the wrong columns or a broken structure, changing nothing', async () => {
    const { app, send } = await supervisorConsole();
    const before = await app.core.deps.register.count();
    const latin1 = Buffer.from([header, ERIKA.replace('Köln', 'K\u00f6ln')].join('\n'), 'latin1');
    expect(await upload(send, latin1)).toEqual({ ok: false, error: { code: 'CSV_INVALID', details: { problem: 'ENCODING' } } });
    expect(await upload(send, Buffer.from('kvnr;name\nA123456780;Erika\n'))).toMatchObject({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'MISSING_COLUMNS' } },
    });
    expect(await upload(send, Buffer.from([header, `${ERIKA}"offen`, XAVER].join('\n')))).toMatchObject({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'STRUCTURE' } },
    });
    expect(await upload(send, Buffer.from([header, BAD].join('\n')))).toMatchObject({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'NO_VALID_ROW', rejectedCount: 1 } },
    });
    expect(await app.core.deps.register.count()).toBe(before);
    const refusals = readFileSync(app.paths.audit, 'utf8').match(/"STAFF_ACTION_REFUSED".*"IMPORT_REGISTER"/g) ?? [];
    expect(refusals).toHaveLength(4);
  });

  it('takes pieces only in order and never more than announced', async () => {
    const { send } = await supervisorConsole();
    const begun = (await send('register.importBegin', { size: 10, reason })) as { value: { uploadId: string } };
    const { uploadId } = begun.value;
    expect(await send('register.importChunk', { uploadId, seq: 1, data: 'YWJj' })).toMatchObject({
      error: { details: { problem: 'SEQUENCE' } },
    });
    expect(await send('register.importChunk', { uploadId, seq: 0, data: Buffer.from('abcdefghijk').toString('base64') })).toMatchObject({
      error: { details: { problem: 'SIZE' } },
    });
    expect(await send('register.importFinish', { uploadId, reason })).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('audit trail and dashboard in the console', () => {
  it('verifies the trail: intact, then the first changed line is named', async () => {
    const { app, send } = await supervisorConsole();
    const intact = await send('audit.verify', { reason });
    expect(intact).toMatchObject({ ok: true, value: { ok: true, code: 'INTACT', entries: expect.any(Number) } });
    const lines = readFileSync(app.paths.audit, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('STAFF_LOGIN_SUCCESS', 'STAFF_LOGIN_FAILURE');
    writeFileSync(app.paths.audit, lines.join('\n'));
    expect(await send('audit.verify', { reason })).toMatchObject({ ok: true, value: { ok: false, code: 'CHAIN_BROKEN', brokenAtLine: 2 } });
  });

  it('counts registrations, locks and identity methods per day without naming anyone', async () => {
    const { send } = await supervisorConsole();
    const stats = await send('dashboard.stats', {});
    expect(stats).toMatchObject({
      ok: true,
      value: {
        days: expect.any(Array),
        registrations: expect.any(Array),
        funnel: { registered: 0, emailConfirmed: 0, identityConfirmed: 0, mailboxDecided: 0 },
        identityMethods: { LETTER: 0, POSTIDENT: 0, COUNTER: 0 },
      },
    });
    const value = (stats as { value: { days: string[]; registrations: number[] } }).value;
    expect(value.days).toHaveLength(30);
    expect(value.registrations).toEqual(Array.from({ length: 30 }, () => 0));
  });
});
