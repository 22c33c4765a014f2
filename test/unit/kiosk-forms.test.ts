/**
 * Pure rules of the kiosk's forms: which on-screen keyboard a field gets, and which fields an
 * answer of the main process is about (the rest stays the one message above the screen).
 */
import { describe, expect, it } from 'vitest';
import { LAYOUTS, layerFor, layoutKindFor } from '../../src-renderer/lib/keyboardLayouts.js';
import { groupsOf, type FieldMap } from '../../src-renderer/lib/problems.js';

const traits = (type: string, inputMode = '', autocomplete = 'off') => ({ type, inputMode, autocomplete });
const firstLayer = (kind: keyof typeof LAYOUTS): string[] => (LAYOUTS[kind]['default'] ?? []).join(' ').split(' ');

describe('the keyboard a field gets', () => {
  it('digits for codes, card digits and TANs (inputmode numeric)', () => {
    expect(layoutKindFor(traits('text', 'numeric', 'one-time-code'))).toBe('digits');
    expect(
      firstLayer('digits')
        .filter((k) => !k.startsWith('{'))
        .sort(),
    ).toEqual('0123456789'.split(''));
  });

  it('digits and the point for a date (inputmode decimal)', () => {
    expect(layoutKindFor(traits('text', 'decimal'))).toBe('decimal');
    expect(firstLayer('decimal')).toContain('.');
  });

  it('digits and + for a phone number', () => {
    expect(layoutKindFor(traits('tel'))).toBe('phone');
    expect(layoutKindFor(traits('text', 'tel'))).toBe('phone');
    expect(
      firstLayer('phone')
        .filter((k) => !k.startsWith('{'))
        .sort(),
    ).toEqual(['+', ...'0123456789'.split('')]);
  });

  it('@, point and hyphen on the first layer for an e-mail address, and no space', () => {
    expect(layoutKindFor(traits('email'))).toBe('email');
    expect(layoutKindFor(traits('text', 'email'))).toBe('email');
    expect(layoutKindFor(traits('text', '', 'email'))).toBe('email');
    expect(firstLayer('email')).toEqual(expect.arrayContaining(['@', '.', '-']));
    expect(firstLayer('email')).not.toContain('{space}');
  });

  it('the full keyboard for names, passwords and the insurance number (it starts with a letter)', () => {
    expect(layoutKindFor(traits('text'))).toBe('text');
    expect(layoutKindFor(traits('password'))).toBe('text');
    expect(firstLayer('text')).toEqual(expect.arrayContaining(['a', 'z', '1']));
  });

  it('shift only where letters have a case', () => {
    expect(layerFor('text', true)).toBe('shift');
    expect(layerFor('email', true)).toBe('shift');
    expect(layerFor('digits', true)).toBe('default');
  });
});

describe('which fields an answer is about', () => {
  const map: FieldMap = {
    paths: { kvnr: 'reg-kvnr', email: 'reg-email', password: 'reg-password' },
    codes: { REGISTER_MISMATCH: ['reg-kvnr', 'reg-birth', 'reg-first'], EMAIL_INVALID: ['reg-email'] },
  };
  const all = () => true;

  it('a code names its fields, the first being where its link leads', () => {
    expect(groupsOf({ code: 'REGISTER_MISMATCH' }, map, all)).toEqual([{ fields: ['reg-kvnr', 'reg-birth', 'reg-first'] }]);
  });

  it('only fields on screen count; an answer about none stays the message above the screen', () => {
    expect(groupsOf({ code: 'REGISTER_MISMATCH' }, map, (id) => id !== 'reg-kvnr')).toEqual([{ fields: ['reg-birth', 'reg-first'] }]);
    expect(groupsOf({ code: 'EMAIL_INVALID' }, map, (id) => id !== 'reg-email')).toEqual([]);
    expect(groupsOf({ code: 'RATE_LIMITED', details: { retryAt: '2026-01-01T10:00:00Z' } }, map, all)).toEqual([]);
  });

  it('VALIDATION_FAILED: one problem per field path, once each; a path no field shows is listed without a link', () => {
    const error = {
      code: 'VALIDATION_FAILED' as const,
      details: {
        issues: [
          { path: 'email', code: 'too_big' },
          { path: 'email', code: 'invalid_format' },
          { path: 'password', code: 'too_small' },
          { path: 'language', code: 'invalid_value' },
        ],
      },
    };
    expect(groupsOf(error, map, all)).toEqual([
      { fields: ['reg-email'], path: 'email' },
      { fields: ['reg-password'], path: 'password' },
      { fields: [] },
    ]);
  });

  it('VALIDATION_FAILED about no field shown, or without readable issues, is left to the message above the screen', () => {
    expect(groupsOf({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'language' }] } }, map, all)).toEqual([]);
    expect(groupsOf({ code: 'VALIDATION_FAILED', details: { issues: 'broken' } }, map, all)).toEqual([]);
    expect(groupsOf({ code: 'VALIDATION_FAILED', details: { issues: [null, 3] } }, map, all)).toEqual([]);
  });
});
