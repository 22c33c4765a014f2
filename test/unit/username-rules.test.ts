/**
 * Usernames (core/registration/username.ts, R2): 6 to 32 ASCII letters, digits, '.', '-' and '_',
 * nothing before or after; unique without regard to case, width or surrounding spaces, so that a
 * look-alike cannot be registered beside an existing name.
 */
import { describe, expect, it } from 'vitest';
import { isValidUsername, usernameKey } from '../../src-main/core/registration/username.js';

describe('the username format', () => {
  it('6 to 32 characters: 5 and 33 are refused', () => {
    expect(isValidUsername('abcdef')).toBe(true);
    expect(isValidUsername('a'.repeat(32))).toBe(true);
    expect(isValidUsername('abcde')).toBe(false);
    expect(isValidUsername('a'.repeat(33))).toBe(false);
    expect(isValidUsername('')).toBe(false);
  });

  it('every ASCII letter and digit, the dot, the hyphen and the underscore are allowed', () => {
    expect(isValidUsername('AZaz09._-')).toBe(true);
    expect(isValidUsername('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(true);
    expect(isValidUsername('abcdefghijklmnopqrstuvwxyz')).toBe(true);
    expect(isValidUsername('0123456789')).toBe(true);
    expect(isValidUsername('......')).toBe(true);
    expect(isValidUsername('------')).toBe(true);
    expect(isValidUsername('______')).toBe(true);
  });

  it('any other character anywhere refuses the name, also at its start or end', () => {
    for (const name of [
      'erika m',
      'erikä.m',
      'erika@m',
      ' erika.m',
      'erika.m ',
      '@erika.m',
      'erika.m@',
      'erika.m\n',
      'еrika.m',
      'ｅrika.m',
    ]) {
      expect(isValidUsername(name), name).toBe(false);
    }
  });
});

describe('the key that makes a username unique', () => {
  it('ignores case, full-width forms and surrounding spaces', () => {
    expect(usernameKey('Erika.M')).toBe('erika.m');
    expect(usernameKey('  erika.m ')).toBe('erika.m');
    expect(usernameKey('ＥＲＩＫＡ.ｍ')).toBe('erika.m');
  });
});
