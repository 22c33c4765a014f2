/**
 * A new code replaces the one before it, so the mail of the earlier code must not arrive once the
 * mail server answers again: the person would get several codes of which only the last works. The
 * code mail queued with its change (Courier.prepare) drops the account's waiting mail of the same
 * kind; other accounts' mail and other kinds stay.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/index.js';
import { DEFAULT_OUTBOUND } from '../../src-main/delivery/outbound-queue.js';
import { WHO, depsWithMailer, erikaInput, makeHarness, otherTerminal } from '../fixtures/harness.js';

describe('a code mail still waiting when a new code is issued', () => {
  it('is dropped: once the server answers, only the mail of the code that works goes out, and it confirms', async () => {
    const h = makeHarness();
    // The mail server says "try later" (SMTP 451) to every first try.
    const down = { send: () => Promise.reject(Object.assign(new Error('try later'), { responseCode: 451 })) };
    const core = createCore(depsWithMailer(h, down));
    const r = await core.registration.register(WHO, erikaInput());
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.emailDelivery).toBe('QUEUED');
    const other = h.deps.courier.prepare({
      channel: 'EMAIL',
      mail: { to: 'x@example.org', subject: 's', text: 't', kind: 'EMAIL_CODE', accountId: 'someone-else' },
    });
    await h.outbound.add({ ...other, attempts: 1, nextAttemptAt: '2026-11-29T10:00:00.000Z' });
    for (let i = 0; i < 2; i++)
      expect(await core.email.resend(WHO, r.value.accountId)).toMatchObject({ ok: true, value: { emailDelivery: 'QUEUED' } });

    const waiting = await h.outbound.due('9999', 50);
    expect(waiting.filter((m) => m.accountId === r.value.accountId)).toHaveLength(1);
    expect(waiting.filter((m) => m.accountId === 'someone-else')).toHaveLength(1);

    const { queue, sent } = otherTerminal(h);
    h.clock.advance(DEFAULT_OUTBOUND.leaseMs + DEFAULT_OUTBOUND.firstPauseMs);
    await queue.runDue();
    const erikas = sent.filter((m) => m.to === 'erika@example.org');
    expect(erikas).toHaveLength(1);
    const code = /\b(\d{8})\b/.exec(erikas[0]?.text ?? '')?.[1] ?? '';
    expect(await core.email.confirm(WHO, r.value.accountId, { email: 'erika@example.org', code })).toMatchObject({ ok: true });
  });
});
