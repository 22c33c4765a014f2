/**
 * A code's mail is queued with the code (AccountChange.outbound): when the terminal dies between
 * storing a registration and the mail's first try, the account and its mail are both there, and
 * the queue's next pass sends the mail whose code confirms the address. A refused change queues
 * nothing, and a sent mail leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/index.js';
import { DEFAULT_OUTBOUND } from '../../src-main/delivery/outbound-queue.js';
import { withMtan } from '../fixtures/active.js';
import { WHO, erikaInput, makeHarness, otherTerminal } from '../fixtures/harness.js';

describe('the code mail travels with the code', () => {
  it('a registration cut short before its first try: account and mail are both stored, and the next pass delivers a code that works', async () => {
    const h = makeHarness();
    const crashed = createCore({
      ...h.deps,
      courier: { prepare: h.deps.courier.prepare, firstTry: () => Promise.reject(new Error('terminal stopped')) },
    });
    await expect(crashed.registration.register(WHO, erikaInput())).rejects.toThrow('terminal stopped');
    const account = await h.accounts.findByKvnr('A123456780');
    expect(account).toBeDefined();
    const [waiting] = await h.outbound.due('9999', 10);
    expect(waiting).toMatchObject({ kind: 'EMAIL_CODE', accountId: account?.id, attempts: 0 });
    expect(JSON.stringify(waiting)).not.toContain('erika@example.org');

    // Another run of the terminal: once the first try's hold has run out, its pass sends the mail.
    const { queue, sent } = otherTerminal(h);
    expect(await queue.runDue()).toBe(0);
    h.clock.advance(DEFAULT_OUTBOUND.leaseMs);
    expect(await queue.runDue()).toBe(1);
    expect(sent.map((m) => m.to)).toEqual(['erika@example.org']);
    const code = /\b(\d{8})\b/.exec(sent[0]?.text ?? '')?.[1] ?? '';
    expect((await h.core.email.confirm(WHO, account?.id ?? '', { email: 'erika@example.org', code })).ok).toBe(true);
  });

  it('an e-mail change cut short before its first try: the new address and its mail are both stored, and the next pass delivers a code that confirms it', async () => {
    const { h, id } = await withMtan();
    await h.core.mtan.requestTan(WHO, id, { action: 'CHANGE_EMAIL', email: 'neu@example.org' });
    const crashed = createCore({
      ...h.deps,
      courier: { prepare: h.deps.courier.prepare, firstTry: () => Promise.reject(new Error('terminal stopped')) },
    });
    await expect(crashed.services.changeEmail(WHO, id, 'neu@example.org', h.lastSmsCode())).rejects.toThrow('terminal stopped');
    expect((await h.accounts.get(id))?.emailChange?.email).toBe('neu@example.org');
    const [waiting] = await h.outbound.due('9999', 10);
    expect(waiting).toMatchObject({ kind: 'EMAIL_CHANGE_CODE', accountId: id, attempts: 0 });

    const { queue, sent } = otherTerminal(h);
    h.clock.advance(DEFAULT_OUTBOUND.leaseMs);
    expect(await queue.runDue()).toBe(1);
    expect(sent.map((m) => m.to)).toEqual(['neu@example.org']);
    const code = /\b(\d{8})\b/.exec(sent[0]?.text ?? '')?.[1] ?? '';
    expect((await h.core.services.confirmEmailChange(WHO, id, code)).ok).toBe(true);
    expect((await h.accounts.get(id))?.email.email).toBe('neu@example.org');
  });

  it('a sent code mail leaves nothing in the queue; a resend refused by its hourly limit queues nothing', async () => {
    const h = makeHarness();
    const r = await h.core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error('registration');
    expect(r.value.emailDelivery).toBe('SENT');
    for (let i = 0; i < h.deps.policy.emailCode.maxResendsPerHour; i++)
      expect((await h.core.email.resend(WHO, r.value.accountId)).ok).toBe(true);
    expect(await h.core.email.resend(WHO, r.value.accountId)).toMatchObject({ ok: false, error: { code: 'RESEND_LIMIT' } });
    expect(h.mails).toHaveLength(1 + h.deps.policy.emailCode.maxResendsPerHour);
    expect(await h.outbound.due('9999', 50)).toEqual([]);
    expect(await h.outbound.gaveUp(50)).toEqual([]);
  });

  it('a code mail the server refuses for good: the person hears FAILED and staff see it', async () => {
    const h = makeHarness();
    h.mailFailures.next = 1;
    const r = await h.core.registration.register(WHO, erikaInput());
    expect(r.ok && r.value.emailDelivery).toBe('FAILED');
    expect(await h.outbound.gaveUp(10)).toEqual([expect.objectContaining({ kind: 'EMAIL_CODE', lastError: 'SMTP_REFUSED' })]);
  });
});
