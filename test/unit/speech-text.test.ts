/**
 * What speech says about fields and keystrokes (src-renderer/lib/speechText.ts), and the voice it
 * picks (lib/speech.ts). The rule that matters most: a password's or code's characters never
 * reach a spoken text, neither as its value nor as a keystroke.
 */
import { describe, expect, it } from 'vitest';
import { de, type MessageKey } from '../../src-renderer/i18n/de.js';
import { RecordingSpeech, voiceFor, type SpeechLog } from '../../src-renderer/lib/speech.js';
import { controlSpeech, fieldSpeech, sentences, typingSpeech, type FieldFacts } from '../../src-renderer/lib/speechText.js';

const t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
  de[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));

const field = (facts: Partial<FieldFacts>): FieldFacts => ({
  label: 'Benutzername',
  kind: 'text',
  value: '',
  checked: false,
  secret: false,
  required: false,
  errors: [],
  hints: [],
  ...facts,
});

describe('what is said about a field', () => {
  it('label, value, problem and hint, in that order, as sentences', () => {
    const text = fieldSpeech(
      field({ value: 'erika.m', required: true, errors: ['Bitte prüfen Sie „Benutzername“.'], hints: ['6 bis 32 Zeichen'] }),
      t,
    );
    expect(text).toBe('Benutzername. Pflichtfeld. erika.m. Bitte prüfen Sie „Benutzername“. 6 bis 32 Zeichen.');
  });

  it('an empty field says so', () => {
    expect(fieldSpeech(field({}), t)).toBe('Benutzername. leer.');
  });

  it('a secret field says only that it is filled in, never its value', () => {
    const text = fieldSpeech(field({ label: 'Passwort', value: 'Heide*Blume7', secret: true }), t);
    expect(text).toBe('Passwort. ausgefüllt.');
    expect(text).not.toContain('Heide');
    expect(fieldSpeech(field({ label: 'Passwort', value: '', secret: true }), t)).toBe('Passwort. leer.');
  });

  it('a tick box says whether it is ticked', () => {
    expect(fieldSpeech(field({ label: 'Ich stimme zu', kind: 'checkbox', checked: true }), t)).toBe('Ich stimme zu. angekreuzt.');
    expect(fieldSpeech(field({ label: 'Ich stimme zu', kind: 'checkbox', value: 'on' }), t)).toBe('Ich stimme zu. nicht angekreuzt.');
  });
});

describe('what a keystroke says', () => {
  it('in a secret field: "character entered" or "character deleted", never the character', () => {
    let before = '';
    for (const char of 'Heide*Blume7') {
      const text = typingSpeech(before, before + char, true, t);
      expect(text).toBe('Zeichen eingegeben');
      before += char;
    }
    expect(typingSpeech('Hei', 'He', true, t)).toBe('Zeichen gelöscht');
    // Pasted or replaced in one go: still no character.
    expect(typingSpeech('', '12345678', true, t)).toBe('Zeichen eingegeben');
    expect(typingSpeech('1234', '1294', true, t)).toBe('Zeichen eingegeben');
  });

  it('in any other field: the character typed, wherever the caret stood', () => {
    expect(typingSpeech('eri', 'erik', false, t)).toBe('k');
    expect(typingSpeech('eria', 'erika', false, t)).toBe('k');
    expect(typingSpeech('Erika', 'Erika ', false, t)).toBe('Leerzeichen');
    expect(typingSpeech('erika', 'erik', false, t)).toBe('Zeichen gelöscht');
    expect(typingSpeech('same', 'same', false, t)).toBeUndefined();
  });
});

describe('controls and sentences', () => {
  it('names a button and whether it is the chosen one', () => {
    expect(controlSpeech('Zurück.', {}, t)).toBe('Zurück. Schaltfläche.');
    expect(controlSpeech('English', { pressed: true }, t)).toBe('English. Schaltfläche. gewählt.');
  });

  it('leaves out empty parts and ends each with one stop', () => {
    expect(sentences(['  Anmelden ', '', undefined, 'Bitte prüfen:', 'Fertig!'])).toBe('Anmelden. Bitte prüfen: Fertig!');
  });
});

describe('the speech port', () => {
  const voice = (lang: string, localService = true) => ({ lang, localService, name: lang });

  it('picks a voice of the screen language: the exact locale first, then any of the language', () => {
    const voices = [voice('en-US'), voice('de-AT'), voice('de-DE', false), voice('tr_TR')];
    expect(voiceFor(voices, 'de-DE')?.lang).toBe('de-DE');
    expect(voiceFor(voices, 'en-GB')?.lang).toBe('en-US');
    expect(voiceFor(voices, 'tr-TR')?.lang).toBe('tr_TR');
    expect(voiceFor([voice('en-GB')], 'tr-TR')).toBeUndefined();
  });

  it('the recording double writes what is said and counts cancels', () => {
    const log: SpeechLog = { said: [], cancels: 0 };
    const port = new RecordingSpeech(log);
    port.speak('Anmelden', 'de-DE');
    port.cancel();
    expect(log).toEqual({ said: [{ text: 'Anmelden', lang: 'de-DE' }], cancels: 1 });
    expect(port.hasVoice()).toBe(true);
  });
});
