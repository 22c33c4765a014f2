import { describe, expect, it } from 'vitest';
import { loadCommonPasswords, commonPasswordCount } from '../../src-main/adapters/common-passwords.js';
import { checkPassword } from '../../src-main/core/registration/password-policy.js';

const common = loadCommonPasswords();
const ctx = { username: 'erika.m', names: ['Erika', 'Mustermann'], kvnr: 'A123456780', birthDate: '1984-08-12' };

describe('password policy (R2)', () => {
  it('accepts the three examples of the help page', () => {
    for (const pw of ['Sonne915', 'Sonne*91', 'sonne#91']) expect(checkPassword(pw, ctx, common)).toEqual([]);
  });

  it('7 characters are too short, 8 are enough', () => {
    expect(checkPassword('Sonn*91', ctx, common)).toContain('TOO_SHORT');
    expect(checkPassword('Sonne*91', ctx, common)).not.toContain('TOO_SHORT');
  });

  it('256 characters are allowed, 257 are too long, nothing is truncated', () => {
    const base = 'Aa1!'.repeat(64);
    expect(checkPassword(base, ctx, common)).toEqual([]);
    expect(checkPassword(`${base}x`, ctx, common)).toContain('TOO_LONG');
  });

  it('needs three of the four classes', () => {
    expect(checkPassword('sonnenblume', ctx, common)).toContain('TOO_FEW_CLASSES');
    expect(checkPassword('sonnenblume12', ctx, common)).toContain('TOO_FEW_CLASSES');
    expect(checkPassword('Sonnenblume12', ctx, common)).toEqual([]);
    expect(checkPassword('sonnenblume1!', ctx, common)).toEqual([]);
  });

  it('counts Unicode letters by their case: Ä is upper case, ß lower case', () => {
    expect(checkPassword('Äpfelbaum7', ctx, common)).toEqual([]);
    expect(checkPassword('ÄPFELBAUß7', ctx, common)).toEqual([]);
    expect(checkPassword('äpfelbaum', ctx, common)).toContain('TOO_FEW_CLASSES');
  });

  it('rejects common passwords from a list of at least 10,000', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
    expect(checkPassword('Password1', ctx, common)).toEqual(['COMMON']);
    expect(checkPassword('Sommer2020!', ctx, common).includes('COMMON')).toBe(common.isCommon('sommer2020!'));
  });

  it('rejects passwords containing the username, names, KVNR or birth date', () => {
    expect(checkPassword('xErika.M9!', ctx, common)).toContain('CONTAINS_USERNAME');
    expect(checkPassword('Mustermann#1', ctx, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('ERIKA-rose-7', ctx, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Xa123456780!', ctx, common)).toContain('CONTAINS_KVNR');
    expect(checkPassword('Geb12.08.1984', ctx, common)).toContain('CONTAINS_BIRTH_DATE');
    expect(checkPassword('Geb19840812x', ctx, common)).toContain('CONTAINS_BIRTH_DATE');
  });

  it('names every failed rule at once', () => {
    expect(checkPassword('erika', ctx, common)).toEqual(expect.arrayContaining(['TOO_SHORT', 'TOO_FEW_CLASSES', 'CONTAINS_NAME']));
  });

  it('rejects control characters and invalid UTF-16', () => {
    expect(checkPassword('Sonne*91\u0000', ctx, common)).toContain('INVALID_CHARACTERS');
    expect(checkPassword('Sonne*91\uD800', ctx, common)).toContain('INVALID_CHARACTERS');
  });
});
