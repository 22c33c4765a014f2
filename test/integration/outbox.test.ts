/**
 * The outbox holds personal data only as long as it must (R9, R14): the membership certificate
 * never lands there, an account's undelivered letters, mails and SMS go with the account, and
 * every item goes after the retention period. Real files, the real app wiring, a fake clock.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openApp, type App } from '../../src-main/app.js';
import { parseConfig } from '../../src-main/config/config.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { FileOutbox, scheduleOutboxRetention } from '../../src-main/delivery/outbox.js';
import { outboxName, parseOutboxName } from '../../src-main/delivery/outbox-name.js';
import { OutboxSms } from '../../src-main/delivery/sms.js';
import { startBrowserShell } from '../../src-main/shell/browser/server.js';
import { CARD_DIGITS } from '../fixtures/active.js';
import { erikaInput, FakeClock, fastPasswords, WHO } from '../fixtures/harness.js';

const assetsDir = resolve(import.meta.dirname, '../../assets');
const DAY_MS = 86_400_000;
const dirs: string[] = [];
const apps: App[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-outbox-'));
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string, clock: FakeClock, config: Record<string, unknown> = {}): Promise<App> {
  const app = await openApp({ dataDir, assetsDir, clock, passwords: fastPasswords, config: parseConfig(config) });
  apps.push(app);
  return app;
}

/** Every file under the outbox, as paths relative to it. */
function outboxFiles(app: App): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(app.paths.outbox)
    .map((f) => relative(app.paths.outbox, f))
    .sort();
}

/** The account's item of a kind, found by the tag in its name. */
const itemOf = (dir: string, accountId: string, kind: string): string =>
  join(
    dir,
    readdirSync(dir).find((f) => {
      const item = parseOutboxName(f);
      return item?.accountId === accountId && item.kind === kind;
    }) ?? 'missing',
  );

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

/** Registers a person, confirms the e-mail and the identity by the letter, switches the mailbox on. */
async function activate(app: App, input: ReturnType<typeof erikaInput>): Promise<string> {
  const { accountId } = must(await app.core.registration.register(WHO, input));
  const mail = await simpleParser(readFileSync(itemOf(join(app.paths.outbox, 'mail'), accountId, 'EMAIL_CODE')));
  const code = /\b(\d{8})\b/.exec(mail.text ?? '')?.[1] ?? '';
  must(await app.core.email.confirm(WHO, accountId, { email: input.email, code }));
  must(await app.core.identity.requestLetter(WHO, accountId));
  const letterFile = itemOf(join(app.paths.outbox, 'letters'), accountId, 'ACTIVATION_KEY');
  const letter = execFileSync('pdftotext', ['-layout', letterFile, '-']).toString('utf8');
  const key = /\b([A-Z0-9]{4}(?:-[A-Z0-9]{4}){5})\b/.exec(letter)?.[1] ?? '';
  must(await app.core.identity.enterKey(WHO, accountId, key));
  must(await app.core.mailbox.decide(WHO, accountId, true));
  return accountId;
}

