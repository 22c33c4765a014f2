/** Documents for the person wait in memory only, once, briefly, and in bounded numbers. */
import { describe, expect, it } from 'vitest';
import { nodeRandom } from '../../src-main/adapters/crypto.js';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { PendingDocuments } from '../../src-main/ipc/pending-documents.js';
import { activeAccount } from '../fixtures/active.js';
import { FakeClock } from '../fixtures/harness.js';

const pdf = (n: number) => new Uint8Array([0x25, 0x50, 0x44, 0x46, n]);

function setup(limits = { perAccount: 3, total: 50, ttlMs: 5 * 60_000 }) {
  const clock = new FakeClock(new Date('2026-11-29T10:00:00Z'));
  return { clock, docs: new PendingDocuments(clock, nodeRandom, limits) };
}

async function login(dispatcher: ReturnType<typeof createDispatcher>): Promise<string | undefined> {
  const out = await dispatcher.dispatch(
    'session.login',
    { username: 'erika.m', password: 'Heide*Blume7' },
    { sessionToken: undefined, terminal: 't' },
  );
  return typeof out.session === 'string' ? out.session : undefined;
}

const token = (r: { ok: true; value: string } | { ok: false }): string => (r.ok ? r.value : 'refused');

describe('pending documents', () => {
  it('hands a document out once', () => {
    const { docs } = setup();
    const t = token(docs.offer('a', pdf(1)));
    expect(docs.take(t)?.bytes).toEqual(pdf(1));
    expect(docs.take(t)).toBeUndefined();
    expect(docs.take('guessed')).toBeUndefined();
  });

  it('an unfetched one expires after five minutes: gone from memory, bytes overwritten', () => {
    const { docs, clock } = setup();
    const bytes = pdf(7);
    const t = token(docs.offer('a', bytes));
    clock.advance(5 * 60_000 - 1);
    expect(docs.size).toBe(1);
    clock.advance(1);
    expect(docs.size).toBe(0);
    expect([...bytes]).toEqual([0, 0, 0, 0, 0]);
    expect(docs.take(t)).toBeUndefined();
  });

  it('holds at most three per account: a fourth replaces the oldest', () => {
    const { docs, clock } = setup();
    const tokens = [1, 2, 3, 4].map((n) => {
      clock.advance(1_000);
      return token(docs.offer('a', pdf(n)));
    });
    token(docs.offer('b', pdf(9)));
    expect(docs.size).toBe(4);
    expect(docs.take(tokens[0] ?? '')).toBeUndefined();
    expect(docs.take(tokens[3] ?? '')?.bytes).toEqual(pdf(4));
  });

  it('holds a bounded number in total; then RATE_LIMITED until the soonest expires', () => {
    const { docs } = setup({ perAccount: 3, total: 2, ttlMs: 60_000 });
    docs.offer('a', pdf(1));
    docs.offer('b', pdf(2));
    expect(docs.room()).toEqual({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAt: '2026-11-29T10:01:00.000Z' } } });
    expect(docs.offer('c', pdf(3)).ok).toBe(false);
    expect(docs.size).toBe(2);
  });

  it('drops an account’s documents on request', () => {
    const { docs } = setup();
    const t = token(docs.offer('a', pdf(1)));
    docs.offer('b', pdf(2));
    docs.dropFor('a');
    expect(docs.take(t)).toBeUndefined();
    expect(docs.size).toBe(1);
  });
});

describe('certificate.create through the dispatcher', () => {
  it('a full kiosk refuses before rendering anything', async () => {
    const { h } = await activeAccount();
    const documents = new PendingDocuments(h.clock, nodeRandom, { perAccount: 3, total: 1, ttlMs: 60_000 });
    documents.offer('someone-else', pdf(1));
    const dispatcher = createDispatcher(h.core, parseConfig({}), { documents });
    const session = await login(dispatcher);
    const out = await dispatcher.dispatch('certificate.create', {}, { sessionToken: session, terminal: 't' });
    expect(out.result).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(h.documents).toHaveLength(0);
  });

  it('deleting the account drops its pending documents', async () => {
    const { h } = await activeAccount();
    const documents = new PendingDocuments(h.clock, nodeRandom);
    const dispatcher = createDispatcher(h.core, parseConfig({}), { documents });
    const session = await login(dispatcher);
    const ctx = { sessionToken: session, terminal: 't' };
    const created = await dispatcher.dispatch('certificate.create', {}, ctx);
    expect(created.result.ok).toBe(true);
    expect(documents.size).toBe(1);
    await dispatcher.dispatch('account.delete', { password: 'Heide*Blume7', confirm: true }, ctx);
    expect(documents.size).toBe(0);
  });
});
