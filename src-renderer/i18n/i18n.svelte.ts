/**
 * The current language and the lookup of texts. German is the default; a reset returns to it.
 *
 * Every language names its locale (dates, numbers, money) and its writing direction: switching sets
 * both `lang` and `dir` on the document, and the styles use logical properties (inline-start/end),
 * so a right-to-left language needs a catalogue and an entry here, not a redesign.
 */
import { de, type MessageKey } from './de.js';
import { en } from './en.js';
import { tr } from './tr.js';

export const LANGUAGES = {
  de: { name: 'Deutsch', locale: 'de-DE', dir: 'ltr' },
  en: { name: 'English', locale: 'en-GB', dir: 'ltr' },
  tr: { name: 'Türkçe', locale: 'tr-TR', dir: 'ltr' },
} as const satisfies Record<string, { name: string; locale: string; dir: 'ltr' | 'rtl' }>;

export type Lang = keyof typeof LANGUAGES;
export const LANGS = Object.keys(LANGUAGES) as Lang[];
const catalogues: Record<Lang, Record<MessageKey, string>> = { de, en, tr };

/** Texts the main process holds in German and English only (consents, e-mails, letters): German is the binding one. */
type DocumentLang = 'de' | 'en';

class I18n {
  lang = $state<Lang>('de');

  /** The language of legal texts, e-mails and letters for the chosen screen language. */
  get documentLang(): DocumentLang {
    return this.lang === 'en' ? 'en' : 'de';
  }

  get locale(): string {
    return LANGUAGES[this.lang].locale;
  }

  /** Whether a key built from untyped data (details of an error) has a text. */
  has = (key: string): key is MessageKey => Object.hasOwn(catalogues.de, key);

  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const template = catalogues[this.lang][key];
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };

  set = (lang: Lang): void => {
    this.lang = lang;
    document.documentElement.lang = lang;
    document.documentElement.dir = LANGUAGES[lang].dir;
  };

  reset = (): void => this.set('de');

  /** Dates and times as people read them in the chosen language, always in Berlin time. */
  date = (iso: string): string =>
    new Intl.DateTimeFormat(this.locale, { timeZone: 'Europe/Berlin', dateStyle: 'long' }).format(new Date(iso));

  dateTime = (iso: string): string =>
    new Intl.DateTimeFormat(this.locale, { timeZone: 'Europe/Berlin', dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));

  time = (iso: string): string =>
    new Intl.DateTimeFormat(this.locale, { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(new Date(iso));

  money = (cents: number): string => new Intl.NumberFormat(this.locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export const i18n = new I18n();
export type { MessageKey };
