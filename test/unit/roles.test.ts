/**
 * Roles enforced in the main process (R10), generated from the contract: for every counter channel,
 * a kiosk terminal, anonymous callers, account sessions, staff logins under way and (for supervisor
 * channels) counter staff are refused with a typed error and change nothing. Sample inputs are
 * typed by the contract, so a new channel without one fails the type check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { CHANNELS, channels, type Channel, type ChannelInput, type CounterChannel } from '../../src-main/ipc/contract.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

type Guarded = Exclude<CounterChannel, 'app.info'>;
const reason = 'Person am Schalter';
const SAMPLES: { [C in Guarded]: ChannelInput<C> } = {
  'staff.login': { username: 'anna.schmidt', password: 'x' },
  'staff.state': {},
  'staff.totp': { code: '123456' },
  'staff.enrolTotp': {},
  'staff.confirmTotp': { code: '123456' },
  'staff.replacePassword': { newPassword: 'Ein-ganz-neues-Passwort-1' },
  'staff.logout': {},
  'staff.touch': {},
  'staff.changePassword': { currentPassword: 'x', newPassword: 'Ein-ganz-neues-Passwort-1' },
  'counter.search': { query: { by: 'KVNR', kvnr: 'A123456780' }, reason },
  'counter.account': { accountId: 'ACCOUNT', reason },
  'counter.confirmIdentity': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.liftLock': { accountId: 'ACCOUNT', reason },
  'counter.reactivate': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.temporaryPassword': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.newActivationLetter': { accountId: 'ACCOUNT', reason },
  'counter.issueLoginCode': { accountId: 'ACCOUNT', reason, document: 'ID_CARD' },
  'counter.resendEmailCode': { accountId: 'ACCOUNT', reason },
  'counter.deleteAccount': { accountId: 'ACCOUNT', reason, document: 'ID_CARD', confirm: true },
  'inbox.list': {},
  'inbox.read': { id: 'MESSAGE', reason },
  'inbox.answer': { id: 'MESSAGE', subject: 'Re', body: 'Antwort', reason },
  'help.list': {},
  'help.done': { id: 'HELP' },
  'undelivered.list': {},
  'undelivered.dismiss': { id: 'MESSAGE' },
  'staff.list': {},
  'staff.create': { username: 'neu.kollege', role: 'supervisor', reason },
  'staff.change': { staffId: 'STAFF', change: { role: 'supervisor' }, reason },
  'register.importBegin': { size: 100, reason },
  'register.importChunk': { uploadId: 'UPLOAD', seq: 0, data: 'a2Z2bnI=' },
  'register.importFinish': { uploadId: 'UPLOAD', reason },
  'audit.verify': { reason },
  'dashboard.stats': {},
};

const levelOf = (c: Channel) => channels[c].auth;
const GUARDED = Object.keys(SAMPLES) as Guarded[];
const STAFF_CHANNELS = GUARDED.filter((c) => levelOf(c) === 'staff' || levelOf(c) === 'supervisor');
const SUPERVISOR_CHANNELS = GUARDED.filter((c) => levelOf(c) === 'supervisor');

async function setup() {
  const h = makeHarness();
  const config = parseConfig({});
  const kiosk = createDispatcher(h.core, config, { role: 'kiosk' });
  const counter = createDispatcher(h.core, config, { role: 'counter' });
  const accountId = await registeredAndConfirmed(h);
  const login = await h.core.login.withPassword(COUNTER, { username: 'erika.m', password: erikaInput().password });
  if (!login.ok) throw new Error('login');
  const boss = await readyStaff(h, 'anna.schmidt', 'supervisor');
  const clerk = await readyStaff(h, 'berta.meier', 'staff');
  // A login under way: one-time password accepted, own password not yet chosen.
  const created = await h.core.staff.createFromMachine({ username: 'carl.neu', role: 'staff' });
  if (!created.ok) throw new Error('create');
  const pending = await h.core.staff.login(COUNTER, { username: 'carl.neu', password: created.value.oneTimePassword });
  if (!pending.ok) throw new Error('pending');
  const input = <C extends Guarded>(c: C): unknown =>
    JSON.parse(JSON.stringify(SAMPLES[c]).replaceAll('ACCOUNT', accountId).replaceAll('STAFF', clerk.principal.staffId));
  // An open help request, so that a refused help.done would show as a change.
  await h.core.help.request('kiosk-1');
  const snapshot = async () =>
    JSON.stringify([await h.accounts.get(accountId), await h.staff.list(), await h.inbox.list(100), await h.inbox.listHelp(100)]);
  return {
    h,
    kiosk,
    counter,
    accountId,
    input,
    snapshot,
    tokens: { account: login.value.session, pending: pending.value.session, clerk: clerk.token, boss: boss.token },
  };
}

describe('roles, generated from the contract', () => {
  it('every channel names who may call it and where', () => {
    for (const channel of CHANNELS) {
      expect(['none', 'account', 'staff', 'supervisor']).toContain(channels[channel].auth);
      expect(['kiosk', 'counter', 'any']).toContain(channels[channel].terminal);
      // Staff levels exist only at the counter; account sessions only at the kiosk.
      if (levelOf(channel) === 'staff' || levelOf(channel) === 'supervisor') expect(channels[channel].terminal).toBe('counter');
      if (levelOf(channel) === 'account') expect(channels[channel].terminal).toBe('kiosk');
    }
    expect(STAFF_CHANNELS.length).toBeGreaterThan(15);
    expect(SUPERVISOR_CHANNELS).toEqual([
      'staff.list',
      'staff.create',
      'staff.change',
      'register.importBegin',
      'register.importChunk',
      'register.importFinish',
      'audit.verify',
      'dashboard.stats',
    ]);
  });

  it('a kiosk terminal refuses every counter channel, whoever calls, changing nothing; staff channels are audited', async () => {
    const { h, kiosk, input, snapshot, tokens } = await setup();
    const before = await snapshot();
    const refusals = h.audit.events().length;
    for (const channel of GUARDED) {
      for (const token of [undefined, tokens.account, tokens.clerk, tokens.boss]) {
        const out = await kiosk.dispatch(channel, input(channel), { sessionToken: token, terminal: 'kiosk-1' });
        expect({ channel, result: out.result }).toEqual({ channel, result: { ok: false, error: { code: 'WRONG_TERMINAL' } } });
      }
    }
    expect(await snapshot()).toEqual(before);
    // Audited, but a terminal that keeps trying cannot fill the disk: 20 entries per 10 minutes,
    // and the next window's first entry counts the ones left out.
    const audited = h.audit.events().slice(refusals);
    expect(audited).toHaveLength(20);
    expect(new Set(audited.map((e) => e.type))).toEqual(new Set(['STAFF_ACTION_REFUSED']));
    h.clock.advance(10 * 60_000);
    await kiosk.dispatch('staff.list', {}, { sessionToken: undefined, terminal: 'kiosk-1' });
    expect(h.audit.events().at(-1)?.data).toMatchObject({ code: 'WRONG_TERMINAL', notAuditedBefore: GUARDED.length * 4 - 20 });
  });

  it('the counter refuses every staff channel to anonymous callers, account sessions and logins under way', async () => {
    const { counter, input, snapshot, tokens } = await setup();
    const before = await snapshot();
    for (const channel of STAFF_CHANNELS) {
      for (const token of [undefined, 'forged-token', tokens.account, tokens.pending]) {
        const out = await counter.dispatch(channel, input(channel), { sessionToken: token, terminal: 'counter-1' });
        expect({ channel, result: out.result, session: out.session }).toEqual({
          channel,
          result: { ok: false, error: { code: 'NOT_AUTHENTICATED' } },
          session: null,
        });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('supervisor channels refuse counter staff, audited, changing nothing', async () => {
    const { h, counter, input, snapshot, tokens } = await setup();
    const before = await snapshot();
    for (const channel of SUPERVISOR_CHANNELS) {
      const out = await counter.dispatch(channel, input(channel), { sessionToken: tokens.clerk, terminal: 'counter-1' });
      expect({ channel, result: out.result }).toEqual({ channel, result: { ok: false, error: { code: 'FORBIDDEN' } } });
    }
    expect(await snapshot()).toEqual(before);
    expect(h.audit.events().filter((e) => e.type === 'STAFF_ACTION_REFUSED' && e.data?.['code'] === 'FORBIDDEN')).toHaveLength(
      SUPERVISOR_CHANNELS.length,
    );
  });

  it('the counter refuses the kiosk’s channels: no insured person logs in or registers at a counter desk', async () => {
    const { counter, snapshot } = await setup();
    const before = await snapshot();
    for (const channel of CHANNELS.filter((c) => channels[c].terminal === 'kiosk')) {
      const out = await counter.dispatch(channel, {}, { sessionToken: undefined, terminal: 'counter-1' });
      expect({ channel, result: out.result }).toEqual({ channel, result: { ok: false, error: { code: 'WRONG_TERMINAL' } } });
    }
    const login = await counter.dispatch(
      'session.login',
      { username: 'erika.m', password: erikaInput().password },
      { sessionToken: undefined, terminal: 'c' },
    );
    expect(login.result).toEqual({ ok: false, error: { code: 'WRONG_TERMINAL' } });
    expect(await snapshot()).toEqual(before);
  });

  it('random payloads from a supervisor get typed errors, are audited as refusals and change nothing', async () => {
    const { h, counter, snapshot, tokens } = await setup();
    const before = await snapshot();
    let desk = 0;
    const readOnly = new Set<string>([
      'staff.state',
      'staff.touch',
      'inbox.list',
      'staff.list',
      'staff.logout',
      'dashboard.stats',
      'help.list',
      'undelivered.list',
    ]);
    const codes = new Set([
      'VALIDATION_FAILED',
      'NOT_FOUND',
      'SEARCH_INVALID',
      'STAFF_STAGE',
      'INVALID_CREDENTIALS',
      'NOT_AUTHENTICATED',
      'CSV_INVALID',
    ]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GUARDED.filter((c) => c !== 'staff.logout')), fc.anything(), async (channel, payload) => {
        const audited = h.audit.events().length;
        // A desk of its own per run: the cap on refusals audited per desk (tested above) stays out of the way.
        desk += 1;
        const out = await counter.dispatch(channel, payload, { sessionToken: tokens.boss, terminal: `counter-${desk}` });
        if (out.result.ok) {
          expect(readOnly).toContain(channel);
        } else {
          expect(codes).toContain(out.result.error.code);
          if (out.result.error.code === 'VALIDATION_FAILED' && levelOf(channel) !== 'none') {
            expect(
              h.audit
                .events()
                .slice(audited)
                .map((e) => e.type),
            ).toEqual(['STAFF_ACTION_REFUSED']);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('bad counter input: a missing or overlong reason, an unknown document, a non-literal confirmation', async () => {
    const { counter, accountId, snapshot, tokens } = await setup();
    const before = await snapshot();
    const ctx = { sessionToken: tokens.clerk, terminal: 'counter-1' };
    for (const [channel, payload, path] of [
      ['counter.liftLock', { accountId }, 'reason'],
      ['counter.liftLock', { accountId, reason: '   ' }, 'reason'],
      ['counter.liftLock', { accountId, reason: 'x'.repeat(501) }, 'reason'],
      ['counter.confirmIdentity', { accountId, reason, document: 'DRIVING_LICENCE' }, 'document'],
      ['counter.deleteAccount', { accountId, reason, document: 'ID_CARD', confirm: 'yes' }, 'confirm'],
      ['counter.search', { query: { by: 'EVERYTHING' }, reason }, 'query.by'],
      ['counter.search', { query: { by: 'KVNR', kvnr: 'A123456780', extra: 1 }, reason }, 'query'],
    ] as const) {
      const out = await counter.dispatch(channel, payload, ctx);
      expect(out.result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path })] } },
      });
    }
    expect(await snapshot()).toEqual(before);
  });
});
