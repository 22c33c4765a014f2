/**
 * What speech reads, and when: the screen (heading, instruction, messages) when its heading takes
 * focus; the focused control with its label, value and problem; each keystroke; each message as it
 * appears. Nothing is read while speech is off.
 * Threats: personal data through the loudspeaker (parts marked `data-private` are read only once
 * the person confirmed headphones, asked the first time such a part would be read); a secret read
 * back (a password's or code's characters never reach a text: lib/speechText.ts).
 */
import { tick } from 'svelte';
import { i18n } from '../i18n/i18n.svelte.js';
import {
  DIALOG,
  dialogIntro,
  fieldFacts,
  isPrivate,
  isSecret,
  isTextField,
  messageAt,
  messagesIn,
  nameOf,
  textOf,
} from '../lib/narration.js';
import { controlSpeech, fieldSpeech, sentences, typingSpeech } from '../lib/speechText.js';
import { speech } from './speech.svelte.js';

const heading = (): HTMLElement | null => document.querySelector('main h1');
const inReadingOrder = (a: Node, b: Node): number => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);

class Narrator {
  /** The text each message had when it was last read (or found on its screen): a message is read again only when it changed. */
  #spoken = new WeakMap<Element, string>();
  /** Screens (by their heading) where the person declined to read private parts aloud. */
  #declined = new WeakSet<Element>();
  /** Each field's text before the keystroke, to say what the keystroke changed. */
  #typed = new WeakMap<Element, string>();
  #dialog: Element | null = null;
  #pending = new Set<Element>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** The screen: its heading, then its instruction and messages in reading order (private parts only with headphones). */
  readScreen = (interrupt = true): void => {
    const h1 = heading();
    const main = h1?.closest('main');
    if (!h1 || !main) return;
    this.#dialog = null;
    speech.say(textOf(h1), { interrupt });
    let withheld = false;
    for (const el of messagesIn(main)) {
      const text = textOf(el);
      this.#spoken.set(el, text);
      if (isPrivate(el) && !speech.headphones) withheld = true;
      else speech.say(text);
    }
    if (withheld) this.#withhold(h1);
  };

  toggle = (): void => {
    if (speech.on) return speech.switchOff();
    speech.switchOn();
    if (!speech.on) return;
    this.readScreen(false);
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== heading() && active !== document.body && !active.closest('header')) {
      speech.say(this.#describe(active));
    }
  };

  /** F2: what was said last, or the screen when nothing was. */
  repeat = (): void => {
    if (speech.on && !speech.repeat()) this.readScreen();
  };

  /** The answer to the headphones question; the heading takes focus again and reads the screen with or without the private parts. */
  answer = async (headphones: boolean): Promise<void> => {
    const h1 = heading();
    if (headphones) speech.headphones = true;
    else if (h1) this.#declined.add(h1);
    speech.asking = false;
    await tick();
    h1?.focus();
  };

  start = (): (() => void) => {
    const observer = new MutationObserver((records) => this.#changed(records));
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    document.addEventListener('focusin', this.#focused);
    document.addEventListener('input', this.#input, true);
    document.addEventListener('change', this.#ticked, true);
    return () => {
      observer.disconnect();
      clearTimeout(this.#timer);
      document.removeEventListener('focusin', this.#focused);
      document.removeEventListener('input', this.#input, true);
      document.removeEventListener('change', this.#ticked, true);
    };
  };

  #withhold(h1: Element): void {
    if (this.#declined.has(h1)) speech.say(i18n.t('speech.privateSkipped'));
    else speech.asking = true;
  }

  #describe(el: HTMLElement): string {
    if (isTextField(el) || (el instanceof HTMLInputElement && el.type === 'checkbox')) return fieldSpeech(fieldFacts(el), i18n.t);
    if (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) {
      return controlSpeech(nameOf(el), { pressed: el.getAttribute('aria-pressed') === 'true' }, i18n.t);
    }
    return sentences([el.getAttribute('aria-label') ?? '', textOf(el)]);
  }

  #focused = (event: FocusEvent): void => {
    const el = event.target;
    if (!(el instanceof HTMLElement)) return;
    if (isTextField(el)) this.#typed.set(el, el.value);
    if (!speech.on) return;
    if (el === heading()) return this.readScreen();
    const h1 = heading();
    if (isPrivate(el) && !speech.headphones && h1) return this.#withhold(h1);
    const box = el.closest(DIALOG);
    // A dialog that announces itself (the idle warning) is neither introduced again nor cut off.
    const announced = box?.matches('[data-speak="self"]') ?? false;
    const parts = box && box !== this.#dialog && !announced ? dialogIntro(box) : [];
    this.#dialog = box;
    parts.push(this.#describe(el));
    // A question the kiosk asks by itself waits until the screen has been read.
    const interrupt = !box?.matches('[data-speak="queue"]') && !announced;
    parts.forEach((text, i) => speech.say(text, { interrupt: interrupt && i === 0 }));
  };

  #input = (event: Event): void => {
    const el = event.target;
    if (!isTextField(el)) return;
    const before = this.#typed.get(el) ?? '';
    this.#typed.set(el, el.value);
    const text = speech.on ? typingSpeech(before, el.value, isSecret(el), i18n.t) : undefined;
    if (text) speech.say(text, { interrupt: true });
  };

  #ticked = (event: Event): void => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      speech.say(i18n.t(el.checked ? 'speech.checked' : 'speech.unchecked'), { interrupt: true });
    }
  };

  #changed(records: readonly MutationRecord[]): void {
    if (!speech.on) return;
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const at = target ? messageAt(target) : undefined;
      if (at) this.#pending.add(at);
      for (const node of record.addedNodes) if (node instanceof Element) for (const m of messagesIn(node)) this.#pending.add(m);
    }
    // Read after the screen has settled: a new screen's heading takes focus first and reads what stands on it.
    if (this.#pending.size > 0 && this.#timer === undefined) this.#timer = setTimeout(() => this.#announce(), 50);
  }

  #announce(): void {
    this.#timer = undefined;
    const found = [...this.#pending].filter((el) => el.isConnected && messageAt(el) === el).sort(inReadingOrder);
    this.#pending.clear();
    let withheld = false;
    for (const el of found) {
      const text = textOf(el);
      if (this.#spoken.get(el) === text) continue;
      this.#spoken.set(el, text);
      if (text === '') continue;
      if (isPrivate(el) && !speech.headphones) withheld = true;
      else speech.say(text);
    }
    const h1 = heading();
    if (withheld && h1 && !speech.asking) this.#withhold(h1);
  }
}

export const narrator = new Narrator();
