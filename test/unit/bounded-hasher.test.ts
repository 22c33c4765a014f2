/**
 * Password hashing runs through a bounded queue: work beyond it is refused at once (BUSY) instead of
 * piling up, and a refused login decides and writes nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { BoundedPasswordHasher } from '../../src-main/adapters/crypto.js';
import { HashingBusyError, type PasswordHasher } from '../../src-main/core/ports.js';
import { parseConfig } from '../../src-main/config/config.js';
import { createDispatcher } from '../../src-main/ipc/dispatcher.js';
import { DEMO_REGISTER } from '../../src-main/demo/demo-register.js';
import { WHO, erikaInput, fastPasswords, makeHarness } from '../fixtures/harness.js';

/** A hasher whose verifies finish only when the test releases them. */
function gatedHasher() {
  const gates: (() => void)[] = [];
  let started = 0;
  const hasher: PasswordHasher = {
    hash: (p) => fastPasswords.hash(p),
    verify: async (hash, password) => {
      started += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return fastPasswords.verify(hash, password);
    },
  };
  return { hasher, gates, started: () => started };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded password hashing', () => {
  it('runs at most `workers` at once, queues up to `maxWaiting`, refuses the rest at once', async () => {
    const gated = gatedHasher();
    const bounded = new BoundedPasswordHasher(gated.hasher, 2, 3);
    const hash = await fastPasswords.hash('x');
    const running = Array.from({ length: 5 }, () => bounded.verify(hash, 'x'));
    await flush();
    expect(gated.started()).toBe(2);
    expect(bounded.load()).toEqual({ active: 2, waiting: 3 });
    await expect(bounded.verify(hash, 'x')).rejects.toBeInstanceOf(HashingBusyError);
    // Each finished hash hands its slot to the next in line.
    gated.gates.shift()?.();
    await vi.waitFor(() => expect(gated.started()).toBe(3));
    expect(bounded.load()).toEqual({ active: 2, waiting: 2 });
    while (gated.gates.length > 0 || gated.started() < 5) {
      gated.gates.shift()?.();
      await flush();
    }
    expect(await Promise.all(running)).toEqual([true, true, true, true, true]);
    expect(bounded.load()).toEqual({ active: 0, waiting: 0 });
  });

  it('a login refused as BUSY counts nothing and writes nothing', async () => {
    const gated = gatedHasher();
    const h = makeHarness({ passwords: new BoundedPasswordHasher(gated.hasher, 1, 0) });
    const becker = DEMO_REGISTER.find((p) => p.lastName === 'Becker');
    if (!becker) throw new Error('demo register changed');
    const erika = await h.core.registration.register(WHO, erikaInput());
    const other = await h.core.registration.register(
      WHO,
      erikaInput({
        kvnr: becker.kvnr,
        firstName: becker.firstName,
        lastName: becker.lastName,
        birthDate: becker.birthDate,
        username: 'becker.h',
        email: 'b@example.org',
      }),
    );
    if (!erika.ok || !other.ok) throw new Error('setup');
    // Erika's login holds the only worker, and nobody may wait.
    const first = h.core.login.withPassword({ ...WHO, terminal: 'a' }, { username: 'erika.m', password: 'Wrong*Pass1' });
    await flush();
    const before = await h.accounts.get(other.value.accountId);
    const auditBefore = h.audit.lines.length;
    const dispatcher = createDispatcher(h.core, parseConfig({}));
    const busy = await dispatcher.dispatch(
      'session.login',
      { username: 'becker.h', password: 'Wrong*Pass1' },
      { sessionToken: undefined, terminal: 'b' },
    );
    expect(busy).toEqual({ result: { ok: false, error: { code: 'BUSY' } } });
    expect(
      await h.core.password.change(WHO, other.value.accountId, { currentPassword: 'Heide*Blume7', newPassword: 'Neue*Wiese42' }),
    ).toEqual({
      ok: false,
      error: { code: 'BUSY' },
    });
    expect(await h.accounts.get(other.value.accountId)).toEqual(before);
    expect(h.audit.lines.length).toBe(auditBefore);
    gated.gates.shift()?.();
    expect(await first).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect((await h.accounts.get(erika.value.accountId))?.login.failures).toBe(1);
  });
});
