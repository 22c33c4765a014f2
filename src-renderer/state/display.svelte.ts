/**
 * How the kiosk looks for the person in front of it: large text (the root font size doubled; every
 * size is in rem or em, so the whole page follows) and a high-contrast theme (theme-contrast.css).
 * Both are marks on the document element that the styles read. Switching either is said when
 * speech is on, and either counts as needing more time (state/idle.svelte.ts).
 * Threat: the next person inheriting the previous one's view; a reset (logout, idle end) switches
 * both off before the welcome screen shows, as it does speech.
 */
import { i18n } from '../i18n/i18n.svelte.js';
import { speech } from './speech.svelte.js';

class DisplayState {
  largeText = $state(false);
  highContrast = $state(false);

  toggleLargeText = (): void => {
    this.largeText = !this.largeText;
    this.#apply();
    speech.say(i18n.t(this.largeText ? 'display.largeTextOn' : 'display.largeTextOff'), { interrupt: true });
  };

  toggleContrast = (): void => {
    this.highContrast = !this.highContrast;
    this.#apply();
    speech.say(i18n.t(this.highContrast ? 'display.contrastOn' : 'display.contrastOff'), { interrupt: true });
  };

  reset = (): void => {
    this.largeText = false;
    this.highContrast = false;
    this.#apply();
  };

  #apply(): void {
    const root = document.documentElement;
    root.toggleAttribute('data-large-text', this.largeText);
    root.toggleAttribute('data-high-contrast', this.highContrast);
  }
}

export const display = new DisplayState();
