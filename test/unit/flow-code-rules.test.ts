/**
 * Codes e-mailed to a screen nobody is logged in at (flow-code.ts: forgot password, forgot
 * username), called on the core with the harness's deps: what is stored for a request, the hourly
 * limit, that only the requesting screen's token opens an entry, and the audited limit on requests.
 */
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src-main/core/account.js';
import { attemptFlowCode, forgotLimitReached, holdsFlow, notYourFlow, withFlowCode } from '../../src-main/core/flow-code.js';
import { MismatchLimits } from '../../src-main/core/login/guards.js';
import { makeHarness, registeredAndConfirmed, WHO } from '../fixtures/harness.js';

const TOKEN = 'flow-token-of-this-screen';
const CODE = '58203971';

async function setup() {
  const h = makeHarness({ now: '2026-11-29T10:00:00.000Z' });
  const id = await registeredAndConfirmed(h);
  const account = (await h.accounts.get(id)) as Account;
  return { h, account };
}

describe('a request for a code', () => {
  it('stores the code and the screen’s token only as keyed hashes, valid 30 minutes, with the request’s instant', async () => {
    const { h, account } = await setup();
    const { next, result } = withFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), TOKEN);
    expect(result).toStrictEqual({ ok: true, value: null });
    const record = next?.passwordReset;
    expect(record).toStrictEqual({
      code: {
        hash: h.deps.secrets.hash(CODE),
        issuedAt: '2026-11-29T10:00:00.000Z',
        expiresAt: '2026-11-29T10:30:00.000Z',
        failures: 0,
        state: 'ACTIVE',
      },
      flow: expect.any(String) as unknown,
      requestedAt: ['2026-11-29T10:00:00.000Z'],
    });
    expect(record?.flow).not.toBe(TOKEN);
    expect(JSON.stringify(next)).not.toContain(CODE);
    expect(next?.usernameRecovery).toBeUndefined();
  });

  it('the two flows keep their own slots', async () => {
    const { h, account } = await setup();
    const { next } = withFlowCode(h.deps, account, 'usernameRecovery', CODE, h.clock.now(), TOKEN);
    expect(next?.usernameRecovery?.requestedAt).toEqual(['2026-11-29T10:00:00.000Z']);
    expect(next?.passwordReset).toBeUndefined();
  });

  it('five requests an hour; the sixth is RESEND_LIMIT until the first leaves the hour, and nothing is stored', async () => {
    const { h, account } = await setup();
    let current = account;
    for (let i = 0; i < 5; i++) {
      const change = withFlowCode(h.deps, current, 'passwordReset', CODE, h.clock.now(), TOKEN);
      if (!change.next) throw new Error(`request ${i + 1} refused`);
      current = change.next;
      h.clock.advance(60_000);
    }
    expect(current.passwordReset?.requestedAt).toHaveLength(5);
    expect(withFlowCode(h.deps, current, 'passwordReset', CODE, h.clock.now(), TOKEN)).toStrictEqual({
      result: { ok: false, error: { code: 'RESEND_LIMIT', details: { retryAt: '2026-11-29T11:00:00.000Z' } } },
    });
    h.clock.set('2026-11-29T11:00:00.000Z');
    expect(withFlowCode(h.deps, current, 'passwordReset', CODE, h.clock.now(), TOKEN).next?.passwordReset?.requestedAt).toHaveLength(5);
  });
});

