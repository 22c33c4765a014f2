/** The counter's language and text lookup. German is the default; a logout returns to it. */
import { de, type MessageKey } from './de.js';
import { en } from './en.js';

type Lang = 'de' | 'en';
const catalogues: Record<Lang, Record<MessageKey, string>> = { de, en };
const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB');

class I18n {
  lang = $state<Lang>('de');

  /** Whether a key built from untyped data (details of an error, a state from the store) has a text. */
  has = (key: string): key is MessageKey => Object.hasOwn(catalogues.de, key);

  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const template = catalogues[this.lang][key];
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };

  /** A text for a key built from stored data, or undefined when the catalogue has none. */
  lookup = (key: string, params?: Record<string, string | number>): string | undefined => (this.has(key) ? this.t(key, params) : undefined);

  /** The locale of dates and numbers in the chosen language. */
  get locale(): string {
    return locale(this.lang);
  }

  set = (lang: Lang): void => {
    this.lang = lang;
    document.documentElement.lang = lang;
  };

  /** Dates and times in Berlin time, whatever the machine's zone. */
  date = (iso: string): string => {
    // A birth date is a calendar day, not an instant: formatted without a zone shift.
    const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    return new Intl.DateTimeFormat(locale(this.lang), { timeZone: day ? 'UTC' : 'Europe/Berlin', dateStyle: 'medium' }).format(
      new Date(iso),
    );
  };

  dateTime = (iso: string): string =>
    new Intl.DateTimeFormat(locale(this.lang), { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );

  time = (iso: string): string =>
    new Intl.DateTimeFormat(locale(this.lang), { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(new Date(iso));
}

export const i18n = new I18n();
export type { MessageKey };
