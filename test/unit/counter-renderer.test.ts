/** Pure rules of the counter's screens: the reason for an access, the idle countdown, formatting. */
import { describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { actorKind, groupSecret } from '../../src-renderer/counter/lib/format.js';
import { IDLE_MS, TOUCH_EVERY_MS, WARNING_MS, idleState, touchDue } from '../../src-renderer/counter/lib/idle.js';
import { composeReason, REASON_MAX } from '../../src-renderer/counter/lib/reason.js';

describe('the reason for an access', () => {
  it('is required: no preset, no reason', () => {
    expect(composeReason('', 'etwas')).toEqual({ ok: false, problem: 'MISSING' });
  });

  it('records a preset in German, with the free text after it on one line', () => {
    expect(composeReason('AT_DESK', '')).toEqual({ ok: true, reason: 'Person am Schalter' });
    expect(composeReason('PHONE_CALL', '  Rückruf\n erbeten ')).toEqual({ ok: true, reason: 'Anruf der Person: Rückruf erbeten' });
  });

  it('needs free text for "other"', () => {
    expect(composeReason('OTHER', '   ')).toEqual({ ok: false, problem: 'TEXT_MISSING' });
    expect(composeReason('OTHER', 'Betreuer')).toEqual({ ok: true, reason: 'Sonstiges: Betreuer' });
  });

  it('refuses more than the contract accepts, counting characters, not UTF-16 units', () => {
    const prefix = 'Schriftliche Anfrage: ';
    const fits = 'ü'.repeat(REASON_MAX - prefix.length);
    expect(composeReason('LETTER', fits)).toEqual({ ok: true, reason: prefix + fits });
    expect(composeReason('LETTER', `${fits}x`)).toEqual({ ok: false, problem: 'TOO_LONG' });
  });
});

describe('the idle countdown', () => {
  const start = 1_000_000;

  it('warns 30 seconds before the staff session would end and ends at the limit', () => {
    expect(idleState(start + IDLE_MS - WARNING_MS - 1, start)).toEqual({ kind: 'ACTIVE' });
    expect(idleState(start + IDLE_MS - WARNING_MS, start)).toEqual({ kind: 'WARN', seconds: 30 });
    expect(idleState(start + IDLE_MS - 1, start)).toEqual({ kind: 'WARN', seconds: 1 });
    expect(idleState(start + IDLE_MS, start)).toEqual({ kind: 'END' });
  });

  it('touches the session at most every interval, so the count never runs behind the main process', () => {
    expect(touchDue(start + TOUCH_EVERY_MS - 1, start)).toBe(false);
    expect(touchDue(start + TOUCH_EVERY_MS, start)).toBe(true);
    expect(TOUCH_EVERY_MS).toBeLessThan(WARNING_MS);
  });
});

describe('formatting', () => {
  it('groups a TOTP key in fours, and the grouped key still yields the same codes', () => {
    const secret = new Secret({ size: 20 }).base32;
    const grouped = groupSecret(secret);
    expect(grouped).toMatch(/^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$/);
    const at = { timestamp: 1_700_000_000_000 };
    expect(new TOTP({ secret: Secret.fromBase32(grouped.replace(/\s/g, '')) }).generate(at)).toBe(
      new TOTP({ secret: Secret.fromBase32(secret) }).generate(at),
    );
  });

  it('names who acted without inventing a staff id', () => {
    expect(actorKind('staff:abc123')).toEqual({ kind: 'staff', id: 'abc123' });
    expect(actorKind('person')).toEqual({ kind: 'person' });
    expect(actorKind('account:x')).toEqual({ kind: 'anonymous' });
  });
});
