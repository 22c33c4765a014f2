/**
 * What the person and the audit trail are told about a mail that informs (notify.ts), and the
 * shape of an answer (result.ts): a mail problem never turns into a failure of what already happened.
 */
import { describe, expect, it } from 'vitest';
import type { CoreDeps } from '../../src-main/core/deps.js';
import { deliveryData, sendQuietly } from '../../src-main/core/notify.js';
import type { OutgoingMail } from '../../src-main/core/ports.js';
import { fail, ok } from '../../src-main/core/result.js';

const MAIL: OutgoingMail = { kind: 'PASSWORD_CHANGED', to: 'erika@example.org', subject: 's', text: 't' };

function withMailer(send: CoreDeps['mailer']['send']): { deps: CoreDeps; sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  const deps = {
    mailer: {
      send: (mail: OutgoingMail) => {
        sent.push(mail);
        return send(mail);
      },
    },
  } as unknown as CoreDeps;
  return { deps, sent };
}

describe('a mail that informs', () => {
  it('handed to the server is SENT; stored for a later try is QUEUED; refused is FAILED, without an error reaching the caller', async () => {
    expect(await sendQuietly(withMailer(() => Promise.resolve()).deps, MAIL)).toBe('SENT');
    expect(await sendQuietly(withMailer(() => Promise.resolve('QUEUED' as const)).deps, MAIL)).toBe('QUEUED');
    expect(await sendQuietly(withMailer(() => Promise.reject(new Error('smtp down'))).deps, MAIL)).toBe('FAILED');
  });

  it('carries the account id when it belongs to an account, so an undelivered copy goes with the account; otherwise none', async () => {
    const tagged = withMailer(() => Promise.resolve());
    await sendQuietly(tagged.deps, MAIL, 'acc-1');
    expect(tagged.sent).toEqual([{ ...MAIL, accountId: 'acc-1' }]);
    const untagged = withMailer(() => Promise.resolve());
    await sendQuietly(untagged.deps, MAIL);
    expect(untagged.sent).toEqual([MAIL]);
    expect(untagged.sent[0]).not.toHaveProperty('accountId');
  });

  it('the trail records delivered true only for a sent mail, and queued only for a queued one', () => {
    expect(deliveryData('SENT')).toStrictEqual({ delivered: true });
    expect(deliveryData('FAILED')).toStrictEqual({ delivered: false });
    expect(deliveryData('QUEUED')).toStrictEqual({ delivered: false, queued: true });
  });
});

describe('an answer', () => {
  it('a success carries its value; a failure its code, and details only when there are any', () => {
    expect(ok({ step: 'DONE' })).toStrictEqual({ ok: true, value: { step: 'DONE' } });
    expect(fail('NOT_FOUND')).toStrictEqual({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(Object.keys(fail('NOT_FOUND').error)).toEqual(['code']);
    expect(fail('RATE_LIMITED', { retryAt: 'x' })).toStrictEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: 'x' } } });
  });
});
