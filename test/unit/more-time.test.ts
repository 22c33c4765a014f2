/**
 * More time at the kiosk, as the main process bounds it (core/session/sessions.ts): "more time"
 * doubles what is left of the session's idle time, three times a session at most; a person who
 * needs more time gets twice the idle limit; neither reaches beyond the absolute session limit.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/config/config.js';
import { DEFAULT_POLICY } from '../../src-main/core/policy.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { activeAccount } from '../fixtures/active.js';

const IDLE = DEFAULT_POLICY.session.idleMs;
const ABSOLUTE = DEFAULT_POLICY.session.absoluteMs;

async function loggedIn() {
  const { h } = await activeAccount();
  const dispatcher = createDispatcher(h.core, parseConfig({}));
  const ctx = (sessionToken?: string) => ({ sessionToken, terminal: 'kiosk-1' });
  const out = await dispatcher.dispatch('session.login', { username: 'erika.m', password: 'Heide*Blume7' }, ctx());
  if (!out.result.ok || typeof out.session !== 'string') throw new Error('setup');
  const token = out.session;
  const call = (channel: string, payload: unknown = {}) => dispatcher.dispatch(channel, payload, ctx(token));
  const more = async (kind: 'MORE_TIME' | 'NEEDS_MORE_TIME' = 'MORE_TIME') => (await call('session.moreTime', { kind })).result;
  const alive = async () => (await call('onboarding.state')).result.ok;
  return { h, call, more, alive, dispatcher, ctx };
}

describe('more time in the main process', () => {
  it('without it, the session ends at the idle limit', async () => {
    const { h, alive } = await loggedIn();
    h.clock.advance(IDLE);
    expect(await alive()).toBe(false);
  });

  it('"more time" keeps the session for twice what is left of its idle time', async () => {
    const first = await loggedIn();
    first.h.clock.advance(IDLE - 15_000);
    expect(await first.more()).toEqual({ ok: true, value: { moreTimeLeft: 2 } });
    first.h.clock.advance(2 * IDLE - 1);
    expect(await first.alive()).toBe(true);

    const second = await loggedIn();
    second.h.clock.advance(IDLE - 15_000);
    expect((await second.more()).ok).toBe(true);
    second.h.clock.advance(2 * IDLE);
    expect(await second.alive()).toBe(false);
  });

  it('each use doubles again, three times a session; a fourth is refused and changes nothing', async () => {
    const { h, more, alive, call } = await loggedIn();
    expect(await more()).toEqual({ ok: true, value: { moreTimeLeft: 2 } });
    expect(await more()).toEqual({ ok: true, value: { moreTimeLeft: 1 } });
    expect(await more()).toEqual({ ok: true, value: { moreTimeLeft: 0 } });
    expect(await more()).toEqual({ ok: false, error: { code: 'MORE_TIME_USED_UP' } });
    // 2 × 2 × 2 idle limits from the third use: the refused fourth added nothing.
    h.clock.advance(8 * IDLE - 1);
    expect(await alive()).toBe(true);
    // Still refused later in the same session, after activity.
    expect(await more()).toEqual({ ok: false, error: { code: 'MORE_TIME_USED_UP' } });
    expect((await call('session.touch')).result.ok).toBe(true);
  });

  it('the count is per session: a fourth refused, then its hold ends at the doubled time', async () => {
    const { h, more, alive } = await loggedIn();
    for (let i = 0; i < 3; i++) await more();
    expect((await more()).ok).toBe(false);
    h.clock.advance(8 * IDLE);
    expect(await alive()).toBe(false);
  });

  it('never beyond the absolute session limit', async () => {
    const { h, more, alive, call } = await loggedIn();
    // Active until shortly before the absolute limit, then three times "more time".
    let spent = 0;
    while (spent + 100_000 < ABSOLUTE - 60_000) {
      h.clock.advance(100_000);
      spent += 100_000;
      expect((await call('session.touch')).result.ok).toBe(true);
    }
    for (let i = 0; i < 3; i++) expect((await more()).ok).toBe(true);
    h.clock.advance(ABSOLUTE - spent - 1);
    expect(await alive()).toBe(true);
    h.clock.advance(1);
    expect(await alive()).toBe(false);
  });

  it('a person who needs more time gets twice the idle limit, once: asking again does not double it again', async () => {
    const first = await loggedIn();
    expect(await first.more('NEEDS_MORE_TIME')).toEqual({ ok: true, value: { moreTimeLeft: 3 } });
    first.h.clock.advance(2 * IDLE - 1);
    expect(await first.alive()).toBe(true);

    const second = await loggedIn();
    await second.more('NEEDS_MORE_TIME');
    await second.more('NEEDS_MORE_TIME');
    second.h.clock.advance(2 * IDLE);
    expect(await second.alive()).toBe(false);
  });

  it('asks only for a live session, and only for the two kinds', async () => {
    const { dispatcher, ctx, call } = await loggedIn();
    expect((await dispatcher.dispatch('session.moreTime', { kind: 'MORE_TIME' }, ctx())).result).toEqual({
      ok: false,
      error: { code: 'NOT_AUTHENTICATED' },
    });
    for (const payload of [{ kind: 'FOREVER' }, { kind: 'MORE_TIME', ms: 3_600_000 }, {}]) {
      expect((await call('session.moreTime', payload)).result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });
});