describe('membership certificate: handed to the person, never kept', () => {
  it('leaves no file in the outbox; the document is fetched once through the browser shell, then never again', async () => {
    const app = await open(tempDir(), new FakeClock(new Date('2026-11-29T10:00:00Z')));
    await activate(app, erikaInput());
    const login = await app.dispatcher.dispatch(
      'session.login',
      { username: 'erika.m', password: 'Heide*Blume7' },
      { sessionToken: undefined, terminal: 't' },
    );
    const session = typeof login.session === 'string' ? login.session : undefined;
    const before = outboxFiles(app);

    const created = await app.dispatcher.dispatch('certificate.create', {}, { sessionToken: session, terminal: 't' });
    if (!created.result.ok) throw new Error(JSON.stringify(created.result.error));
    const { documentToken } = created.result.value as { documentToken: string };
    expect(outboxFiles(app)).toEqual(before);

    const rendererDir = tempDir();
    const shell = await startBrowserShell({ dispatcher: app.dispatcher, rendererDir, terminal: 't', secret: 'launch-secret-0123456789' });
    try {
      const launched = await fetch(`${shell.origin}/launch?k=launch-secret-0123456789`, { redirect: 'manual' });
      const cookie = (launched.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const first = await fetch(`${shell.origin}/documents/${documentToken}`, { headers: { cookie } });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/pdf');
      const pdf = new Uint8Array(await first.arrayBuffer());
      const file = join(tempDir(), 'certificate.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
      expect(text).toContain('Mitgliedsbescheinigung');
      expect(text).toContain('A123456780');
      const again = await fetch(`${shell.origin}/documents/${documentToken}`, { headers: { cookie } });
      expect(again.status).toBe(404);
    } finally {
      await shell.close();
    }
    expect(outboxFiles(app)).toEqual(before);
  });

  it('an unfetched document expires with its token', async () => {
    const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
    const app = await open(tempDir(), clock);
    await activate(app, erikaInput());
    const login = await app.dispatcher.dispatch(
      'session.login',
      { username: 'erika.m', password: 'Heide*Blume7' },
      { sessionToken: undefined, terminal: 't' },
    );
    const ctx = { sessionToken: typeof login.session === 'string' ? login.session : undefined, terminal: 't' };
    const created = await app.dispatcher.dispatch('certificate.create', {}, ctx);
    const token = created.result.ok ? (created.result.value as { documentToken: string }).documentToken : '';
    clock.advance(5 * 60_000);
    expect(app.dispatcher.takeDocument(token)).toBeUndefined();
  });
});

describe('deleting an account deletes its undelivered outbox items', () => {
  it('removes that account’s letters, mails and SMS; another account’s stay', async () => {
    const app = await open(tempDir(), new FakeClock(new Date('2026-11-29T10:00:00Z')));
    const erika = await activate(app, erikaInput());
    must(await app.core.mtan.start(erika));
    must(await app.core.mtan.enterCard(WHO, erika, CARD_DIGITS));
    must(await app.core.mtan.sendCode(WHO, erika, '0151 23456789'));
    must(await app.core.login.issueCode({ actor: 'staff:anna', terminal: 'counter-1' }, 'A123456780'));
    const juergen = DEMO_REGISTER[1];
    if (!juergen) throw new Error('demo register');
    const other = await activate(
      app,
      erikaInput({
        kvnr: juergen.kvnr,
        firstName: juergen.firstName,
        lastName: juergen.lastName,
        birthDate: juergen.birthDate,
        email: 'juergen@example.org',
        username: 'juergen.w',
      }),
    );
    const owned = (id: string) => outboxFiles(app).filter((f) => parseOutboxName(f.split('/').at(-1) ?? '')?.accountId === id);
    const erikasItems = owned(erika);
    expect(erikasItems.map((f) => f.split('/')[0])).toEqual(expect.arrayContaining(['letters', 'mail', 'sms']));
    const othersItems = owned(other);
    expect(othersItems.length).toBeGreaterThan(0);
    // No name says whose item it is beyond the random account id.
    expect(outboxFiles(app).join('\n')).not.toMatch(/A123456780|Erika|Mustermann|erika/);

    must(await app.core.services.deleteAccount(WHO, erika, { password: 'Heide*Blume7', confirm: true }));
    expect(owned(erika)).toEqual([]);
    expect(outboxFiles(app).filter((f) => erikasItems.includes(f))).toEqual([]);
    expect(owned(other)).toEqual(othersItems);
    const audit = readFileSync(app.paths.audit, 'utf8');
    const deleted = audit.split('\n').filter((line) => line.includes('ACCOUNT_DELETED'));
    expect(deleted).toHaveLength(1);
    const removed = audit.split('\n').filter((line) => line.includes('ACCOUNT_DATA_REMOVED'));
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain(`"outboxItemsRemoved":${erikasItems.length}`);
  });
});

describe('outbox retention', () => {
  it('at start, removes items older than the retention period and keeps recent ones and foreign files', async () => {
    const dataDir = tempDir();
    const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
    let app = await open(dataDir, clock, { outbox: { retentionDays: 30 } });
    await activate(app, erikaInput());
    const old = outboxFiles(app);
    expect(old.length).toBeGreaterThanOrEqual(2);
    writeFileSync(join(app.paths.outbox, 'letters', 'notes-from-staff.txt'), 'kept');
    await app.close();
    apps.splice(apps.indexOf(app), 1);

    clock.advance(30 * DAY_MS - 1_000);
    app = await open(dataDir, clock, { outbox: { retentionDays: 30 } });
    expect(outboxFiles(app)).toEqual([...old, 'letters/notes-from-staff.txt'].sort());
    // A recent SMS, and a certificate left in the outbox by an earlier version (never a letter to post).
    const recent = await new OutboxSms(join(app.paths.outbox, 'sms'), clock)
      .send({ to: '+4915123456789', text: 'x', kind: 'TAN' })
      .then(() => outboxFiles(app).filter((f) => !old.includes(f) && f.startsWith('sms/')));
    writeFileSync(join(app.paths.outbox, 'letters', outboxName('MEMBERSHIP_CERTIFICATE', 'pdf', clock.now())), '%PDF');
    await app.close();
    apps.splice(apps.indexOf(app), 1);

    clock.advance(2_000);
    app = await open(dataDir, clock, { outbox: { retentionDays: 30 } });
    expect(outboxFiles(app)).toEqual([...recent, 'letters/notes-from-staff.txt'].sort());
  });

  it("touches only regular files: a folder or link with an item's name neither stops the sweep nor goes", async () => {
    const dir = tempDir();
    const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
    await new OutboxSms(dir, clock).send({ to: '+4915123456789', text: 'x', kind: 'TAN', accountId: 'abc_DEF-123' });
    const [item] = readdirSync(dir);
    if (!item) throw new Error('setup');
    const lookalike = item.replace('abc_DEF-123', 'zzz_DEF-123');
    mkdirSync(join(dir, lookalike));
    clock.advance(31 * DAY_MS);
    expect(await new FileOutbox([dir]).removeOlderThan(new Date(clock.now().getTime() - 30 * DAY_MS))).toBe(1);
    expect(readdirSync(dir)).toEqual([lookalike]);
  });

  it('sweeps daily by a timer that close() stops', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const dir = tempDir();
      const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
      await new OutboxSms(dir, clock).send({ to: '+4915123456789', text: 'x', kind: 'TAN', accountId: 'abc_DEF-123' });
      const retention = scheduleOutboxRetention(new FileOutbox([dir]), clock, 30);
      clock.advance(30 * DAY_MS + 1);
      await vi.advanceTimersByTimeAsync(DAY_MS - 1);
      expect(readdirSync(dir)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]));
      retention.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('configuration', () => {
  it('keeps outbox items 30 days by default; the mailbox and certificate limits are policy', () => {
    const config = parseConfig({});
    expect(config.outbox).toEqual({ retentionDays: 30, orphanSweepMinutes: 5 });
    expect(config.policy.mailbox).toEqual({ maxMessagesPerDay: 10, maxStoredMessages: 50 });
    expect(config.policy.certificate).toEqual({ maxPerHour: 10 });
    expect(parseConfig({ outbox: { retentionDays: 7 } }).outbox.retentionDays).toBe(7);
    expect(() => parseConfig({ outbox: { retentionDays: 0 } })).toThrow();
    expect(() => parseConfig({ policy: { mailbox: { maxStoredMessages: 0 } } })).toThrow();
  });
});

describe('outbox names', () => {
  it('carry the time and the pseudonymous account id, nothing else, and refuse what could reach a path', () => {
    const at = new Date('2026-11-29T10:15:02.123Z');
    const name = outboxName('EMAIL_CODE', 'eml', at, 'AbC-12_x');
    expect(name).toMatch(/^2026-11-29T10-15-02-123Z-EMAIL_CODE-[0-9a-f]{6}~AbC-12_x\.eml$/);
    expect(parseOutboxName(name)).toEqual({ at, kind: 'EMAIL_CODE', accountId: 'AbC-12_x' });
    expect(parseOutboxName(`${name}.tmp-0a1b2c`)).toEqual({ at, kind: 'EMAIL_CODE', accountId: 'AbC-12_x' });
    expect(parseOutboxName(outboxName('TAN', 'txt', at))).toEqual({ at, kind: 'TAN' });
    expect(parseOutboxName('notes.txt')).toBeUndefined();
    expect(() => outboxName('TAN', 'txt', at, '../x')).toThrow();
  });
});
