/**
 * Which letter goes where, and the configurations that are refused: a postal route to a printer
 * (a key in a kiosk's tray), a provider over plain http beyond loopback, a provider whose token
 * file is missing, exposed or empty (the start is refused naming the file). And the outbox route
 * itself: the file under its reference, a reference that would be a path refused.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app.js';
import { loadConfig, parseConfig } from '../../src-main/config/config.js';
import type { Letter } from '../../src-main/core/ports.js';
import { DeliveryFailure } from '../../src-main/delivery/delivery-failure.js';
import { OutboxLetterDispatch } from '../../src-main/delivery/letter-dispatch-outbox.js';
import { RoutedLetterPrinter, type DispatchItem, type LetterDispatch, type LetterRoutes } from '../../src-main/delivery/letter-dispatch.js';
import { parseOutboxName } from '../../src-main/delivery/outbox-name.js';
import { asStartupRefusal, StartupRefusal } from '../../src-main/startup/refusal.js';
import { FakeClock, fastPasswords } from '../fixtures/harness.js';

const assetsDir = resolve(import.meta.dirname, '../../assets');
const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-letter-routes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;
const fresh = (what: string) => {
  const dir = join(scratch, `${what}-${(serial += 1)}`);
  mkdirSync(dir);
  return dir;
};

const TO = { name: 'Erika Mustermann', street: 'Heidestraße 17', postalCode: '51147', city: 'Köln' };
const common = { to: TO, date: '2026-11-30', language: 'de' as const, accountId: 'acc0unt-Id_1' };
const LETTERS: Letter[] = [
  { ...common, kind: 'ACTIVATION_KEY', username: 'erika.m', key: 'SI37-FF96-2013-0808-0903-3876', validUntil: '2027-01-29' },
  { ...common, kind: 'LOGIN_CODE', code: 'ABCD-EFGH-JKLM', validUntil: '2026-12-30' },
  { ...common, kind: 'POSTIDENT_COUPON', caseId: 'SIM-0123456789', simulated: true },
  { ...common, kind: 'TEMPORARY_PASSWORD', username: 'erika.m', password: 'abcd efgh jkmn', validUntil: '2026-12-14' },
];

/** A dispatch that records what it was handed. */
function recording<K extends LetterDispatch['kind']>(kind: K) {
  const items: DispatchItem[] = [];
  return {
    kind,
    items,
    dispatch: (item: DispatchItem) => {
      items.push(item);
      return Promise.resolve();
    },
    probe: () => Promise.resolve({ ok: true, detail: 'recording' }),
  };
}

/** The problem a configuration file is refused with, as the shells print it. */
async function refusalOf(config: unknown): Promise<string> {
  const file = join(fresh('config'), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => asStartupRefusal(e),
  );
  if (!(error instanceof StartupRefusal)) throw new Error('the configuration was accepted');
  expect(error.code).toBe('CONFIG_INVALID');
  return error.message;
}

