/**
 * Texts of the e-mails and SMS the core sends, in the account's language (German or English).
 * No secrets but the code itself; an SMS also says what its code is for, so a code that arrives
 * unasked or for another action is recognised.
 */
import type { TanAction } from './account.js';
import type { OutgoingMail } from './ports.js';

type Lang = 'de' | 'en';

const hours = (ms: number): number => Math.round(ms / 3_600_000);
const minutesOf = (ms: number): number => Math.round(ms / 60_000);

const TAN_PURPOSE: Record<TanAction, Record<Lang, string>> = {
  RECEIPT_VIEW: { de: 'Patientenquittung anzeigen', en: 'show patient receipt' },
  CHANGE_MOBILE: { de: 'Mobilnummer ändern', en: 'change mobile number' },
  CHANGE_EMAIL: { de: 'E-Mail-Adresse ändern', en: 'change e-mail address' },
};

export function tanSms(lang: Lang, brand: string, action: TanAction, code: string, validityMs: number): string {
  const purpose = TAN_PURPOSE[action][lang];
  const minutes = minutesOf(validityMs);
  return lang === 'en'
    ? `${brand}: your TAN to ${purpose}: ${code}. Valid ${minutes} minutes. Never pass it on.`
    : `${brand}: Ihre TAN für „${purpose}“: ${code}. Gültig ${minutes} Minuten. Niemals weitergeben.`;
}

export function mtanCodeSms(lang: Lang, brand: string, code: string, validityMs: number): string {
  const minutes = minutesOf(validityMs);
  return lang === 'en'
    ? `${brand}: your code to activate mTAN: ${code}. Valid ${minutes} minutes.`
    : `${brand}: Ihr Code zur Freischaltung von mTAN: ${code}. Gültig ${minutes} Minuten.`;
}

/** `username` is named when the mail belongs to a registration, so the person has it in writing. */
export function emailCodeMail(lang: Lang, brand: string, to: string, code: string, validityMs: number, username?: string): OutgoingMail {
  const h = hours(validityMs);
  return lang === 'en'
    ? {
        kind: 'EMAIL_CODE',
        to,
        subject: `${brand}: your confirmation code`,
        text: `Hello,\n\nto confirm your e-mail address for your ${brand} online account, enter this code together with your e-mail address:\n\n    ${code}\n\nThe code is valid for ${h} hours. If you did not register, you can ignore this message.${username === undefined ? '' : `\n\nYour username, which you log in with: ${username}`}\n\n${brand}`,
      }
    : {
        kind: 'EMAIL_CODE',
        to,
        subject: `${brand}: Ihr Bestätigungscode`,
        text: `Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für Ihr ${brand}-Onlinekonto. Geben Sie dazu Ihre E-Mail-Adresse und diesen Code ein:\n\n    ${code}\n\nDer Code gilt ${h} Stunden. Falls Sie sich nicht registriert haben, müssen Sie nichts tun.${username === undefined ? '' : `\n\nIhr Benutzername, mit dem Sie sich anmelden: ${username}`}\n\n${brand}`,
      };
}

/** The code for a new address: it says that this address is to replace the account's current one. */
export function emailChangeCodeMail(lang: Lang, brand: string, to: string, code: string, validityMs: number): OutgoingMail {
  const h = hours(validityMs);
  return lang === 'en'
    ? {
        kind: 'EMAIL_CHANGE_CODE',
        to,
        subject: `${brand}: confirm your new e-mail address`,
        text: `Hello,\n\nthis address is to become the e-mail address of your ${brand} online account, replacing the one used so far. To confirm it, enter this code at the kiosk:\n\n    ${code}\n\nThe code is valid for ${h} hours. If you did not ask for this, you need not do anything: the account keeps its current address.\n\n${brand}`,
      }
    : {
        kind: 'EMAIL_CHANGE_CODE',
        to,
        subject: `${brand}: Bestätigen Sie Ihre neue E-Mail-Adresse`,
        text: `Guten Tag,\n\ndiese Adresse soll die E-Mail-Adresse Ihres ${brand}-Onlinekontos werden und die bisherige ersetzen. Zur Bestätigung geben Sie am Kiosk diesen Code ein:\n\n    ${code}\n\nDer Code gilt ${h} Stunden. Falls Sie das nicht veranlasst haben, müssen Sie nichts tun: Das Konto behält seine bisherige Adresse.\n\n${brand}`,
      };
}

