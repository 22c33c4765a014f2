/**
 * How names are compared with the register (registration, the counter's search): the same name
 * typed differently is the same name; a different name stays different.
 */
import { describe, expect, it } from 'vitest';
import { foldText, sameName } from '../../src-main/core/text.js';

describe('names compared with the register', () => {
  it('case does not matter, and ß matches ss in either case', () => {
    expect(sameName('Weiß', 'WEISS')).toBe(true);
    expect(sameName('weiß', 'Weiss')).toBe(true);
    expect(sameName('Mustermann', 'mUSTERMANN')).toBe(true);
    expect(foldText('Weiß')).toBe('weiss');
  });

  it('spaces at the ends do not matter, and runs of spaces inside count as one space', () => {
    expect(sameName('  Erika   Maria ', 'Erika Maria')).toBe(true);
    expect(foldText('\tErika \u00A0 Maria\n')).toBe('erika maria');
  });

  it('a space inside a name is not ignored: a double name written together is another name', () => {
    expect(sameName('Erika Maria', 'ErikaMaria')).toBe(false);
    expect(sameName('Mustermann', 'Musterfrau')).toBe(false);
  });

  it('a letter typed as base letter and accent matches the accented letter', () => {
    expect(sameName('Jose\u0301', 'José')).toBe(true);
    expect(sameName('ﬁscher', 'Fischer')).toBe(true);
  });

  it('spaces that a compatibility character brings (a spacing accent ´) are collapsed like typed ones', () => {
    expect(foldText('Jean ´ Luc')).toBe('jean \u0301 luc');
    expect(foldText('´Erika')).toBe('\u0301erika');
  });

  it('the folded form is composed (NFKC) even where case folding takes a letter apart', () => {
    expect(foldText('ß\u0301')).toBe('s\u015B');
    expect(foldText('\u0390')).toBe('\u0390');
  });
});
