/**
 * The outbound queue's rules: a message is stored before it is tried, tried again with a doubling
 * pause, given up after the last try or at once when refused for good, never sent after its code
 * stopped working or for an account that is gone, held by one sender at a time, and kept sealed.
 */
import { describe, expect, it } from 'vitest';
import { AesSecretBox, nodeRandom } from '../../src-main/adapters/crypto.js';
import { MemoryAuditTrail } from '../../src-main/audit/file-audit-trail.js';
import type { OutboundRecord, OutgoingMail, Sms } from '../../src-main/core/ports.js';
import { DeliveryFailure } from '../../src-main/delivery/delivery-failure.js';
import { DEFAULT_OUTBOUND, OutboundQueue, type OutboundSettings } from '../../src-main/delivery/outbound-queue.js';
import { LowdbOutboundStore } from '../../src-main/store/outbound-store.js';
import { ShardedAccountStore } from '../../src-main/store/account-store.js';
import { erikaInput, FakeClock, makeHarness } from '../fixtures/harness.js';

const MAIL: OutgoingMail = {
  to: 'erika@example.org',
  subject: 'Ihr Code',
  text: 'Ihr Code: 12345678',
  kind: 'EMAIL_CODE',
};

/** A sender whose next answers are scripted: 'ok', an error to throw, or 'hang' until released. */
function scripted() {
  const sent: (OutgoingMail | Sms)[] = [];
  const script: (string | Error)[] = [];
  const hanging: (() => void)[] = [];
  let calls = 0;
  const send = (message: OutgoingMail | Sms): Promise<void> => {
    calls += 1;
    const next = script.shift() ?? 'ok';
    if (next instanceof Error) return Promise.reject(next);
    if (next === 'hang') {
      return new Promise<void>((resolve) => {
        hanging.push(() => {
          sent.push(message);
          resolve();
        });
      });
    }
    sent.push(message);
    return Promise.resolve();
  };
  return { sent, script, hanging, calls: () => calls, sender: { send } };
}

async function setup(
  settings: Partial<OutboundSettings> = {},
  store = LowdbOutboundStore.inMemory(),
  accounts = ShardedAccountStore.inMemory(),
) {
  const clock = new FakeClock(new Date('2026-11-30T10:00:00Z'));
  const audit = new MemoryAuditTrail();
  const mail = scripted();
  const sms = scripted();
  const logged: string[] = [];
  const queue = new OutboundQueue(
    {
      store,
      box: new AesSecretBox(new Uint8Array(32).fill(9)),
      clock,
      random: nodeRandom,
      mailer: mail.sender,
      sms: sms.sender,
      accounts,
      audit,
      terminal: 'kiosk-1',
      log: (line) => logged.push(line),
    },
    { ...DEFAULT_OUTBOUND, waitMs: 1_000, ...settings },
  );
  // An account the messages belong to, so they are not dropped as orphans.
  const h = makeHarness();
  const account = await h.core.registration.register({ actor: 't', terminal: 't' }, erikaInput());
  if (!account.ok) throw new Error('no account');
  const stored = await h.accounts.get(account.value.accountId);
  if (!stored) throw new Error('no account');
  if ((await accounts.findByKvnr(stored.kvnr)) === undefined) await accounts.insert(stored);
  return { clock, accounts, audit, mail, sms, logged, queue, store, accountId: stored.id };
}

async function records(store: LowdbOutboundStore): Promise<OutboundRecord[]> {
  return [...(await store.due('9999', 100)), ...(await store.gaveUp(100))];
}

