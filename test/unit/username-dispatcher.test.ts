/** Forgot username through the dispatcher: hostile input gets typed answers and changes nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { makeHarness, registeredAndConfirmed } from '../fixtures/harness.js';

async function setup() {
  const h = makeHarness();
  const id = await registeredAndConfirmed(h);
  const dispatcher = createDispatcher(h.core, parseConfig({}));
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'prop' });
  const snapshot = async () => JSON.stringify({ account: await h.accounts.get(id), mails: h.mails.length });
  return { h, dispatcher, ctx, snapshot };
}

const shaped = fc.oneof(
  fc.anything(),
  fc.record({ kvnr: fc.anything(), birthDate: fc.anything() }),
  fc.record({ kvnr: fc.string({ maxLength: 30 }), birthDate: fc.string({ maxLength: 12 }), code: fc.string({ maxLength: 12 }) }),
  fc.record({ kvnr: fc.string({ maxLength: 30 }), code: fc.stringMatching(/^\s?\d{8}\s?$/) }),
  fc.record({ kvnr: fc.string({ maxLength: 30 }), birthDate: fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
);

describe('dispatcher: forgot username', () => {
  it('random payloads get VALIDATION_FAILED or the uniform answers, and change nothing about the account', async () => {
    const { dispatcher, ctx, snapshot } = await setup();
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('username.forgot', 'username.reveal'), shaped, async (channel, payload) => {
        const out = await dispatcher.dispatch(channel, payload, ctx('not-a-flow'));
        if (out.result.ok) {
          expect(channel).toBe('username.forgot');
          expect(out.result.value).toEqual({ codeSentIfMatching: true });
        } else {
          expect(['VALIDATION_FAILED', 'RATE_LIMITED', 'CODE_REFUSED']).toContain(out.result.error.code);
          if (out.result.error.code === 'RATE_LIMITED') expect(out.result.error.details?.['codeSentIfMatching']).toBe(true);
        }
        // Errors name paths, never the values typed.
        if (!out.result.ok && out.result.error.code === 'VALIDATION_FAILED' && typeof payload === 'object' && payload !== null) {
          for (const value of Object.values(payload)) {
            if (typeof value === 'string' && value.length > 3) expect(JSON.stringify(out.result)).not.toContain(value);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('hands out a flow token with every request; only that token reveals, and it is forgotten after use', async () => {
    const { h, dispatcher, ctx } = await setup();
    const stranger = await dispatcher.dispatch('username.forgot', { kvnr: 'X110411675', birthDate: '1984-08-12' }, ctx());
    const owner = await dispatcher.dispatch('username.forgot', { kvnr: 'A123456780', birthDate: '1984-08-12' }, ctx());
    expect(owner.result).toEqual(stranger.result);
    expect(typeof stranger.session).toBe('string');
    expect(typeof owner.session).toBe('string');
    const code = /\b(\d{8})\b/.exec(h.mails.at(-1)?.text ?? '')?.[1] ?? '';
    for (const token of [undefined, stranger.session ?? undefined]) {
      const out = await dispatcher.dispatch('username.reveal', { kvnr: 'A123456780', code }, ctx(token));
      expect(out.result).toEqual({ ok: false, error: { code: 'CODE_REFUSED' } });
      expect(out.session).toBeUndefined();
    }
    const shown = await dispatcher.dispatch('username.reveal', { kvnr: 'A123456780', code: ` ${code} ` }, ctx(owner.session ?? ''));
    expect(shown).toEqual({ result: { ok: true, value: { username: 'erika.m' } }, session: null });
  });

  it('is a kiosk channel: a counter refuses it', async () => {
    const h = makeHarness();
    const counter = createDispatcher(h.core, parseConfig({}), { role: 'counter' });
    const out = await counter.dispatch(
      'username.forgot',
      { kvnr: 'A123456780', birthDate: '1984-08-12' },
      { sessionToken: undefined, terminal: 'c' },
    );
    expect(out.result).toEqual({ ok: false, error: { code: 'WRONG_TERMINAL' } });
  });
});
