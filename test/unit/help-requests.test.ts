/** Help requests from kiosks to the counter: one open per terminal, an hourly limit, nothing personal, audited. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { DEFAULT_POLICY, policySchema } from '../../src-main/core/policy.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { INBOX_FILE_NAME, LowdbInboxStore } from '../../src-main/store/inbox-store.js';
import { erikaInput, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';
import { COUNTER, readyStaff } from '../fixtures/staff.js';

const MINUTE = 60_000;

async function setup(maxPerHourPerTerminal?: number) {
  const policy = maxPerHourPerTerminal ? policySchema.parse({ help: { maxPerHourPerTerminal } }) : DEFAULT_POLICY;
  const h = makeHarness({ policy });
  const config = parseConfig({ policy: maxPerHourPerTerminal ? { help: { maxPerHourPerTerminal } } : {} });
  const kiosk = createDispatcher(h.core, config, { role: 'kiosk' });
  const counter = createDispatcher(h.core, config, { role: 'counter' });
  const clerk = await readyStaff(h, 'berta.meier', 'staff');
  const ask = (terminal = 'kiosk-1', sessionToken?: string) => kiosk.dispatch('help.request', {}, { sessionToken, terminal });
  // The counter's side through the core: the staff session would end as the fake clock moves hours on.
  const list = async () => {
    const r = await h.core.counter.helpRequests();
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  const done = async (id: string) => ({ result: await h.core.counter.closeHelp(COUNTER, clerk.principal, id) });
  const helpEvents = () => h.audit.events().filter((e) => e.type.startsWith('HELP_'));
  return { h, kiosk, counter, clerk, ask, list, done, helpEvents };
}

describe('help requests', () => {
  it('a tap puts the terminal and the time into the counter queue; staff mark it done; both audited', async () => {
    const { h, clerk, ask, list, done, helpEvents } = await setup();
    expect((await ask()).result).toEqual({ ok: true, value: { state: 'REQUESTED', since: h.clock.now().toISOString() } });
    const [open] = await list();
    expect(open).toEqual({ id: expect.any(String), terminal: 'kiosk-1', at: h.clock.now().toISOString() });
    h.clock.advance(3 * MINUTE);
    expect((await done(open?.id ?? '')).result).toEqual({ ok: true, value: null });
    expect((await list())[0]).toMatchObject({ id: open?.id, doneAt: h.clock.now().toISOString() });
    // Done twice (two staff at once): the second is told, and the trail has one HELP_DONE.
    expect((await done(open?.id ?? '')).result).toEqual({ ok: false, error: { code: 'WRONG_STEP' } });
    expect((await done('no-such-request')).result).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(helpEvents()).toEqual([
      expect.objectContaining({ type: 'HELP_REQUESTED', actor: 'kiosk', terminal: 'kiosk-1', data: { request: open?.id } }),
      expect.objectContaining({
        type: 'HELP_DONE',
        actor: `staff:${clerk.principal.staffId}`,
        terminal: 'counter-1',
        data: { request: open?.id, kioskTerminal: 'kiosk-1', waitedSeconds: 180 },
      }),
    ]);
  });

  it('one open request per terminal: a second tap hears someone is on the way and adds nothing', async () => {
    const { h, ask, list, done, helpEvents } = await setup();
    const first = await ask();
    h.clock.advance(MINUTE);
    expect((await ask()).result).toEqual({
      ok: true,
      value: { state: 'ALREADY_OPEN', since: (first.result as { value: { since: string } }).value.since },
    });
    // Taps at the same moment open one request, not two.
    const many = await Promise.all([ask('kiosk-2'), ask('kiosk-2'), ask('kiosk-2')]);
    expect(many.map((m) => (m.result as { value: { state: string } }).value.state).sort()).toEqual([
      'ALREADY_OPEN',
      'ALREADY_OPEN',
      'REQUESTED',
    ]);
    const queue = await list();
    expect(queue.map((q) => q.terminal)).toEqual(['kiosk-1', 'kiosk-2']);
    expect(helpEvents().filter((e) => e.type === 'HELP_REQUESTED')).toHaveLength(2);
    // Once done, the terminal may call again.
    await done(queue[0]?.id ?? '');
    expect((await ask()).result).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
  });

  it('at most the configured number per terminal in a sliding hour, counted on the fake clock', async () => {
    const { h, ask, list, done } = await setup(2);
    for (let i = 0; i < 2; i += 1) {
      expect((await ask()).result).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
      const open = (await list()).find((q) => !q.doneAt);
      await done(open?.id ?? '');
      h.clock.advance(10 * MINUTE);
    }
    const start = new Date(h.clock.now().getTime() - 20 * MINUTE);
    const refused = await ask();
    expect(refused.result).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: new Date(start.getTime() + 60 * MINUTE).toISOString() } },
    });
    // Another terminal has its own count.
    expect((await ask('kiosk-2')).result).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
    // Just before the first request is an hour old: still refused; then one more is allowed.
    h.clock.set(new Date(start.getTime() + 60 * MINUTE - 1).toISOString());
    expect((await ask()).result).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    h.clock.set(new Date(start.getTime() + 60 * MINUTE + 1).toISOString());
    expect((await ask()).result).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
  });

  it('the limit is configurable and defaults to 4; out of range it is refused', () => {
    expect(DEFAULT_POLICY.help.maxPerHourPerTerminal).toBe(4);
    expect(parseConfig({ policy: { help: { maxPerHourPerTerminal: 10 } } }).policy.help.maxPerHourPerTerminal).toBe(10);
    expect(() => parseConfig({ policy: { help: { maxPerHourPerTerminal: 0 } } })).toThrow();
    expect(parseConfig({}).kiosk.helpText.tr.length).toBeGreaterThan(10);
    expect(parseConfig({ kiosk: { helpText: { de: 'Schalter 3' } } }).kiosk.helpText).toMatchObject({ de: 'Schalter 3' });
  });

  it('a logged-in person asking for help: nothing about the account is stored, listed or audited', async () => {
    const { h, ask, list, helpEvents } = await setup();
    const accountId = await registeredAndConfirmed(h);
    const login = await h.core.login.withPassword(COUNTER, { username: 'erika.m', password: erikaInput().password });
    if (!login.ok) throw new Error('login');
    expect((await ask('kiosk-1', login.value.session)).result).toMatchObject({ ok: true, value: { state: 'REQUESTED' } });
    const stored = JSON.stringify(await h.inbox.listHelp(10));
    const shown = JSON.stringify(await list());
    const audited = JSON.stringify(helpEvents());
    for (const text of [stored, shown, audited]) {
      for (const personal of [accountId, 'erika', 'Erika', 'Mustermann', erikaInput().email, erikaInput().kvnr])
        expect(text).not.toContain(personal);
    }
    expect(helpEvents()[0]).not.toHaveProperty('subject');
    // A help request is not a message: the inbox's message side never shows it.
    expect(await h.inbox.list(10)).toEqual([]);
    const id = (await h.inbox.listHelp(1))[0]?.id ?? '';
    expect(await h.inbox.get(id)).toBeUndefined();
  });

  it('the counter lists help requests to staff only; a kiosk cannot close one', async () => {
    const { kiosk, counter, clerk, ask, list } = await setup();
    await ask();
    const listed = await counter.dispatch('help.list', {}, { sessionToken: clerk.token, terminal: 'counter-1' });
    expect(listed.result).toEqual({ ok: true, value: await list() });
    const id = (await list())[0]?.id ?? '';
    expect((await kiosk.dispatch('help.done', { id }, { sessionToken: undefined, terminal: 'kiosk-1' })).result).toEqual({
      ok: false,
      error: { code: 'WRONG_TERMINAL' },
    });
    expect((await counter.dispatch('help.list', {}, { sessionToken: undefined, terminal: 'counter-1' })).result).toEqual({
      ok: false,
      error: { code: 'NOT_AUTHENTICATED' },
    });
    expect((await counter.dispatch('help.request', {}, { sessionToken: undefined, terminal: 'counter-1' })).result).toEqual({
      ok: false,
      error: { code: 'WRONG_TERMINAL' },
    });
    expect((await list())[0]).not.toHaveProperty('doneAt');
  });

  it("the counter's poll of the list does not keep an unattended staff session from its idle end", async () => {
    const { h, counter, clerk } = await setup();
    const at = { sessionToken: clerk.token, terminal: 'counter-1' };
    expect((await counter.dispatch('staff.touch', {}, at)).result.ok).toBe(true);
    h.clock.advance(4 * MINUTE);
    expect((await counter.dispatch('help.list', {}, at)).result.ok).toBe(true);
    h.clock.advance(1.5 * MINUTE);
    expect((await counter.dispatch('help.list', {}, at)).result).toEqual({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });

  it('done requests leave the list after a day; open ones stay, oldest first', async () => {
    const { h, ask, list, done } = await setup();
    await ask('kiosk-1');
    h.clock.advance(MINUTE);
    await ask('kiosk-2');
    h.clock.advance(MINUTE);
    await ask('kiosk-3');
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-1', 'kiosk-2', 'kiosk-3']);
    await done((await list())[1]?.id ?? '');
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-1', 'kiosk-3', 'kiosk-2']);
    h.clock.advance(25 * 60 * MINUTE);
    expect((await list()).map((q) => q.terminal)).toEqual(['kiosk-1', 'kiosk-3']);
  });
});

describe('help requests in store/inbox.json', () => {
  it('are kept beside the messages across a restart, and a record with anything more is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-help-'));
    const store = await LowdbInboxStore.openDirectory(dir);
    await store.add({ id: 'm1', accountId: 'acc', subject: 'Frage', body: 'Text', at: '2026-11-29T10:00:00.000Z' });
    await store.addHelp('h1', 'kiosk-1', () => ({
      add: { id: 'h1', kind: 'HELP', terminal: 'kiosk-1', at: '2026-11-29T10:01:00.000Z' },
      result: null,
    }));
    const again = await LowdbInboxStore.openDirectory(dir);
    expect((await again.list(10)).map((m) => m.id)).toEqual(['m1']);
    expect(await again.listHelp(10)).toEqual([{ id: 'h1', kind: 'HELP', terminal: 'kiosk-1', at: '2026-11-29T10:01:00.000Z' }]);
    expect(await again.removeFor('acc')).toBe(1);
    expect(await again.listHelp(10)).toHaveLength(1);
    const path = join(dir, INBOX_FILE_NAME);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { records: Record<string, Record<string, unknown>> };
    file.records['h1'] = { ...file.records['h1'], accountId: 'acc' };
    writeFileSync(path, JSON.stringify(file));
    await expect(LowdbInboxStore.openDirectory(dir)).rejects.toThrow(path);
  });
});
