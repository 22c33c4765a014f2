/**
 * Which on-screen keyboard a field gets, read from what the field already declares (inputmode,
 * type, autocomplete), and the simple-keyboard layouts for each. A field never has to name a
 * layout itself, so a new form gets the right keys by declaring its input correctly.
 * Pure: no DOM, no Svelte; the keyboard component applies the choice.
 */

export type LayoutKind = 'text' | 'email' | 'digits' | 'decimal' | 'phone';

export interface FieldTraits {
  readonly type: string;
  readonly inputMode: string;
  readonly autocomplete: string;
}

/** The keyboard a field needs. Dates (TT.MM.JJJJ) declare inputmode="decimal": digits and the point. */
export function layoutKindFor(field: FieldTraits): LayoutKind {
  const type = field.type.toLowerCase();
  const mode = field.inputMode.toLowerCase();
  const tokens = field.autocomplete.toLowerCase().split(/\s+/);
  if (type === 'email' || mode === 'email' || tokens.includes('email')) return 'email';
  if (type === 'tel' || mode === 'tel' || tokens.some((t) => t.startsWith('tel'))) return 'phone';
  if (mode === 'decimal') return 'decimal';
  if (mode === 'numeric') return 'digits';
  return 'text';
}

/** Keys, one string per row as simple-keyboard reads them; `shift` only where letters have a case. */
export const LAYOUTS: Readonly<Record<LayoutKind, Readonly<Record<string, string[]>>>> = {
  text: {
    default: [
      '1 2 3 4 5 6 7 8 9 0 ß {bksp}',
      'q w e r t z u i o p ü +',
      'a s d f g h j k l ö ä #',
      '{shift} y x c v b n m , . - _',
      '@ {space} {enter}',
    ],
    shift: [
      '! " § $ % & / ( ) = ? {bksp}',
      'Q W E R T Z U I O P Ü *',
      "A S D F G H J K L Ö Ä '",
      '{shift} Y X C V B N M ; : < >',
      '@ {space} {enter}',
    ],
  },
  // An address has no spaces: its space goes to "@", ".", "-" and the common endings, on the first layer.
  email: {
    default: [
      '1 2 3 4 5 6 7 8 9 0 {bksp}',
      'q w e r t z u i o p ü',
      'a s d f g h j k l ö ä',
      '{shift} y x c v b n m _ +',
      '@ . - .de .com {enter}',
    ],
    shift: [
      '1 2 3 4 5 6 7 8 9 0 {bksp}',
      'Q W E R T Z U I O P Ü',
      'A S D F G H J K L Ö Ä',
      '{shift} Y X C V B N M _ +',
      '@ . - .de .com {enter}',
    ],
  },
  digits: { default: ['1 2 3', '4 5 6', '7 8 9', '{bksp} 0 {enter}'] },
  decimal: { default: ['1 2 3', '4 5 6', '7 8 9', '. 0 {bksp}', '{enter}'] },
  phone: { default: ['1 2 3', '4 5 6', '7 8 9', '+ 0 {bksp}', '{enter}'] },
};

/** The layer to show: shift only exists where letters have a case. */
export function layerFor(kind: LayoutKind, shifted: boolean): 'default' | 'shift' {
  return shifted && LAYOUTS[kind]['shift'] ? 'shift' : 'default';
}
