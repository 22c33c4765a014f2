/** The current language and the lookup of texts. German is the default. */
import { de, type MessageKey } from './de.js';
import { en } from './en.js';

type Lang = 'de' | 'en';
const catalogues: Record<Lang, Record<MessageKey, string>> = { de, en };

class I18n {
  lang = $state<Lang>('de');

  /** Whether a key built from untyped data (details of an error) has a text. */
  has = (key: string): key is MessageKey => Object.hasOwn(catalogues.de, key);

  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const template = catalogues[this.lang][key];
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };

  toggle = (): void => {
    this.lang = this.lang === 'de' ? 'en' : 'de';
    document.documentElement.lang = this.lang;
  };

  reset = (): void => {
    this.lang = 'de';
    document.documentElement.lang = 'de';
  };

  /** Dates and times as people in Germany read them, in Berlin time. */
  date = (iso: string): string =>
    new Intl.DateTimeFormat(this.lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'long' }).format(new Date(iso));

  dateTime = (iso: string): string =>
    new Intl.DateTimeFormat(this.lang === 'de' ? 'de-DE' : 'en-GB', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'long',
      timeStyle: 'short',
    }).format(new Date(iso));

  time = (iso: string): string =>
    new Intl.DateTimeFormat(this.lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(
      new Date(iso),
    );
}

export const i18n = new I18n();
export type { MessageKey };