describe('routes', () => {
  it('activation keys, login codes and coupons take the postal route, temporary passwords the counter route', async () => {
    const postal = recording('http');
    const counter = recording('print');
    const clock = new FakeClock(new Date('2026-11-30T09:15:00Z'));
    const rendered: string[] = [];
    const render = (letter: Letter) => {
      rendered.push(letter.kind);
      return Promise.resolve(new TextEncoder().encode(`%PDF-${letter.kind}`));
    };
    const printer = new RoutedLetterPrinter(render, { postal, counter }, clock);
    const refs: string[] = [];
    for (const letter of LETTERS) refs.push(await printer.print(letter));
    expect(postal.items.map((i) => i.kind)).toEqual(['ACTIVATION_KEY', 'LOGIN_CODE', 'POSTIDENT_COUPON']);
    expect(counter.items.map((i) => i.kind)).toEqual(['TEMPORARY_PASSWORD']);
    // Each handed on with its address, its PDF, and the reference the core records.
    const all = [...postal.items, ...counter.items];
    expect(all.map((i) => i.reference).sort()).toEqual([...refs].sort());
    for (const item of all) {
      expect(item.to).toEqual(TO);
      expect(item.accountId).toBe('acc0unt-Id_1');
      expect(new TextDecoder().decode(item.pdf)).toBe(`%PDF-${item.kind}`);
      expect(parseOutboxName(item.reference)).toEqual({ at: clock.now(), kind: item.kind, accountId: 'acc0unt-Id_1' });
    }
  });

  it('a printer is never the postal route, even when a configuration slips past the types', () => {
    const routes = { postal: recording('print'), counter: recording('outbox') } as unknown as LetterRoutes;
    expect(() => new RoutedLetterPrinter(() => Promise.resolve(new Uint8Array()), routes)).toThrow('never go to a printer');
  });

  it('a failing dispatch fails the print: the letter counts as not sent', async () => {
    const failing = {
      kind: 'outbox' as const,
      dispatch: () => Promise.reject(new DeliveryFailure('OUTBOX_WRITE_FAILED', 'full', false)),
      probe: () => Promise.resolve({ ok: false, detail: 'full' }),
    };
    const printer = new RoutedLetterPrinter(() => Promise.resolve(new Uint8Array([1])), { postal: failing, counter: failing });
    await expect(printer.print(LETTERS[0] as Letter)).rejects.toMatchObject({ code: 'OUTBOX_WRITE_FAILED' });
  });
});

describe('the outbox route', () => {
  it('writes the PDF under its reference; a reference that is not an outbox name is refused', async () => {
    const dir = fresh('outbox');
    const outbox = new OutboxLetterDispatch(dir);
    const reference = '2026-11-30T09-15-00-000Z-ACTIVATION_KEY-1a2b3c~acc0unt-Id_1.pdf';
    await outbox.dispatch({ pdf: new Uint8Array([37, 80, 68, 70]), kind: 'ACTIVATION_KEY', reference, to: TO });
    expect(readdirSync(dir)).toEqual([reference]);
    expect(readFileSync(join(dir, reference)).toString('latin1')).toBe('%PDF');
    for (const bad of ['../escape.pdf', `${reference}.tmp-00ff`, 'Erika Mustermann.pdf']) {
      await expect(outbox.dispatch({ pdf: new Uint8Array([1]), kind: 'ACTIVATION_KEY', reference: bad, to: TO })).rejects.toMatchObject({
        code: 'REFERENCE_INVALID',
        permanent: true,
      });
    }
    expect(readdirSync(dir)).toEqual([reference]);
    expect(await outbox.probe()).toEqual({ ok: true, detail: 'the outbox letters folder is writable' });
  });

  it('a folder that is gone is a failure to try again, and the health check says so', async () => {
    const outbox = new OutboxLetterDispatch(join(scratch, 'never-made'));
    const reference = '2026-11-30T09-15-00-000Z-LOGIN_CODE-1a2b3c.pdf';
    await expect(outbox.dispatch({ pdf: new Uint8Array([1]), kind: 'LOGIN_CODE', reference, to: TO })).rejects.toMatchObject({
      code: 'OUTBOX_WRITE_FAILED',
      permanent: false,
      message: 'the letter could not be written to the outbox (ENOENT)',
    });
    expect(await outbox.probe()).toEqual({ ok: false, detail: 'the outbox letters folder is not writable (ENOENT)' });
  });
});