describe('the outbound queue', () => {
  it('a message the server takes at once leaves nothing behind and is not reported as queued', async () => {
    const t = await setup();
    await expect(t.queue.mailer.send({ ...MAIL, accountId: t.accountId })).resolves.toBeUndefined();
    expect(t.mail.sent).toHaveLength(1);
    expect(await records(t.store)).toEqual([]);
    expect(t.audit.events().map((e) => e.type)).toEqual([]);
  });

  it('a refused try keeps the message, tells "queued", and the next pass after the pause sends it', async () => {
    const t = await setup();
    t.mail.script.push(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }));
    await expect(t.queue.mailer.send({ ...MAIL, accountId: t.accountId })).resolves.toBe('QUEUED');
    const [waiting] = await records(t.store);
    expect(waiting).toMatchObject({ state: 'PENDING', attempts: 1, lastError: 'ECONNECTION', nextAttemptAt: '2026-11-30T10:00:30.000Z' });
    expect(waiting?.leaseUntil).toBeUndefined();
    // Not before its time.
    t.clock.advance(29_999);
    expect(await t.queue.runDue()).toBe(0);
    t.clock.advance(1);
    expect(await t.queue.runDue()).toBe(1);
    expect(t.mail.sent.map((m) => m.to)).toEqual(['erika@example.org']);
    expect(await records(t.store)).toEqual([]);
    expect(t.audit.events().map((e) => [e.type, e.subject, e.data?.['attempts']])).toEqual([
      ['DELIVERY_QUEUED', t.accountId, undefined],
      ['DELIVERY_SENT', t.accountId, 2],
    ]);
  });

  it('pauses double from try to try, and after the last try the message is given up: content gone, logged, recorded', async () => {
    const t = await setup({ maxAttempts: 4 });
    for (let i = 0; i < 4; i++) t.mail.script.push(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    await t.queue.mailer.send({ ...MAIL, accountId: t.accountId });
    const pauses: number[] = [];
    let last = t.clock.now().getTime();
    for (let pass = 0; pass < 3; pass++) {
      const [r] = await records(t.store);
      if (!r || r.state !== 'PENDING') break;
      const at = new Date(r.nextAttemptAt).getTime();
      pauses.push(at - last);
      t.clock.set(r.nextAttemptAt);
      last = at;
      await t.queue.runDue();
    }
    expect(pauses).toEqual([30_000, 60_000, 120_000]);
    expect(t.mail.calls()).toBe(4);
    const [given] = await records(t.store);
    expect(given).toMatchObject({ state: 'GAVE_UP', attempts: 4, lastError: 'ETIMEDOUT', gaveUpAt: '2026-11-30T10:03:30.000Z' });
    expect(given?.sealed).toBeUndefined();
    expect(t.logged.join('\n')).toMatch(/gave up EMAIL EMAIL_CODE .* after 4 tries: ETIMEDOUT/);
    expect(t.logged.join('\n')).not.toContain('erika');
    expect(t.audit.events().at(-1)).toMatchObject({
      type: 'DELIVERY_GAVE_UP',
      data: { attempts: 4, reason: 'ETIMEDOUT', channel: 'EMAIL' },
    });
    // Given up means given up: later passes leave it alone.
    t.clock.advance(24 * 3_600_000);
    expect(await t.queue.runDue()).toBe(0);
    expect(t.mail.calls()).toBe(4);
  });

  it('a given-up message stays listed for staff as long as outbox items are kept, then goes', async () => {
    const t = await setup({ keepGivenUpMs: 30 * 24 * 3_600_000 });
    t.mail.script.push(Object.assign(new Error('550 refused'), { responseCode: 550 }));
    await t.queue.mailer.send({ ...MAIL, accountId: t.accountId }).catch(() => undefined);
    t.clock.advance(30 * 24 * 3_600_000 - 1);
    await t.queue.runDue();
    expect(await t.store.gaveUp(10)).toHaveLength(1);
    t.clock.advance(2);
    await t.queue.runDue();
    expect(await t.store.gaveUp(10)).toEqual([]);
  });

  it('the longest pause is capped', async () => {
    const t = await setup({ maxAttempts: 20, firstPauseMs: 60_000, maxPauseMs: 5 * 60_000 });
    for (let i = 0; i < 6; i++) t.mail.script.push(new Error('down'));
    await t.queue.mailer.send({ ...MAIL, accountId: t.accountId });
    const gaps: number[] = [];
    for (let pass = 0; pass < 5; pass++) {
      const [r] = await records(t.store);
      if (!r) break;
      gaps.push(new Date(r.nextAttemptAt).getTime() - t.clock.now().getTime());
      t.clock.set(r.nextAttemptAt);
      await t.queue.runDue();
    }
    expect(gaps).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  it('a recipient the server refuses for good (SMTP 550) is given up at once: the sender throws, no retry', async () => {
    const t = await setup();
    t.mail.script.push(
      Object.assign(new Error('550 <erika@example.org>: Recipient address rejected'), { responseCode: 550, code: 'EENVELOPE' }),
    );
    await expect(t.queue.mailer.send({ ...MAIL, accountId: t.accountId })).rejects.toBeInstanceOf(DeliveryFailure);
    const [given] = await records(t.store);
    expect(given).toMatchObject({ state: 'GAVE_UP', attempts: 1, lastError: 'SMTP_550' });
    t.clock.advance(3_600_000);
    await t.queue.runDue();
    expect(t.mail.calls()).toBe(1);
    expect(JSON.stringify(t.audit.events())).not.toContain('erika');
  });

  it('a failure typed as permanent by its adapter is given up at once too', async () => {
    const t = await setup();
    t.sms.script.push(new DeliveryFailure('NUMBER_REFUSED', 'the gateway refused the number', true));
    await expect(
      t.queue.smsGateway.send({ to: '+4915112345678', text: 'TAN 123456', kind: 'TAN', accountId: t.accountId }),
    ).rejects.toThrow();
    expect((await t.store.gaveUp(10))[0]).toMatchObject({ channel: 'SMS', kind: 'TAN', lastError: 'NUMBER_REFUSED' });
  });

  it('an SMS whose code has stopped working is not sent late: it is given up as EXPIRED', async () => {
    const t = await setup();
    t.sms.script.push(new Error('gateway timeout'));
    const expiresAt = new Date(t.clock.now().getTime() + 5 * 60_000).toISOString();
    await expect(
      t.queue.smsGateway.send({ to: '+4915112345678', text: 'TAN 123456', kind: 'TAN', accountId: t.accountId, expiresAt }),
    ).resolves.toBe('QUEUED');
    t.clock.advance(5 * 60_000);
    await t.queue.runDue();
    expect(t.sms.calls()).toBe(1);
    expect(t.sms.sent).toEqual([]);
    expect((await t.store.gaveUp(10))[0]).toMatchObject({ lastError: 'EXPIRED', state: 'GAVE_UP' });
  });

  it('a message of an account deleted meanwhile is dropped: nothing is sent, nothing stays', async () => {
    const t = await setup();
    t.mail.script.push(new Error('down'));
    await t.queue.mailer.send({ ...MAIL, accountId: t.accountId });
    await t.accounts.delete(t.accountId);
    t.clock.advance(60_000);
    await t.queue.runDue();
    expect(t.mail.calls()).toBe(1);
    expect(t.mail.sent).toEqual([]);
    expect(await records(t.store)).toEqual([]);
  });

  it('a mail without an account (the notice of a deletion) is still sent', async () => {
    const t = await setup();
    t.mail.script.push(new Error('down'));
    await t.queue.mailer.send({ ...MAIL, kind: 'COUNTER_NOTICE' });
    t.clock.advance(60_000);
    await t.queue.runDue();
    expect(t.mail.sent).toHaveLength(1);
  });

  it('keeps the address and the text sealed, never in clear', async () => {
    const t = await setup();
    t.mail.script.push(new Error('down'));
    await t.queue.mailer.send({ ...MAIL, accountId: t.accountId });
    const stored = JSON.stringify(await records(t.store));
    expect(stored).not.toContain('erika');
    expect(stored).not.toContain('12345678');
    expect(stored).toContain('"sealed"');
  });

  it("a server that does not answer costs the person the wait, not the server's time-out; the mail goes once it answers", async () => {
    const t = await setup({ waitMs: 0 });
    t.mail.script.push('hang');
    await expect(t.queue.mailer.send({ ...MAIL, accountId: t.accountId })).resolves.toBe('QUEUED');
    expect(t.mail.sent).toEqual([]);
    // Still held by the try under way: a pass does not send it a second time.
    expect(await t.queue.runDue()).toBe(0);
    t.mail.hanging[0]?.();
    await t.queue.stop();
    expect(t.mail.sent).toHaveLength(1);
    expect(await records(t.store)).toEqual([]);
    expect(t.audit.events().map((e) => e.type)).toEqual(['DELIVERY_QUEUED', 'DELIVERY_SENT']);
  });

  it('two terminals on one queue: a message held by one is not taken by the other until its hold runs out', async () => {
    const store = LowdbOutboundStore.inMemory();
    const a = await setup({ waitMs: 0, leaseMs: 120_000 }, store);
    a.mail.script.push('hang');
    await a.queue.mailer.send({ ...MAIL, accountId: a.accountId });
    const b = await setup({}, store, a.accounts);
    b.clock.set(a.clock.now().toISOString());
    expect(await b.queue.runDue()).toBe(0);
    // Terminal A died while trying: after the hold, B sends it.
    b.clock.advance(120_000);
    expect(await b.queue.runDue()).toBe(1);
    expect(b.mail.sent).toHaveLength(1);
  });

  it('a message sealed with another key cannot be read, so it is given up as UNREADABLE rather than retried for ever', async () => {
    const store = LowdbOutboundStore.inMemory();
    const t = await setup({}, store);
    await store.add({
      id: 'foreign',
      channel: 'EMAIL',
      kind: 'EMAIL_CODE',
      createdAt: '2026-11-30T09:00:00.000Z',
      attempts: 1,
      nextAttemptAt: '2026-11-30T09:00:30.000Z',
      state: 'PENDING',
      sealed: new AesSecretBox(new Uint8Array(32).fill(1)).seal('{}'),
    });
    await t.queue.runDue();
    expect((await store.gaveUp(10))[0]).toMatchObject({ id: 'foreign', lastError: 'UNREADABLE' });
    expect(t.mail.calls()).toBe(0);
  });
});
