/**
 * Speech output behind one small port. Model: the renderer says short texts in the screen's
 * language; the voice comes from Chromium's Web Speech API, which speaks to the system's default
 * audio device (a plugged-in headset once the audio server switches to it).
 * Threats: a stranger switching on a test double at the kiosk (the recording double is chosen only
 * when a log object exists before the app loads: only an init script can put it there, which the
 * shells never serve and the page's policy forbids inline); a voice of the wrong language reading
 * German with English rules (a voice is chosen by the language's primary tag where one exists).
 */

export interface SpeechPort {
  /** Queues `text`; `lang` is a BCP 47 tag (de-DE, en-GB, tr-TR). */
  speak(text: string, lang: string): void;
  /** Stops what is being said and drops what is queued. */
  cancel(): void;
  /** Whether a voice exists: for `lang`, or for any language when left out. */
  hasVoice(lang?: string): boolean;
  /** Voices arrive late in Chromium; called when the list changes. Returns the removal. */
  onVoices(listener: () => void): () => void;
}

const primary = (tag: string): string => tag.toLowerCase().replace('_', '-').split('-')[0] ?? '';

/** The voice for a language: the exact locale first, then one installed locally, then any of the language. */
export function voiceFor<V extends { lang: string; localService: boolean }>(voices: readonly V[], lang: string): V | undefined {
  const same = voices.filter((v) => primary(v.lang) === primary(lang));
  return same.find((v) => v.lang.toLowerCase().replace('_', '-') === lang.toLowerCase()) ?? same.find((v) => v.localService) ?? same[0];
}

class WebSpeech implements SpeechPort {
  readonly #synth: SpeechSynthesis;

  constructor(synth: SpeechSynthesis) {
    this.#synth = synth;
  }

  speak(text: string, lang: string): void {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    const voice = voiceFor(this.#synth.getVoices(), lang);
    if (voice) utterance.voice = voice;
    this.#synth.speak(utterance);
  }

  cancel(): void {
    this.#synth.cancel();
  }

  hasVoice(lang?: string): boolean {
    const voices = this.#synth.getVoices();
    return lang === undefined ? voices.length > 0 : voiceFor(voices, lang) !== undefined;
  }

  onVoices(listener: () => void): () => void {
    this.#synth.addEventListener('voiceschanged', listener);
    return () => this.#synth.removeEventListener('voiceschanged', listener);
  }
}

/** What the recording double writes: every text with its language, and how often speech was cancelled. */
export interface SpeechLog {
  said: { text: string; lang: string }[];
  cancels: number;
}

/** The test double: records instead of speaking; it has a voice for every language. */
export class RecordingSpeech implements SpeechPort {
  readonly #log: SpeechLog;

  constructor(log: SpeechLog) {
    this.#log = log;
  }

  speak(text: string, lang: string): void {
    this.#log.said.push({ text, lang });
  }

  cancel(): void {
    this.#log.cancels += 1;
  }

  hasVoice(): boolean {
    return true;
  }

  onVoices(): () => void {
    return () => undefined;
  }
}

/** No speech engine at all: nothing is said, and the control says that no voice exists. */
const silent: SpeechPort = { speak: () => undefined, cancel: () => undefined, hasVoice: () => false, onVoices: () => () => undefined };

const isLog = (value: unknown): value is SpeechLog =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as SpeechLog).said) &&
  typeof (value as SpeechLog).cancels === 'number';

/** The port for this window: the recording double where a test installed its log before the app loaded, else the Web Speech API. */
export function createSpeech(win: Window & { __kontokioskSpeech?: unknown }): SpeechPort {
  if (isLog(win.__kontokioskSpeech)) return new RecordingSpeech(win.__kontokioskSpeech);
  return 'speechSynthesis' in win ? new WebSpeech(win.speechSynthesis) : silent;
}
