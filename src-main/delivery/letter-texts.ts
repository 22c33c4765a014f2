/**
 * The words of each letter, one language per letter: every fixed text, label and date exists in
 * German and in English, and a letter takes all of them from its own language (the brand's hint,
 * contact and footer too). The register has no gender field, so the salutation names the person
 * in full ("Guten Tag Erika Mustermann," / "Dear Erika Mustermann,") instead of guessing
 * "Frau"/"Herr". Secrets appear only as the highlighted value, never in a title or metadata.
 */
import type { KioskDocument, Letter } from '../core/ports.js';

export type Printable = Letter | KioskDocument;
export type Language = Printable['language'];

interface PerLanguage {
  readonly de: string;
  readonly en: string;
}

export interface LetterBrand {
  readonly name: string;
  readonly senderLine: string;
  readonly serviceHint: PerLanguage;
  /** Lines of the information block, separated by "\n". */
  readonly serviceContact: PerLanguage;
  /** Lines of the foot of the page, separated by "\n". */
  readonly legalFooter: PerLanguage;
  readonly primaryColor?: string;
}

export interface LetterTexts {
  /** Document title (PDF metadata): names the kind of letter, never its content. */
  readonly title: string;
  readonly subject: string;
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  readonly highlight: string;
  readonly after: readonly string[];
  readonly closing: string;
  /** Under the brand's name: that nobody signed by hand. */
  readonly signatureNote?: string;
  /** Printed in the additional-information zone above the recipient. */
  readonly notice?: string;
}

export const LABELS = {
  de: {
    reference: 'Unser Zeichen',
    contact: 'Ihr Kontakt',
    date: 'Datum',
    simulator: 'SIMULATOR – KEINE ECHTE IDENTIFIZIERUNG',
    simulatorNote: 'Nur für Test und Schulung. Keine Filiale nimmt diesen Coupon an.',
  },
  en: {
    reference: 'Our reference',
    contact: 'Your contact',
    date: 'Date',
    simulator: 'SIMULATOR – NOT A REAL IDENTIFICATION',
    simulatorNote: 'For testing and training only. No post office branch accepts this coupon.',
  },
} as const;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An ISO day as a German ("29.11.2026") or British ("29 November 2026") date. */
export function formatDate(iso: string, language: Language): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return language === 'en' ? `${Number(d)} ${MONTHS[Number(m) - 1] ?? m} ${y}` : `${d}.${m}.${y}`;
}

const PERSONAL = { de: 'Persönlich – vertraulich', en: 'Personal and confidential' } as const;
const SIGNATURE = {
  de: 'Dieses Schreiben wurde maschinell erstellt und ist ohne Unterschrift gültig.',
  en: 'This letter was produced automatically and is valid without a signature.',
} as const;

type Body = Omit<LetterTexts, 'salutation' | 'closing'>;

function activationKey(letter: Extract<Letter, { kind: 'ACTIVATION_KEY' }>, brand: string, hint: string): Body {
  const until = formatDate(letter.validUntil, letter.language);
  return letter.language === 'en'
    ? {
        title: 'Activation key',
        subject: 'Your activation key for the online account',
        paragraphs: [
          `You have asked for an activation key to confirm your identity for your ${brand} online account.`,
          `Your username: ${letter.username}`,
          'Log in with this username and your password and enter the following key when asked:',
        ],
        highlight: letter.key,
        after: [
          `The key is valid until ${until} and can be used once. Upper or lower case and the dashes do not matter.`,
          'If you did not ask for this letter, please contact us. Keep the key to yourself; our staff will never ask you for it.',
          hint,
        ],
        signatureNote: SIGNATURE.en,
        notice: PERSONAL.en,
      }
    : {
        title: 'Aktivierungsschlüssel',
        subject: 'Ihr Aktivierungsschlüssel für das Onlinekonto',
        paragraphs: [
          `Sie haben einen Aktivierungsschlüssel angefordert, um Ihre Identität für Ihr ${brand}-Onlinekonto zu bestätigen.`,
          `Ihr Benutzername: ${letter.username}`,
          'Melden Sie sich mit diesem Benutzernamen und Ihrem Passwort an und geben Sie den folgenden Schlüssel ein, wenn Sie dazu aufgefordert werden:',
        ],
        highlight: letter.key,
        after: [
          `Der Schlüssel gilt bis zum ${until} und kann einmal verwendet werden. Groß- und Kleinschreibung sowie die Bindestriche spielen keine Rolle.`,
          'Falls Sie diesen Brief nicht angefordert haben, melden Sie sich bitte bei uns. Geben Sie den Schlüssel nicht weiter; unsere Mitarbeitenden fragen Sie nie danach.',
          hint,
        ],
        signatureNote: SIGNATURE.de,
        notice: PERSONAL.de,
      };
}

function certificate(doc: KioskDocument, brand: string, hint: string): Body {
  const en = doc.language === 'en';
  const since = formatDate(doc.insuranceStart, doc.language);
  const until = doc.insuranceEnd ? formatDate(doc.insuranceEnd, doc.language) : undefined;
  const born = formatDate(doc.birthDate, doc.language);
  const made = formatDate(doc.date, doc.language);
  return en
    ? {
        title: 'Membership certificate',
        subject: 'Membership certificate',
        paragraphs: [
          `We confirm that ${doc.to.name}, born ${born}, is insured with ${brand} ${until ? `from ${since} until ${until}` : `since ${since}`}. Insurance number:`,
        ],
        highlight: doc.kvnr,
        after: [`This certificate was produced automatically on ${made} and is valid without a signature.`, hint],
      }
    : {
        title: 'Mitgliedsbescheinigung',
        subject: 'Mitgliedsbescheinigung',
        paragraphs: [
          `hiermit bescheinigen wir, dass ${doc.to.name}, geboren am ${born}, ${until ? `vom ${since} bis zum ${until}` : `seit dem ${since}`} bei ${brand} versichert ist. Versichertennummer:`,
        ],
        highlight: doc.kvnr,
        after: [`Diese Bescheinigung wurde am ${made} maschinell erstellt und ist ohne Unterschrift gültig.`, hint],
      };
}