describe('configuration', () => {
  it('defaults to the outbox on both routes', () => {
    expect(parseConfig({}).letters).toEqual({ postal: { kind: 'outbox' }, counter: { kind: 'outbox' } });
  });

  it('refuses a printer as the postal route, saying why', async () => {
    const message = await refusalOf({ letters: { postal: { kind: 'print', printer: 'Schalter-1' } } });
    expect(message).toContain(
      'letters.postal.kind: letters to post (activation keys, login codes, POSTIDENT coupons) never go to a printer at the terminal: use "outbox" or "http"',
    );
    // The counter may print.
    expect(parseConfig({ letters: { counter: { kind: 'print', printer: 'Schalter-1' } } }).letters.counter).toEqual({
      kind: 'print',
      printer: 'Schalter-1',
      timeoutMs: 15_000,
      options: [],
    });
  });

  it('refuses a provider over plain http beyond loopback, and credentials in its URL', async () => {
    const http = (url: string) => ({ letters: { postal: { kind: 'http', url, tokenFile: 'letters.token' } } });
    for (const url of ['http://letters.example.com/v1/letters', 'http://localhost:8080/letters', 'http://10.0.0.5/letters']) {
      expect(await refusalOf(http(url))).toContain(
        'letters.postal.url: must use https (plain http only on a loopback address such as 127.0.0.1)',
      );
    }
    expect(await refusalOf(http('https://user:secret@letters.example.com/v1'))).toContain('letters.postal.url: must not carry credentials');
    expect(await refusalOf(http('ftp://letters.example.com/'))).toContain('letters.postal.url');
    for (const url of [
      'https://letters.example.com/v1/letters?product=standard',
      'http://127.0.0.1:8080/letters',
      'http://[::1]:8080/letters',
    ]) {
      expect(parseConfig(http(url)).letters.postal).toMatchObject({ kind: 'http', url, format: 'multipart', timeoutMs: 15_000 });
    }
  });

  it('refuses a printer name lp would read as an option', async () => {
    expect(await refusalOf({ letters: { counter: { kind: 'print', printer: '-oevil' } } })).toContain('letters.counter.printer');
  });
});

describe('the provider token at start', () => {
  async function startWith(tokenFile: string) {
    const dataDir = fresh('data');
    const config = parseConfig({ letters: { postal: { kind: 'http', url: 'https://letters.example.com/v1', tokenFile } } });
    const error = await openApp({ dataDir, assetsDir, passwords: fastPasswords, config }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    // A refused start leaves the data directory free for the next try.
    const again = await openApp({ dataDir, assetsDir, passwords: fastPasswords, config: parseConfig({}) });
    await again.close();
    return error;
  }

  it('a missing token file refuses the start, naming the file', async () => {
    const file = join(scratch, 'no-such.token');
    const error = await startWith(file);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect(error).toMatchObject({ code: 'LETTER_TOKEN_MISSING', path: file });
    expect((error as Error).message).toContain(`the letter provider's token file ${file} (letters.postal.tokenFile) does not exist`);
  });

  it('a token file others may read, or one without a token, refuses the start without showing it', async () => {
    const exposed = join(fresh('token'), 'letters.token');
    writeFileSync(exposed, 'tok_live_5f1c0e9a7b3d\n');
    chmodSync(exposed, 0o644);
    const error = await startWith(exposed);
    expect(error).toMatchObject({ code: 'LETTER_TOKEN_EXPOSED', path: exposed });
    expect((error as Error).message).not.toContain('tok_live');
    const empty = join(fresh('token'), 'letters.token');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(await startWith(empty)).toMatchObject({ code: 'LETTER_TOKEN_INVALID', path: empty });
    const two = join(fresh('token'), 'letters.token');
    writeFileSync(two, 'tok_one\ntok_two\n', { mode: 0o600 });
    const refusal = await startWith(two);
    expect(refusal).toMatchObject({ code: 'LETTER_TOKEN_INVALID' });
    expect((refusal as Error).message).not.toContain('tok_');
  });

  it('a token file of the Kontokiosk user only starts, relative names in the data directory', async () => {
    const dataDir = fresh('data');
    writeFileSync(join(dataDir, 'letters.token'), 'tok_live_5f1c0e9a7b3d\n', { mode: 0o600 });
    const config = parseConfig({
      letters: { postal: { kind: 'http', url: 'https://letters.example.com/v1', tokenFile: 'letters.token' } },
    });
    const app = await openApp({ dataDir, assetsDir, passwords: fastPasswords, config });
    try {
      expect(app.letterRoutes.postal.kind).toBe('http');
      expect(app.letterRoutes.counter.kind).toBe('outbox');
      expect(existsSync(join(app.paths.outbox, 'letters'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
