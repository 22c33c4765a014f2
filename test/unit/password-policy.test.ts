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

  it('finds the birth date in every written form, with four- and two-digit years', () => {
    for (const pw of ['Xx1984-08-12', 'Xx19840812', 'Xx12.08.1984', 'Xx12081984', 'Geb12.08.84!', 'Xx120884!']) {
      expect(checkPassword(pw, ctx, common)).toContain('CONTAINS_BIRTH_DATE');
    }
    expect(checkPassword('Xx12.08.85!', ctx, common)).not.toContain('CONTAINS_BIRTH_DATE');
  });

  it('a name of three letters is found, shorter ones do not forbid anything', () => {
    expect(checkPassword('Eva*Sonne7', { names: ['Eva'] }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Lilie*Ng77', { names: ['Li', 'Ng'] }, common)).toEqual([]);
  });

  it('each part of a double name is found, and a double name of short parts as a whole', () => {
    const names = ['Anna-Lena', 'Müller Lüdenscheidt'];
    expect(checkPassword('Sonne*Lena7', { names }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Sonne*Anna7', { names }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('LÜDENSCHEIDT*7', { names }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Müller*Sonne7', { names }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Sonne*LiNa7', { names: ['Li Na'] }, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Sonne*Lina7', { names: ['Li-Na'] }, common)).not.toContain('CONTAINS_NAME');
  });

  it('letters without case (Chinese, Arabic) are letters, not special characters: they add no class', () => {
    expect(checkPassword('a密码密码密码1', {}, common)).toContain('TOO_FEW_CLASSES');
    expect(checkPassword('aكلمةسرية1', {}, common)).toContain('TOO_FEW_CLASSES');
    expect(checkPassword('a密码密码密码1!', {}, common)).toEqual([]);
    // A combining mark belongs to its letter: no class of its own.
    expect(checkPassword('ae\u0301e\u0301e\u0301e\u03011', {}, common)).toContain('TOO_FEW_CLASSES');
  });

  it('a password of 256 characters is still checked for names and the birth date; one of 257 only for its length', () => {
    const at256 = `${'Aa1!'.repeat(61)}Mustermann12.08.84`.slice(0, 256);
    expect([...at256]).toHaveLength(256);
    expect(at256).toContain('Mustermann');
    expect(checkPassword(at256, ctx, common)).toEqual(['CONTAINS_NAME']);
    const birth256 = `${'Aa1!'.repeat(62)}120884x!`;
    expect([...birth256]).toHaveLength(256);
    expect(checkPassword(birth256, ctx, common)).toEqual(['CONTAINS_BIRTH_DATE']);
    expect(checkPassword(`${at256}!`, ctx, common)).toEqual(['TOO_LONG']);
  });

  it('a space counts as a special character and does not hide a name or the birth date', () => {
    expect(checkPassword('sonne 915', ctx, common)).toEqual([]);
    expect(checkPassword('Muster mann 7', ctx, common)).toContain('CONTAINS_NAME');
    expect(checkPassword('Xx 12 08 1984', ctx, common)).toContain('CONTAINS_BIRTH_DATE');
    expect(checkPassword('Xerika. m9!', ctx, common)).toContain('CONTAINS_USERNAME');
  });

  it('a password with invalid characters is refused for them alone, without the other checks', () => {
    expect(checkPassword('Mustermann#1\u0000', ctx, common)).toEqual(['INVALID_CHARACTERS']);
    expect(checkPassword('Sonne*91\u200B', ctx, common)).toEqual(['INVALID_CHARACTERS']);
  });

  it('names every failed rule at once', () => {
    expect(checkPassword('erika', ctx, common)).toEqual(expect.arrayContaining(['TOO_SHORT', 'TOO_FEW_CLASSES', 'CONTAINS_NAME']));
  });

  it('rejects control characters and invalid UTF-16', () => {
    expect(checkPassword('Sonne*91\u0000', ctx, common)).toContain('INVALID_CHARACTERS');
    expect(checkPassword('Sonne*91\uD800', ctx, common)).toContain('INVALID_CHARACTERS');
  });
});