function temporaryPassword(letter: Extract<Letter, { kind: 'TEMPORARY_PASSWORD' }>, brand: string, hint: string): Body {
  const until = formatDate(letter.validUntil, letter.language);
  return letter.language === 'en'
    ? {
        title: 'Temporary password',
        subject: 'Your temporary password',
        paragraphs: [
          `At your request we have set a temporary password for your ${brand} online account with the username ${letter.username}. Log in at a kiosk with your username and this password:`,
        ],
        highlight: letter.password,
        after: [
          `It is valid until ${until}. Spaces and upper or lower case do not matter. Right after logging in you choose a password of your own; only then do the online services open.`,
          'Keep this letter to yourself and destroy it once you have chosen your own password.',
          hint,
        ],
        signatureNote: SIGNATURE.en,
        notice: PERSONAL.en,
      }
    : {
        title: 'Vorläufiges Passwort',
        subject: 'Ihr vorläufiges Passwort',
        paragraphs: [
          `auf Ihren Wunsch haben wir für Ihr ${brand}-Onlinekonto mit dem Benutzernamen ${letter.username} ein vorläufiges Passwort festgelegt. Melden Sie sich am Kiosk mit Ihrem Benutzernamen und diesem Passwort an:`,
        ],
        highlight: letter.password,
        after: [
          `Es gilt bis zum ${until}. Leerzeichen sowie Groß- und Kleinschreibung spielen keine Rolle. Gleich nach der Anmeldung wählen Sie ein eigenes Passwort; erst dann öffnen sich die Online-Services.`,
          'Bewahren Sie diesen Brief sicher auf und vernichten Sie ihn, sobald Sie Ihr eigenes Passwort gewählt haben.',
          hint,
        ],
        signatureNote: SIGNATURE.de,
        notice: PERSONAL.de,
      };
}

function loginCode(letter: Extract<Letter, { kind: 'LOGIN_CODE' }>, hint: string): Body {
  const until = formatDate(letter.validUntil, letter.language);
  return letter.language === 'en'
    ? {
        title: 'Login code',
        subject: 'Your login code',
        paragraphs: [
          'With this code you can use our online services once without your password. At the kiosk choose "Log in with a login code" and enter your insurance number, your date of birth and this code:',
        ],
        highlight: letter.code,
        after: [`The code is valid until ${until} and for one session only.`, hint],
        signatureNote: SIGNATURE.en,
        notice: PERSONAL.en,
      }
    : {
        title: 'Login-Code',
        subject: 'Ihr Login-Code',
        paragraphs: [
          'mit diesem Code nutzen Sie unsere Online-Services einmal ohne Passwort. Wählen Sie am Kiosk „Mit Login-Code anmelden“ und geben Sie Ihre Versichertennummer, Ihr Geburtsdatum und diesen Code ein:',
        ],
        highlight: letter.code,
        after: [`Der Code gilt bis zum ${until} und nur für eine Sitzung.`, hint],
        signatureNote: SIGNATURE.de,
        notice: PERSONAL.de,
      };
}

function coupon(letter: Extract<Letter, { kind: 'POSTIDENT_COUPON' }>, hint: string): Body {
  return letter.language === 'en'
    ? {
        title: 'POSTIDENT coupon',
        subject: 'POSTIDENT coupon: confirm your identity at a post office',
        paragraphs: [
          'Take this coupon and your valid identity card or passport to any Deutsche Post branch. The staff there will scan the barcode and confirm your identity for your online account.',
        ],
        highlight: letter.caseId,
        after: ['Once Deutsche Post reports the result, we will send you an e-mail.', hint],
        signatureNote: SIGNATURE.en,
      }
    : {
        title: 'POSTIDENT-Coupon',
        subject: 'POSTIDENT-Coupon: Identität in einer Postfiliale bestätigen',
        paragraphs: [
          'bringen Sie diesen Coupon und Ihren gültigen Personalausweis oder Reisepass in eine Filiale der Deutschen Post. Dort scannen die Mitarbeitenden den Strichcode und bestätigen Ihre Identität für Ihr Onlinekonto.',
        ],
        highlight: letter.caseId,
        after: ['Sobald uns das Ergebnis der Deutschen Post vorliegt, erhalten Sie eine E-Mail.', hint],
        signatureNote: SIGNATURE.de,
      };
}

function body(letter: Printable, brand: LetterBrand): Body {
  const hint = brand.serviceHint[letter.language];
  switch (letter.kind) {
    case 'ACTIVATION_KEY':
      return activationKey(letter, brand.name, hint);
    case 'MEMBERSHIP_CERTIFICATE':
      return certificate(letter, brand.name, hint);
    case 'TEMPORARY_PASSWORD':
      return temporaryPassword(letter, brand.name, hint);
    case 'LOGIN_CODE':
      return loginCode(letter, hint);
    case 'POSTIDENT_COUPON':
      return coupon(letter, hint);
  }
}

export function letterTexts(letter: Printable, brand: LetterBrand): LetterTexts {
  const en = letter.language === 'en';
  const texts = body(letter, brand);
  return {
    ...texts,
    title: `${brand.name}: ${texts.title}`,
    salutation: en ? `Dear ${letter.to.name},` : `Guten Tag ${letter.to.name},`,
    after: texts.after.filter((line) => line.trim().length > 0),
    closing: en ? 'Kind regards' : 'Mit freundlichen Grüßen',
  };
}
