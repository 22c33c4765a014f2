/**
 * E-mail addresses as the core compares, checks and shows them (src-main/core/email/address.ts):
 * the same address typed differently compares equal, only the shape is checked (one @, no spaces,
 * a dotted domain, the lengths of RFC 5321), and a screen shows no more than the first letter.
 */
import { describe, expect, it } from 'vitest';
import { isValidEmail, maskEmail, normalizeEmail } from '../../src-main/core/email/address.js';

describe('e-mail addresses', () => {
  it('compare equal whatever the case, surrounding spaces and full-width forms typed', () => {
    expect(normalizeEmail('  Erika@Example.ORG \t')).toBe('erika@example.org');
    expect(normalizeEmail('ｅｒｉｋａ＠ｅｘａｍｐｌｅ．ｏｒｇ')).toBe('erika@example.org');
  });

  it('are accepted with one @, no spaces and a dotted domain', () => {
    for (const ok of ['erika@example.org', 'e.m+kiosk@mail.example.de', 'ä@bücher.de', 'x@a.b']) expect(isValidEmail(ok)).toBe(true);
    for (const bad of [
      '',
      'erika',
      'erika@',
      '@example.org',
      'erika@example',
      'erika@@example.org',
      'er@ka@example.org',
      'erika @example.org',
      'erika@exa mple.org',
      'erika@example.org ',
      ' erika@example.org',
      'erika@.example.org',
      'erika@example..org',
      'erika@example.org.',
      'erika@example.',
    ]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });

  it('may have a local part of up to 64 characters and 254 characters in all, not more', () => {
    const local64 = 'a'.repeat(64);
    expect(isValidEmail(`${local64}@example.org`)).toBe(true);
    expect(isValidEmail(`${local64}a@example.org`)).toBe(false);
    const domain189 = `${'d'.repeat(185)}.org`;
    expect(`${local64}@${domain189}`).toHaveLength(254);
    expect(isValidEmail(`${local64}@${domain189}`)).toBe(true);
    expect(isValidEmail(`${local64}@d${domain189}`)).toBe(false);
  });

  it('are shown masked: the first letter of the local part and the domain, nothing else', () => {
    expect(maskEmail('erika@example.org')).toBe('e***@example.org');
    expect(maskEmail('m@example.org')).toBe('m***@example.org');
    // Something that is not an address shows no more than its first letter.
    expect(maskEmail('no-address')).toBe('n***@');
    expect(maskEmail('')).toBe('***@');
  });
});