/** To the address that was replaced: the person learns of a change that may not have been theirs. */
export function emailReplacedMail(lang: Lang, brand: string, to: string, newAddressMasked: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'EMAIL_REPLACED',
        to,
        subject: `${brand}: your e-mail address was replaced`,
        text: `Hello,\n\nthe e-mail address of your ${brand} online account has been replaced by ${newAddressMasked}. From now on our messages go there, not to this address. If it was not you, please contact our service counter at once.\n\n${brand}`,
      }
    : {
        kind: 'EMAIL_REPLACED',
        to,
        subject: `${brand}: Ihre E-Mail-Adresse wurde ersetzt`,
        text: `Guten Tag,\n\ndie E-Mail-Adresse Ihres ${brand}-Onlinekontos wurde durch ${newAddressMasked} ersetzt. Unsere Nachrichten gehen ab jetzt dorthin und nicht mehr an diese Adresse. Falls Sie das nicht waren, wenden Sie sich bitte sofort an unseren Kundenservice.\n\n${brand}`,
      };
}

export function identityConfirmedMail(lang: Lang, brand: string, to: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'IDENTITY_CONFIRMED',
        to,
        subject: `${brand}: your account is activated`,
        text: `Hello,\n\nDeutsche Post has confirmed your identity through POSTIDENT. Your ${brand} online account is now activated. At your next login you can switch on your secure mailbox.\n\n${brand}`,
      }
    : {
        kind: 'IDENTITY_CONFIRMED',
        to,
        subject: `${brand}: Ihr Konto ist aktiviert`,
        text: `Guten Tag,\n\ndie Deutsche Post hat Ihre Identität mit POSTIDENT bestätigt. Ihr ${brand}-Onlinekonto ist jetzt aktiviert. Bei der nächsten Anmeldung können Sie Ihr sicheres Postfach einschalten.\n\n${brand}`,
      };
}

export function lockedMail(lang: Lang, brand: string, to: string, until: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'ACCOUNT_LOCKED',
        to,
        subject: `${brand}: your account is locked until ${until}`,
        text: `Hello,\n\nafter five wrong passwords in a row your ${brand} online account is locked until ${until} (German time).\n\nImportant: do not try to log in before then. Any login attempt during the lock, even with the right password, deactivates the account, and only the service counter can reactivate it.\n\nYou can unlock the account now with "Forgot password". If it was not you, set a new password that way.\n\n${brand}`,
      }
    : {
        kind: 'ACCOUNT_LOCKED',
        to,
        subject: `${brand}: Ihr Konto ist bis ${until} gesperrt`,
        text: `Guten Tag,\n\nnach fünf falschen Passwörtern hintereinander ist Ihr ${brand}-Onlinekonto bis ${until} (deutsche Zeit) gesperrt.\n\nWichtig: Versuchen Sie bis dahin keine Anmeldung. Jeder Anmeldeversuch während der Sperre, auch mit dem richtigen Passwort, deaktiviert das Konto; dann kann nur noch der Kundenservice vor Ort es wieder freischalten.\n\nMit „Passwort vergessen" können Sie das Konto schon jetzt entsperren. Falls Sie es nicht waren, vergeben Sie auf diesem Weg ein neues Passwort.\n\n${brand}`,
      };
}

