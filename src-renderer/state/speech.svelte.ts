/**
 * Whether the kiosk speaks, and what it said last (for "repeat"). Off until the person switches it
 * on (F1, a long press, or the header's "Read aloud"); texts are said in the screen's language.
 * `say` is the one way to speak: other parts (the idle warning, large text, ...) call it too.
 * Threats: the previous person's data read to the next (a reset stops speech, switches it off and
 * forgets what was said and that headphones were confirmed); private data through the loudspeaker
 * (state/narrator.ts asks for headphones before reading it; `headphones` holds the answer).
 */
import { i18n } from '../i18n/i18n.svelte.js';
import { createSpeech, type SpeechPort } from '../lib/speech.js';

class SpeechState {
  on = $state(false);
  /** A voice exists on this device: without one the control cannot switch speech on. */
  voice = $state(false);
  /** Confirmed in this session: headphones are on, private parts may be read. */
  headphones = $state(false);
  /** The headphones question is showing. */
  asking = $state(false);
  readonly #port: SpeechPort;
  /** What was said since the last interruption: "repeat" says it again. */
  #last: string[] = [];

  constructor(port: SpeechPort) {
    this.#port = port;
    this.voice = port.hasVoice();
  }

  /** Follows the voices Chromium loads after start; returns the removal. */
  watchVoices(): () => void {
    return this.#port.onVoices(() => (this.voice = this.#port.hasVoice()));
  }

  /** Says `text` when speech is on; `interrupt` first stops what is being said (a new screen, a new focus). */
  say = (text: string, options: { interrupt?: boolean } = {}): void => {
    if (!this.on || text.trim() === '') return;
    if (options.interrupt) this.#interrupt();
    this.#port.speak(text, i18n.locale);
    this.#last.push(text);
  };

  /** Says the last thing again; false when there is nothing to repeat. */
  repeat = (): boolean => {
    const again = [...this.#last];
    if (!this.on || again.length === 0) return false;
    this.#interrupt();
    for (const text of again) this.say(text);
    return true;
  };

  switchOn(): void {
    if (!this.voice) return;
    this.on = true;
    this.say(i18n.t('speech.switchedOn'), { interrupt: true });
  }

  switchOff(): void {
    this.say(i18n.t('speech.switchedOff'), { interrupt: true });
    this.on = false;
    this.asking = false;
    this.#last = [];
  }

  /** Logout and idle end: silence, off, nothing remembered of this person. */
  reset = (): void => {
    this.#port.cancel();
    this.on = false;
    this.headphones = false;
    this.asking = false;
    this.#last = [];
  };

  #interrupt(): void {
    this.#port.cancel();
    this.#last = [];
  }
}

export const speech = new SpeechState(createSpeech(window));
