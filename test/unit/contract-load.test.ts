/**
 * The IPC contract builds every channel's schema when it loads (the default policy's contract).
 * This file imports it only inside the test, so that a contract that fails to build is a failing
 * test here, not test files that quietly collect no tests.
 */
import { describe, expect, it } from 'vitest';

describe('the IPC contract loads', () => {
  it('loads with every channel, and its unions tell their variants apart', async () => {
    const { CHANNELS, channels } = await import('../../src-main/ipc/contract.js');
    expect(CHANNELS).toEqual(Object.keys(channels));
    expect(CHANNELS).toEqual(expect.arrayContaining(['app.info', 'registration.submit', 'staff.login', 'dashboard.stats']));
    expect(channels['session.lockNotice'].input.safeParse({ kvnr: 'A123456780' }).success).toBe(true);
    expect(channels['tan.request'].input.safeParse({ action: 'CHANGE_EMAIL', email: 'a@b.de' }).success).toBe(true);
    expect(channels['counter.search'].input.safeParse({ query: { by: 'USERNAME', username: 'erika.m' }, reason: 'Anruf' }).success).toBe(
      true,
    );
    expect(channels['staff.change'].input.safeParse({ staffId: 'S', change: { role: 'staff' }, reason: 'Anruf' }).success).toBe(true);
  });
});