export function cardDigitsBlockedMail(lang: Lang, brand: string, to: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'MTAN_CARD_BLOCKED',
        to,
        subject: `${brand}: mTAN set-up paused for your account`,
        text: `Hello,\n\nwhile setting up mTAN for your ${brand} online account, the last digits of your health card were entered wrongly several times. For your protection mTAN cannot be set up for 24 hours.\n\nIf it was not you, someone may be using your account: change your password now ("Forgot password" works too) and let one of our service counters know.\n\n${brand}`,
      }
    : {
        kind: 'MTAN_CARD_BLOCKED',
        to,
        subject: `${brand}: Einrichtung von mTAN für Ihr Konto pausiert`,
        text: `Guten Tag,\n\nbei der Einrichtung von mTAN für Ihr ${brand}-Onlinekonto wurden die letzten Ziffern Ihrer Gesundheitskarte mehrmals falsch eingegeben. Zu Ihrem Schutz kann mTAN 24 Stunden lang nicht eingerichtet werden.\n\nWaren Sie das nicht, nutzt womöglich jemand anderes Ihr Konto: Ändern Sie jetzt Ihr Passwort (auch „Passwort vergessen" hilft) und geben Sie einer unserer Geschäftsstellen Bescheid.\n\n${brand}`,
      };
}

export function deactivatedMail(lang: Lang, brand: string, to: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'ACCOUNT_DEACTIVATED',
        to,
        subject: `${brand}: your account has been deactivated`,
        text: `Hello,\n\nsomeone tried to log in to your ${brand} online account while it was locked. For your protection the account has been deactivated. Please bring your identity card to one of our service counters; the staff there will reactivate it.\n\n${brand}`,
      }
    : {
        kind: 'ACCOUNT_DEACTIVATED',
        to,
        subject: `${brand}: Ihr Konto wurde deaktiviert`,
        text: `Guten Tag,\n\nwährend der Sperre Ihres ${brand}-Onlinekontos wurde eine Anmeldung versucht. Zu Ihrem Schutz ist das Konto jetzt deaktiviert. Bitte kommen Sie mit Ihrem Personalausweis in eine unserer Geschäftsstellen; dort schalten wir es wieder frei.\n\n${brand}`,
      };
}

/** What a code for a screen without a login (forgot password, forgot username) is for, and what ignoring it means. */
const FLOW_CODE_WORDS = {
  RESET_CODE: {
    en: [
      'code for a new password',
      'someone asked to set a new password for your {brand} online account. Enter this code at the kiosk to continue',
      'your password stays as it is',
    ],
    de: [
      'Code für ein neues Passwort',
      'für Ihr {brand}-Onlinekonto wurde ein neues Passwort angefordert. Geben Sie diesen Code am Kiosk ein, um fortzufahren',
      'Ihr Passwort bleibt unverändert',
    ],
  },
  // The username itself is not in the mail: whoever reads it still has to be at the kiosk (username/recover.ts).
  USERNAME_CODE: {
    en: [
      'code to show your username',
      'someone asked at a kiosk for the username of your {brand} online account. Enter this code there to see it',
      'nothing changes in your account',
    ],
    de: [
      'Code für Ihren Benutzernamen',
      'an einem Kiosk wurde der Benutzername Ihres {brand}-Onlinekontos erfragt. Geben Sie dort diesen Code ein, um ihn zu sehen',
      'an Ihrem Konto ändert sich nichts',
    ],
  },
} as const;

export function flowCodeMail(
  kind: keyof typeof FLOW_CODE_WORDS,
  lang: Lang,
  brand: string,
  to: string,
  code: string,
  validityMs: number,
): OutgoingMail {
  const minutes = minutesOf(validityMs);
  const [subject, ask, unchanged] = FLOW_CODE_WORDS[kind][lang];
  const asked = ask.replace('{brand}', brand);
  const text =
    lang === 'en'
      ? `Hello,\n\n${asked}:\n\n    ${code}\n\nThe code is valid for ${minutes} minutes. If it was not you, ignore this message; ${unchanged}.\n\n${brand}`
      : `Guten Tag,\n\n${asked}:\n\n    ${code}\n\nDer Code gilt ${minutes} Minuten. Falls Sie das nicht waren, müssen Sie nichts tun; ${unchanged}.\n\n${brand}`;
  return { kind, to, subject: `${brand}: ${subject}`, text };
}