describe('an entry of the code', () => {
  it('only the screen that requested the code holds the flow: another token, an empty one or no request do not', async () => {
    const { h, account } = await setup();
    const record = withFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), TOKEN).next?.passwordReset;
    expect(holdsFlow(h.deps, record, TOKEN)).toBe(true);
    expect(holdsFlow(h.deps, record, 'another-screen')).toBe(false);
    expect(holdsFlow(h.deps, undefined, TOKEN)).toBe(false);
    const emptyToken = withFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), '').next?.passwordReset;
    expect(holdsFlow(h.deps, emptyToken, '')).toBe(false);
  });

  it('without the token, or without a code, the one answer is CODE_INVALID with nothing remaining, and nothing is counted', async () => {
    const { h, account } = await setup();
    const requested = withFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), TOKEN).next as Account;
    const uniform = { ok: false, answer: { result: { ok: false, error: { code: 'CODE_INVALID', details: { remaining: 0 } } } } };
    expect(attemptFlowCode(h.deps, requested, 'passwordReset', CODE, h.clock.now(), 'another-screen')).toStrictEqual(uniform);
    expect(attemptFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), TOKEN)).toStrictEqual(uniform);
    const withoutCode = { ...requested, passwordReset: { ...requested.passwordReset, requestedAt: [] } } as Account;
    delete (withoutCode.passwordReset as { code?: unknown }).code;
    expect(attemptFlowCode(h.deps, withoutCode, 'passwordReset', CODE, h.clock.now(), TOKEN)).toStrictEqual(uniform);
    expect(notYourFlow()).toStrictEqual({ ok: false, error: { code: 'CODE_INVALID', details: { remaining: 0 } } });
  });

  it('with the token, a wrong code counts a failure in the flow’s slot; the right one, typed with spaces around it, is accepted', async () => {
    const { h, account } = await setup();
    const requested = withFlowCode(h.deps, account, 'usernameRecovery', CODE, h.clock.now(), TOKEN).next as Account;
    const wrong = attemptFlowCode(h.deps, requested, 'usernameRecovery', '87654321', h.clock.now(), TOKEN);
    if (wrong.ok) throw new Error('a wrong code was accepted');
    expect(wrong.answer.result).toStrictEqual({ ok: false, error: { code: 'CODE_INVALID', details: { remaining: 4 } } });
    expect(wrong.answer.next?.usernameRecovery?.code?.failures).toBe(1);
    expect(wrong.answer.next?.usernameRecovery?.requestedAt).toEqual(requested.usernameRecovery?.requestedAt);
    const right = attemptFlowCode(h.deps, requested, 'usernameRecovery', ` ${CODE} `, h.clock.now(), TOKEN);
    expect(right.ok).toBe(true);
    if (right.ok) expect(right.next.usernameRecovery?.code?.state).toBe('USED');
  });

  it('the policy’s number of wrong entries voids the code', async () => {
    const { h, account } = await setup();
    let current = withFlowCode(h.deps, account, 'passwordReset', CODE, h.clock.now(), TOKEN).next as Account;
    let last;
    for (let i = 0; i < 5; i++) {
      last = attemptFlowCode(h.deps, current, 'passwordReset', '00000000', h.clock.now(), TOKEN);
      if (last.ok || !last.answer.next) throw new Error('setup');
      current = last.answer.next;
    }
    expect(current.passwordReset?.code?.state).toBe('VOID');
    expect(attemptFlowCode(h.deps, current, 'passwordReset', CODE, h.clock.now(), TOKEN)).toMatchObject({
      ok: false,
      answer: { result: { error: { code: 'CODE_VOID' } } },
    });
  });
});

describe('the limits on "forgot" requests', () => {
  it('below the limit nothing is blocked; the first refusal of a block is audited once with the limit’s name', async () => {
    const h = makeHarness({ now: '2026-11-29T10:00:00.000Z' });
    const mismatches = new MismatchLimits(3_600_000);
    const limits = [['forgot:terminal:t1', 2]] as const;
    const events = () => h.audit.events().filter((e) => e.type === 'LIMIT_REACHED');
    expect(await forgotLimitReached(h.deps, mismatches, WHO, h.clock.now(), limits, 'FORGOT_MISMATCH')).toBeUndefined();
    mismatches.record(['forgot:terminal:t1'], h.clock.now().getTime());
    mismatches.record(['forgot:terminal:t1'], h.clock.now().getTime());
    const blocked = await forgotLimitReached(h.deps, mismatches, WHO, h.clock.now(), limits, 'FORGOT_MISMATCH');
    expect(blocked?.until).toBe(Date.parse('2026-11-29T11:00:00.000Z'));
    await forgotLimitReached(h.deps, mismatches, WHO, h.clock.now(), limits, 'FORGOT_MISMATCH');
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({ actor: WHO.actor, terminal: WHO.terminal, data: { limit: 'FORGOT_MISMATCH' } });
  });
});
