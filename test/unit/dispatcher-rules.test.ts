/**
 * The dispatcher's own rules, between the renderer and the core: what a refused call answers and
 * what it leaves in the audit trail, how many refusals a terminal can have written, which answers
 * end the session on the screen, and what a failure inside the core looks like to the renderer.
 * The renderer is hostile here: its input never reaches an answer or a log line.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import type { Core } from '../../src-main/core/index.js';
import { HashingBusyError, StoreUnavailableError } from '../../src-main/core/ports.js';
import { fail } from '../../src-main/core/result.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { activeAccount } from '../fixtures/active.js';
import { erikaInput, makeHarness, registeredAndConfirmed, WHO } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const MINUTE = 60_000;
const reason = 'Person am Schalter';
type Harness = ReturnType<typeof makeHarness>;

const refusals = (h: Harness) => h.audit.events().filter((e) => e.type === 'STAFF_ACTION_REFUSED') as Record<string, unknown>[];

async function loggedIn(h: Harness, core: Core = h.core) {
  const kiosk = createDispatcher(core, parseConfig({}), { role: 'kiosk' });
  const out = await kiosk.dispatch(
    'session.login',
    { username: 'erika.m', password: erikaInput().password },
    { sessionToken: undefined, terminal: 'kiosk-1' },
  );
  if (typeof out.session !== 'string') throw new Error('login');
  return { kiosk, at: { sessionToken: out.session, terminal: 'kiosk-1' }, token: out.session };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('refused counter calls in the audit trail', () => {
  it('a counter channel tried at a kiosk is recorded as anonymous with channel, code and role, whatever token came with it', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const before = refusals(h).length;
    const out = await kiosk.dispatch('staff.list', { secret: 'Heide*Blume7' }, { sessionToken: boss.token, terminal: 'kiosk-7' });
    expect(out).toEqual({ result: { ok: false, error: { code: 'WRONG_TERMINAL' } } });
    const [entry, ...more] = refusals(h).slice(before);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: 'anonymous', terminal: 'kiosk-7' });
    expect(entry).not.toHaveProperty('subject');
    expect(entry?.['data']).toEqual({ channel: 'staff.list', code: 'WRONG_TERMINAL', role: 'kiosk' });
  });

  it('a kiosk channel tried at a counter desk is refused without an entry: only staff actions are audited', async () => {
    const h = makeHarness();
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const before = h.audit.events().length;
    const out = await counter.dispatch('registration.submit', erikaInput(), { sessionToken: undefined, terminal: 'counter-1' });
    expect(out).toEqual({ result: { ok: false, error: { code: 'WRONG_TERMINAL' } } });
    expect(h.audit.events()).toHaveLength(before);
    expect(await h.accounts.count()).toBe(0);
  });

  it('a supervisor channel tried by counter staff is recorded under the staff member with channel, code and role', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const before = refusals(h).length;
    const out = await counter.dispatch(
      'staff.create',
      { username: 'neu', role: 'supervisor', reason },
      { sessionToken: clerk.token, terminal: 'counter-2' },
    );
    expect(out).toEqual({ result: { ok: false, error: { code: 'FORBIDDEN' } } });
    const [entry, ...more] = refusals(h).slice(before);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: `staff:${clerk.principal.staffId}`, terminal: 'counter-2' });
    expect(entry?.['data']).toEqual({ channel: 'staff.create', code: 'FORBIDDEN', role: 'counter' });
    expect((await h.staff.list()).map((s) => s.username)).toEqual(['berta.meier']);
  });

  it('bad input from a staff member is answered with the failing paths and issue kinds, recorded without the input', async () => {
    const h = makeHarness();
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const before = refusals(h).length;
    const out = await counter.dispatch(
      'counter.search',
      { query: { by: 'KVNR', kvnr: 'A123456780' }, reason: 'x'.repeat(501), note: 'Erika Mustermann' },
      { sessionToken: clerk.token, terminal: 'counter-1' },
    );
    expect(out).toEqual({
      result: {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          details: {
            issues: [
              { path: 'reason', code: 'too_big' },
              { path: '', code: 'unrecognized_keys' },
            ],
          },
        },
      },
    });
    const [entry, ...more] = refusals(h).slice(before);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: `staff:${clerk.principal.staffId}`, terminal: 'counter-1' });
    expect(entry?.['data']).toEqual({ channel: 'counter.search', code: 'VALIDATION_FAILED', role: 'counter' });
    expect(JSON.stringify(h.audit.lines)).not.toContain('Mustermann');
  });

  it('a caller without a staff session learns nothing about the input and leaves no entry', async () => {
    const h = makeHarness();
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const before = h.audit.events().length;
    const out = await counter.dispatch('counter.search', { nonsense: true }, { sessionToken: 'forged', terminal: 'counter-1' });
    expect(out).toEqual({ result: { ok: false, error: { code: 'NOT_AUTHENTICATED' } }, session: null });
    expect(h.audit.events()).toHaveLength(before);
  });
});

describe('how many refusals a terminal can have written', () => {
  const tryCounter = (kiosk: ReturnType<typeof createDispatcher>, terminal: string) =>
    kiosk.dispatch('staff.list', {}, { sessionToken: undefined, terminal });

  it('20 per terminal in 10 minutes; the first entry after that counts the ones left out, and the count starts again', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    for (let i = 0; i < 25; i++) await tryCounter(kiosk, 'kiosk-1');
    expect(refusals(h)).toHaveLength(20);
    expect(refusals(h).every((e) => !('notAuditedBefore' in (e['data'] as object)))).toBe(true);
    // Another terminal has a window of its own.
    await tryCounter(kiosk, 'kiosk-2');
    expect(refusals(h)).toHaveLength(21);
    expect(refusals(h).at(-1)).toMatchObject({
      terminal: 'kiosk-2',
      data: { channel: 'staff.list', code: 'WRONG_TERMINAL', role: 'kiosk' },
    });
    // One millisecond before the window ends, still nothing is written.
    h.clock.advance(10 * MINUTE - 1);
    await tryCounter(kiosk, 'kiosk-1');
    expect(refusals(h)).toHaveLength(21);
    h.clock.advance(1);
    await tryCounter(kiosk, 'kiosk-1');
    expect(refusals(h)).toHaveLength(22);
    expect(refusals(h).at(-1)).toMatchObject({
      terminal: 'kiosk-1',
      data: { channel: 'staff.list', code: 'WRONG_TERMINAL', role: 'kiosk', notAuditedBefore: 6 },
    });
    await tryCounter(kiosk, 'kiosk-1');
    expect(refusals(h)).toHaveLength(23);
    expect(refusals(h).at(-1)?.['data']).toEqual({ channel: 'staff.list', code: 'WRONG_TERMINAL', role: 'kiosk' });
  });

  it('refusals left out are still counted in a later window, however long the terminal was quiet', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    for (let i = 0; i < 22; i++) await tryCounter(kiosk, 'kiosk-1');
    h.clock.advance(3 * 60 * MINUTE);
    await tryCounter(kiosk, 'kiosk-1');
    expect(refusals(h).at(-1)?.['data']).toMatchObject({ notAuditedBefore: 2 });
  });
});

describe('input the dispatcher takes', () => {
  it('a call without an argument is a call with no input; null, a string or an array is wrong input', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const at = { sessionToken: undefined, terminal: 'kiosk-1' };
    expect((await kiosk.dispatch('app.info', undefined, at)).result.ok).toBe(true);
    for (const payload of [null, 'x', [], 0]) {
      expect((await kiosk.dispatch('app.info', payload, at)).result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('an unknown channel is answered UNKNOWN_CHANNEL and nothing else happens', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    for (const channel of ['no.such.channel', '__proto__', 'constructor', 42, undefined]) {
      expect(await kiosk.dispatch(channel, {}, { sessionToken: undefined, terminal: 'kiosk-1' })).toEqual({
        result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } },
      });
    }
    expect(h.audit.events()).toEqual([]);
  });

  it('a refused registration names the failing fields and kinds of failure, never what was typed', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const out = await kiosk.dispatch(
      'registration.submit',
      { ...erikaInput(), firstName: 17, lastName: 'Mustermann'.repeat(20), language: 'fr' },
      { sessionToken: undefined, terminal: 'kiosk-1' },
    );
    expect(out.result).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        details: {
          issues: [
            { path: 'firstName', code: 'invalid_type' },
            { path: 'lastName', code: 'too_big' },
            { path: 'language', code: 'invalid_value' },
          ],
        },
      },
    });
    expect(JSON.stringify(out)).not.toMatch(/Mustermann|Heide|fr/);
    expect(await h.accounts.count()).toBe(0);
  });

  it('a dispatcher without a role is the configured terminal’s', async () => {
    const h = makeHarness();
    const counter = createDispatcher(h.core, parseConfig({ terminalRole: 'counter' }));
    const at = { sessionToken: undefined, terminal: 'counter-1' };
    expect((await counter.dispatch('registration.submit', erikaInput(), at)).result).toEqual({
      ok: false,
      error: { code: 'WRONG_TERMINAL' },
    });
    expect((await counter.dispatch('staff.state', {}, at)).result).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});

describe('the session on the screen', () => {
  it('a new login on the same screen ends the session it had at once', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const { kiosk, at, token } = await loggedIn(h);
    const again = await kiosk.dispatch('session.login', { username: 'erika.m', password: erikaInput().password }, at);
    expect(typeof again.session).toBe('string');
    expect(again.session).not.toBe(token);
    expect(await h.core.access.resolve(token)).toBeUndefined();
    expect((await kiosk.dispatch('onboarding.state', {}, at)).result).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('a refused login does not end or replace the session open on the screen', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const { kiosk, at, token } = await loggedIn(h);
    const wrong = await kiosk.dispatch('session.login', { username: 'erika.m', password: 'Falsch*Passwort1' }, at);
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(wrong).not.toHaveProperty('session');
    expect(await h.core.access.resolve(token)).toBeDefined();
  });

  it('an account channel answered ACCOUNT_LOCKED, ACCOUNT_DEACTIVATED or NOT_AUTHENTICATED ends the session; other refusals keep it', async () => {
    for (const code of ['ACCOUNT_LOCKED', 'ACCOUNT_DEACTIVATED', 'NOT_AUTHENTICATED', 'NOT_FOUND'] as const) {
      const h = makeHarness();
      await registeredAndConfirmed(h);
      const core: Core = { ...h.core, services: { ...h.core.services, personalData: () => Promise.resolve(fail(code)) } };
      const { kiosk, at, token } = await loggedIn(h, core);
      const out = await kiosk.dispatch('personal.data', {}, at);
      const ends = code !== 'NOT_FOUND';
      expect({ code, out }).toEqual({ code, out: { result: { ok: false, error: { code } }, ...(ends ? { session: null } : {}) } });
      expect({ code, open: (await h.core.access.resolve(token)) !== undefined }).toEqual({ code, open: !ends });
    }
  });

  it('a public channel answered ACCOUNT_LOCKED leaves the screen’s session to the shell', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const core: Core = { ...h.core, login: { ...h.core.login, lockNotice: () => Promise.resolve(fail('ACCOUNT_LOCKED')) } };
    const { kiosk, at, token } = await loggedIn(h, core);
    const out = await kiosk.dispatch('session.lockNotice', { username: 'erika.m' }, at);
    expect(out).toEqual({ result: { ok: false, error: { code: 'ACCOUNT_LOCKED' } } });
    expect(await h.core.access.resolve(token)).toBeDefined();
  });

  it('with a temporary password only choosing one’s own, the step, touching and more time are open; everything else asks for the change', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    await h.core.counter.temporaryPassword(COUNTER, clerk.principal, id, { reason, document: 'ID_CARD' });
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'TEMPORARY_PASSWORD') throw new Error('no letter');
    const login = await h.core.login.withPassword(WHO, { username: 'erika.m', password: letter.password });
    if (!login.ok) throw new Error(login.error.code);
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const at = { sessionToken: login.value.session, terminal: 'kiosk-1' };
    for (const channel of ['personal.data', 'mailbox.list', 'email.resend', 'certificate.create'] as const) {
      expect({ channel, out: await kiosk.dispatch(channel, {}, at) }).toEqual({
        channel,
        out: { result: { ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } } },
      });
    }
    expect((await kiosk.dispatch('onboarding.state', {}, at)).result.ok).toBe(true);
    expect((await kiosk.dispatch('session.touch', {}, at)).result.ok).toBe(true);
    expect((await kiosk.dispatch('session.moreTime', { kind: 'MORE_TIME' }, at)).result.ok).toBe(true);
    expect((await kiosk.dispatch('password.chooseOwn', { newPassword: 'Neue*Wiese*42' }, at)).result.ok).toBe(true);
  });
});

describe('failures inside the core', () => {
  const throwing = (h: Harness, error: unknown): Core => ({
    ...h.core,
    services: { ...h.core.services, personalData: () => Promise.reject(error) },
  });

  it('too much hashing work answers BUSY and a lost database STORE_UNAVAILABLE; the session stays', async () => {
    for (const [error, code] of [
      [new HashingBusyError(), 'BUSY'],
      [new StoreUnavailableError('connection refused'), 'STORE_UNAVAILABLE'],
    ] as const) {
      const h = makeHarness();
      await registeredAndConfirmed(h);
      const { kiosk, at, token } = await loggedIn(h, throwing(h, error));
      expect(await kiosk.dispatch('personal.data', {}, at)).toEqual({ result: { ok: false, error: { code } } });
      expect(await h.core.access.resolve(token)).toBeDefined();
    }
  });

  it('any other error answers INTERNAL and nothing more; the operator’s log names the channel', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { kiosk, at } = await loggedIn(h, throwing(h, new Error('row of A123456780 is broken')));
    const out = await kiosk.dispatch('personal.data', {}, at);
    expect(out).toEqual({ result: { ok: false, error: { code: 'INTERNAL' } } });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]?.[0]).toBe('[dispatcher] personal.data failed');
  });
});

describe('the console’s audit check', () => {
  it('without a verifier the console is told it cannot verify, and the attempt is recorded with its reason', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const out = await counter.dispatch('audit.verify', { reason }, { sessionToken: boss.token, terminal: 'counter-1' });
    expect(out).toEqual({ result: { ok: true, value: { ok: false, code: 'UNAVAILABLE' } } });
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'AUDIT_VERIFIED',
      actor: `staff:${boss.principal.staffId}`,
      terminal: 'counter-1',
      data: { outcome: 'UNAVAILABLE', reason },
    });
  });
});

describe('register uploads through the console', () => {
  it('a dispatcher keeps uploads of its own when none are shared: an incomplete file is refused at the end and recorded', async () => {
    const h = makeHarness();
    const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const at = { sessionToken: boss.token, terminal: 'counter-1' };
    const begun = await counter.dispatch('register.importBegin', { size: 10, reason }, at);
    expect(begun.result).toMatchObject({ ok: true, value: { chunkChars: expect.any(Number) } });
    const uploadId = begun.result.ok ? (begun.result.value as { uploadId: string }).uploadId : '';
    const data = Buffer.from('kvnr').toString('base64');
    expect((await counter.dispatch('register.importChunk', { uploadId, seq: 0, data }, at)).result).toEqual({
      ok: true,
      value: { received: 4, size: 10 },
    });
    expect((await counter.dispatch('register.importFinish', { uploadId, reason }, at)).result).toEqual({
      ok: false,
      error: { code: 'CSV_INVALID', details: { problem: 'INCOMPLETE', received: 4, size: 10 } },
    });
    expect(h.audit.events().at(-1)).toMatchObject({
      type: 'STAFF_ACTION_REFUSED',
      actor: `staff:${boss.principal.staffId}`,
      data: { action: 'IMPORT_REGISTER', code: 'CSV_INVALID', reason },
    });
  });
});

describe('who the core hears of', () => {
  it('what a logged-in person does at the kiosk is recorded under their account, at that kiosk', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const { kiosk, at } = await loggedIn(h);
    expect((await kiosk.dispatch('identity.requestLetter', {}, at)).result.ok).toBe(true);
    expect(h.audit.events().at(-1)).toMatchObject({ subject: id, actor: `account:${id}`, terminal: 'kiosk-1' });
  });

  it('what someone does at a kiosk without a session is recorded as anonymous', async () => {
    const h = makeHarness();
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const out = await kiosk.dispatch('registration.submit', erikaInput(), { sessionToken: undefined, terminal: 'kiosk-3' });
    expect(out.result.ok).toBe(true);
    expect(h.audit.events().find((e) => e.type === 'REGISTRATION')).toMatchObject({ actor: 'anonymous', terminal: 'kiosk-3' });
  });

  it('a counter desk neither resolves nor ends a kiosk session, even when handed its token', async () => {
    const h = makeHarness();
    await registeredAndConfirmed(h);
    const { token } = await loggedIn(h);
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const desk = { sessionToken: token, terminal: 'counter-1' };
    await counter.dispatch('staff.login', { username: 'nobody.here', password: 'x' }, desk);
    expect(h.audit.events().at(-1)).toMatchObject({ type: 'STAFF_LOGIN_FAILURE', actor: 'anonymous', terminal: 'counter-1' });
    const created = await h.core.staff.createFromMachine({ username: 'carl.neu', role: 'staff' });
    if (!created.ok) throw new Error(created.error.code);
    const login = await counter.dispatch('staff.login', { username: 'carl.neu', password: created.value.oneTimePassword }, desk);
    expect(typeof login.session).toBe('string');
    expect(await h.core.access.resolve(token)).toBeDefined();
  });

  it('with a temporary password the public kiosk channels stay open: the person can log out', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const clerk = await readyStaff(h, 'berta.meier', 'staff');
    await h.core.counter.temporaryPassword(COUNTER, clerk.principal, id, { reason, document: 'ID_CARD' });
    const letter = h.letters.at(-1);
    if (letter?.kind !== 'TEMPORARY_PASSWORD') throw new Error('no letter');
    const login = await h.core.login.withPassword(WHO, { username: 'erika.m', password: letter.password });
    if (!login.ok) throw new Error(login.error.code);
    const kiosk = createDispatcher(h.core, parseConfig({}), { role: 'kiosk' });
    const at = { sessionToken: login.value.session, terminal: 'kiosk-1' };
    expect((await kiosk.dispatch('app.info', {}, at)).result.ok).toBe(true);
    expect(await kiosk.dispatch('session.logout', {}, at)).toEqual({ result: { ok: true, value: null }, session: null });
    expect(await h.core.access.resolve(login.value.session)).toBeUndefined();
  });
});

describe('documents for the person', () => {
  it('a document handed out in a session is fetched once: its bytes the first time, nothing after', async () => {
    const { h } = await activeAccount();
    const { kiosk, at } = await loggedIn(h);
    const created = await kiosk.dispatch('certificate.create', {}, at);
    if (!created.result.ok) throw new Error(created.result.error.code);
    const { documentToken } = created.result.value as { documentToken: string };
    const fetched = kiosk.takeDocument(documentToken);
    expect(new TextDecoder().decode(fetched?.bytes)).toMatch(/^%PDF-test /);
    expect(kiosk.takeDocument(documentToken)).toBeUndefined();
  });
});
