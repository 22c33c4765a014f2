import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kvnrCheckDigit, parseKvnr } from '../../src-main/core/kvnr.js';

describe('KVNR check digit (R1)', () => {
  it('accepts the examples of the spec', () => {
    expect(parseKvnr('A123456780')).toBe('A123456780');
    expect(parseKvnr('X110411675')).toBe('X110411675');
  });

  it('accepts lower case and spaces', () => {
    expect(parseKvnr(' a 1234 5678 0 ')).toBe('A123456780');
    expect(parseKvnr('x110 411 675')).toBe('X110411675');
  });

  it('rejects a wrong check digit, wrong shapes and empty input', () => {
    expect(parseKvnr('A123456781')).toBeUndefined();
    expect(parseKvnr('1123456780')).toBeUndefined();
    expect(parseKvnr('A12345678')).toBeUndefined();
    expect(parseKvnr('AA23456780')).toBeUndefined();
    expect(parseKvnr('')).toBeUndefined();
    expect(parseKvnr('Ä123456780')).toBeUndefined();
  });

  it('rejects a valid KVNR with anything after it: ten characters exactly', () => {
    expect(parseKvnr('A1234567800')).toBeUndefined();
    expect(parseKvnr('A123456780X')).toBeUndefined();
    expect(parseKvnr('XA123456780')).toBeUndefined();
    expect(parseKvnr('1A123456780')).toBeUndefined();
    // Two KVNRs run together: the first is valid, the string is not a KVNR.
    expect(parseKvnr('A123456780X110411675')).toBeUndefined();
  });

  it('has no check digit for a body that is not one letter and eight digits', () => {
    expect(kvnrCheckDigit('A123456789')).toBeUndefined();
    expect(kvnrCheckDigit('AA12345678')).toBeUndefined();
    expect(kvnrCheckDigit('1A1234567')).toBeUndefined();
    expect(kvnrCheckDigit('A1234567')).toBeUndefined();
    expect(kvnrCheckDigit('X11041167')).toBe(5);
  });

  it('computes the check digit by the published weighting', () => {
    // A=01: digits 0 1 1 2 3 4 5 6 7 8, weights 1 2 1 2 ...: products 0 2 1 4 3 8 5 12 7 16
    // digit sums 0+2+1+4+3+8+5+3+7+7 = 40 -> 0
    expect(kvnrCheckDigit('A12345678')).toBe(0);
  });

  it('exactly one check digit of ten makes any body valid', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.stringMatching(/^\d{8}$/), (letter, digits) => {
        const valid = [...'0123456789'].filter((d) => parseKvnr(`${letter}${digits}${d}`) !== undefined);
        expect(valid).toHaveLength(1);
      }),
    );
  });
});
