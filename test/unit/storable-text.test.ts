/**
 * Text a terminal cannot store is refused at the door, on every store alike: the branch database
 * (PostgreSQL) stores neither a NUL nor a lone surrogate, so without the refusal such input was
 * an INTERNAL failure there (and its log line quoted the text around it) while the embedded store
 * kept it. Runs on both stores (vitest projects "suite" and "rules-on-postgres").
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { activeAccount } from '../fixtures/active.js';

async function loggedIn() {
  const { h } = await activeAccount();
  const dispatcher = createDispatcher(h.core, parseConfig({}));
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'kiosk-1' });
  const out = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
  if (!out.result.ok || typeof out.session !== 'string') throw new Error('setup');
  return { h, dispatcher, ctx, token: out.session };
}

const UNSTORABLE = ['Guten Tag\u0000', 'Gr\uD800u\u00DFe'];

describe('text that cannot be stored', () => {
  it('a message with a NUL or a lone surrogate is refused as invalid input, and nothing is written', async () => {
    const { dispatcher, ctx, token } = await loggedIn();
    const before = await dispatcher.dispatch('mailbox.list', {}, ctx(token));
    for (const bad of UNSTORABLE) {
      for (const input of [
        { subject: bad, body: 'Text' },
        { subject: 'Frage', body: bad },
      ]) {
        const out = await dispatcher.dispatch('mailbox.write', input, ctx(token));
        expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
    }
    expect(await dispatcher.dispatch('mailbox.list', {}, ctx(token))).toEqual(before);
    const fine = await dispatcher.dispatch('mailbox.write', { subject: 'Frage 😀', body: 'Tab\tund\r\nZeile \\N "x"' }, ctx(token));
    expect(fine.result.ok).toBe(true);
  });

  it('a login name with a NUL is refused as invalid input and counts against no account', async () => {
    const { h, dispatcher, ctx } = await loggedIn();
    for (const username of ['erika.m\u0000', '\u0000', 'erika\uDC00.m']) {
      const out = await dispatcher.dispatch('session.login', { username, password: 'Wrong*Pass1' }, ctx());
      expect(out.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect((await h.accounts.findByUsernameKey('erika.m'))?.login.failures).toBe(0);
  });
});
