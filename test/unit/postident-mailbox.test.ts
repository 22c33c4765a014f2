import { describe, expect, it } from 'vitest';
import { WHO, makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

async function withCase() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const started = await h.core.identity.startPostident(WHO, id);
  if (!started.ok) throw new Error(started.error.code);
  return { h, id, caseId: started.value.caseId };
}

describe('POSTIDENT (R4)', () => {
  it('opens a case and waits for the provider', async () => {
    const { h, id, caseId } = await withCase();
    const view = await h.core.view(id);
    expect(view.ok && view.value.step).toBe('POSTIDENT_PENDING');
    expect(view.ok && view.value.postident?.caseId).toBe(caseId);
    // Starting again while the case is open returns the same case instead of a second one.
    const again = await h.core.identity.startPostident(WHO, id);
    expect(again.ok && again.value.caseId).toBe(caseId);
  });

  it('success activates the account and sends an e-mail', async () => {
    const { h, id, caseId } = await withCase();
    const mailsBefore = h.mails.length;
    expect(await h.core.identity.postidentResult(caseId, 'SUCCESS')).toEqual({ ok: true, value: null });
    const account = await h.accounts.get(id);
    expect(account?.identity.method).toBe('POSTIDENT');
    expect(account?.identity.confirmedAt).toBeDefined();
    expect(h.mails.slice(mailsBefore).map((m) => m.kind)).toEqual(['IDENTITY_CONFIRMED']);
    const view = await h.core.view(id);
    expect(view.ok && view.value.step).toBe('MAILBOX');
  });

  it.each(['DECLINED', 'ABANDONED'] as const)('%s makes the next login offer the letter instead', async (outcome) => {
    const { h, id, caseId } = await withCase();
    await h.core.identity.postidentResult(caseId, outcome);
    const view = await h.core.view(id);
    expect(view.ok && view.value.step).toBe('POSTIDENT_FAILED');
    const retry = await h.core.identity.startPostident(WHO, id);
    expect(retry.ok || retry.error.code).toBe('POSTIDENT_UNAVAILABLE');
    expect((await h.core.identity.requestLetter(WHO, id)).ok).toBe(true);
    const after = await h.core.view(id);
    expect(after.ok && after.value.step).toBe('ENTER_KEY');
    expect(h.mails.some((m) => m.kind === 'IDENTITY_CONFIRMED')).toBe(false);
  });

  it('a case ends once: a late or repeated report changes nothing', async () => {
    const { h, id, caseId } = await withCase();
    await h.core.identity.postidentResult(caseId, 'DECLINED');
    const late = await h.core.identity.postidentResult(caseId, 'SUCCESS');
    expect(late.ok || late.error.code).toBe('WRONG_STEP');
    expect((await h.accounts.get(id))?.identity.confirmedAt).toBeUndefined();
    expect((await h.core.identity.postidentResult('CASE-999', 'SUCCESS')).ok).toBe(false);
  });

  it('the coupon says whether it comes from the simulator, as the provider does', async () => {
    const { h, id, caseId } = await withCase();
    expect((await h.core.identity.printCoupon(WHO, id)).ok).toBe(true);
    expect(h.letters.at(-1)).toMatchObject({ kind: 'POSTIDENT_COUPON', caseId, simulated: true });
    Object.assign(h.core.deps.postident, { simulated: false });
    expect((await h.core.identity.printCoupon(WHO, id)).ok).toBe(true);
    expect(h.letters.at(-1)).toMatchObject({ kind: 'POSTIDENT_COUPON', caseId, simulated: false });
  });
});

describe('secure mailbox consent (R5)', () => {
  async function identified() {
    const { h, id, caseId } = await withCase();
    await h.core.identity.postidentResult(caseId, 'SUCCESS');
    return { h, id };
  }

  it('is refused before the identity is confirmed', async () => {
    const h = makeHarness();
    const id = await registeredAndConfirmed(h);
    const r = await h.core.mailbox.decide(WHO, id, true);
    expect(r.ok || r.error.code).toBe('WRONG_STEP');
  });

  it('accepting activates the mailbox and ends the registration', async () => {
    const { h, id } = await identified();
    expect(await h.core.mailbox.decide(WHO, id, true)).toMatchObject({ ok: true });
    const view = await h.core.view(id);
    expect(view.ok && [view.value.step, view.value.mailbox]).toEqual(['DONE', 'ACTIVE']);
  });

  it('declining is allowed and can be changed later', async () => {
    const { h, id } = await identified();
    await h.core.mailbox.decide(WHO, id, false);
    let view = await h.core.view(id);
    expect(view.ok && [view.value.step, view.value.mailbox]).toEqual(['DONE', 'DECLINED']);
    await h.core.mailbox.decide(WHO, id, true);
    view = await h.core.view(id);
    expect(view.ok && view.value.mailbox).toBe('ACTIVE');
    expect(h.audit.events().filter((e) => e.type === 'MAILBOX_CONSENT')).toHaveLength(2);
  });
});