export function passwordChangedMail(lang: Lang, brand: string, to: string): OutgoingMail {
  return lang === 'en'
    ? {
        kind: 'PASSWORD_CHANGED',
        to,
        subject: `${brand}: your password was changed`,
        text: `Hello,\n\nthe password of your ${brand} online account has just been changed. If it was not you, please contact our service counter at once.\n\n${brand}`,
      }
    : {
        kind: 'PASSWORD_CHANGED',
        to,
        subject: `${brand}: Ihr Passwort wurde geändert`,
        text: `Guten Tag,\n\ndas Passwort Ihres ${brand}-Onlinekontos wurde soeben geändert. Falls Sie das nicht waren, wenden Sie sich bitte sofort an unseren Kundenservice.\n\n${brand}`,
      };
}

/** What staff did to the account at the counter, told to its confirmed address (R10): nobody acts on an account unheard. */
export type CounterNotice = 'TEMPORARY_PASSWORD' | 'REACTIVATED' | 'LOGIN_CODE' | 'IDENTITY_CONFIRMED' | 'LOCK_LIFTED' | 'DELETED';

const COUNTER_NOTICES: Record<CounterNotice, { de: [string, string]; en: [string, string] }> = {
  TEMPORARY_PASSWORD: {
    de: [
      'ein vorläufiges Passwort wurde gedruckt',
      'An unserem Schalter wurde für Ihr Onlinekonto ein vorläufiges Passwort gedruckt; Ihr bisheriges Passwort gilt nicht mehr.',
    ],
    en: [
      'a temporary password was printed',
      'At our counter a temporary password was printed for your online account; your previous password no longer works.',
    ],
  },
  REACTIVATED: {
    de: [
      'Ihr Konto wurde wieder freigeschaltet',
      'An unserem Schalter wurde Ihr Onlinekonto nach einer Prüfung Ihres Ausweises wieder freigeschaltet und ein vorläufiges Passwort gedruckt.',
    ],
    en: [
      'your account was reactivated',
      'At our counter your online account was reactivated after your identity document was checked, and a temporary password was printed.',
    ],
  },
  LOGIN_CODE: {
    de: [
      'ein Login-Code wurde gedruckt',
      'An unserem Schalter wurde für Ihr Onlinekonto ein Login-Code gedruckt, mit dem man sich einmal ohne Passwort anmelden kann.',
    ],
    en: [
      'a login code was printed',
      'At our counter a login code was printed for your online account; it allows one login without a password.',
    ],
  },
  IDENTITY_CONFIRMED: {
    de: [
      'Ihre Identität wurde bestätigt',
      'An unserem Schalter wurde Ihre Identität für Ihr Onlinekonto anhand Ihres Ausweises bestätigt.',
    ],
    en: ['your identity was confirmed', 'At our counter your identity was confirmed for your online account with your identity document.'],
  },
  LOCK_LIFTED: {
    de: ['die Sperre wurde aufgehoben', 'An unserem Schalter wurde die Sperre Ihres Onlinekontos aufgehoben.'],
    en: ['the lock was lifted', 'At our counter the lock on your online account was lifted.'],
  },
  DELETED: {
    de: [
      'Ihr Onlinekonto wurde gelöscht',
      'An unserem Schalter wurde Ihr Onlinekonto auf Ihren Wunsch gelöscht. Ihre Versicherung bleibt davon unberührt.',
    ],
    en: [
      'your online account was deleted',
      'At our counter your online account was deleted at your request. Your insurance is not affected.',
    ],
  },
};

export function counterNoticeMail(lang: Lang, brand: string, to: string, notice: CounterNotice): OutgoingMail {
  const [what, sentence] = COUNTER_NOTICES[notice][lang];
  return lang === 'en'
    ? {
        kind: `COUNTER_${notice}`,
        to,
        subject: `${brand}: ${what}`,
        text: `Hello,\n\n${sentence} If that was not at your request, please contact us at once.\n\n${brand}`,
      }
    : {
        kind: `COUNTER_${notice}`,
        to,
        subject: `${brand}: ${what}`,
        text: `Guten Tag,\n\n${sentence} Falls das nicht auf Ihren Wunsch geschah, melden Sie sich bitte sofort bei uns.\n\n${brand}`,
      };
}
