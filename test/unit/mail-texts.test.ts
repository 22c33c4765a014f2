/**
 * The words of every e-mail and SMS the core sends, in German and English: what the person reads
 * is pinned here, so a changed sentence is a deliberate change. Each message names its purpose, the
 * code (only the code) and how long it is valid, and what to do when it was not the person.
 */
import { describe, expect, it } from 'vitest';
import {
  cardDigitsBlockedMail,
  counterNoticeMail,
  deactivatedMail,
  emailChangeCodeMail,
  emailCodeMail,
  emailReplacedMail,
  flowCodeMail,
  identityConfirmedMail,
  lockedMail,
  mtanCodeSms,
  passwordChangedMail,
  tanSms,
  type CounterNotice,
} from '../../src-main/core/texts.js';

const BRAND = 'Kontokiosk';
const TO = 'erika@example.org';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('SMS texts', () => {
  it('a TAN SMS names what the TAN is for, the TAN and its minutes, and warns never to pass it on', () => {
    expect(tanSms('de', BRAND, 'RECEIPT_VIEW', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: Ihre TAN für „Patientenquittung anzeigen“: 123456. Gültig 5 Minuten. Niemals weitergeben.',
    );
    expect(tanSms('de', BRAND, 'CHANGE_MOBILE', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: Ihre TAN für „Mobilnummer ändern“: 123456. Gültig 5 Minuten. Niemals weitergeben.',
    );
    expect(tanSms('de', BRAND, 'CHANGE_EMAIL', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: Ihre TAN für „E-Mail-Adresse ändern“: 123456. Gültig 5 Minuten. Niemals weitergeben.',
    );
    expect(tanSms('en', BRAND, 'RECEIPT_VIEW', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: your TAN to show patient receipt: 123456. Valid 5 minutes. Never pass it on.',
    );
    expect(tanSms('en', BRAND, 'CHANGE_MOBILE', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: your TAN to change mobile number: 123456. Valid 5 minutes. Never pass it on.',
    );
    expect(tanSms('en', BRAND, 'CHANGE_EMAIL', '123456', 5 * MINUTE)).toBe(
      'Kontokiosk: your TAN to change e-mail address: 123456. Valid 5 minutes. Never pass it on.',
    );
  });

  it('the SMS that activates mTAN says so, with the code and its minutes (rounded)', () => {
    expect(mtanCodeSms('de', BRAND, '654321', 10 * MINUTE)).toBe(
      'Kontokiosk: Ihr Code zur Freischaltung von mTAN: 654321. Gültig 10 Minuten.',
    );
    expect(mtanCodeSms('en', BRAND, '654321', 10 * MINUTE - 20_000)).toBe(
      'Kontokiosk: your code to activate mTAN: 654321. Valid 10 minutes.',
    );
  });
});

describe('e-mails with a code', () => {
  it('the confirmation code mail gives the code and its hours; after a registration it names the username in writing', () => {
    expect(emailCodeMail('de', BRAND, TO, '12345678', 24 * HOUR)).toEqual({
      kind: 'EMAIL_CODE',
      to: TO,
      subject: 'Kontokiosk: Ihr Bestätigungscode',
      text: 'Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für Ihr Kontokiosk-Onlinekonto. Geben Sie dazu Ihre E-Mail-Adresse und diesen Code ein:\n\n    12345678\n\nDer Code gilt 24 Stunden. Falls Sie sich nicht registriert haben, müssen Sie nichts tun.\n\nKontokiosk',
    });
    expect(emailCodeMail('de', BRAND, TO, '12345678', 24 * HOUR, 'erika.m').text).toBe(
      'Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für Ihr Kontokiosk-Onlinekonto. Geben Sie dazu Ihre E-Mail-Adresse und diesen Code ein:\n\n    12345678\n\nDer Code gilt 24 Stunden. Falls Sie sich nicht registriert haben, müssen Sie nichts tun.\n\nIhr Benutzername, mit dem Sie sich anmelden: erika.m\n\nKontokiosk',
    );
    expect(emailCodeMail('en', BRAND, TO, '12345678', 48 * HOUR)).toEqual({
      kind: 'EMAIL_CODE',
      to: TO,
      subject: 'Kontokiosk: your confirmation code',
      text: 'Hello,\n\nto confirm your e-mail address for your Kontokiosk online account, enter this code together with your e-mail address:\n\n    12345678\n\nThe code is valid for 48 hours. If you did not register, you can ignore this message.\n\nKontokiosk',
    });
    expect(emailCodeMail('en', BRAND, TO, '12345678', 24 * HOUR, 'erika.m').text).toBe(
      'Hello,\n\nto confirm your e-mail address for your Kontokiosk online account, enter this code together with your e-mail address:\n\n    12345678\n\nThe code is valid for 24 hours. If you did not register, you can ignore this message.\n\nYour username, which you log in with: erika.m\n\nKontokiosk',
    );
  });

  it('the code for a new address says it is to replace the current one, and that ignoring it keeps the current one', () => {
    expect(emailChangeCodeMail('de', BRAND, TO, '12345678', 24 * HOUR)).toEqual({
      kind: 'EMAIL_CHANGE_CODE',
      to: TO,
      subject: 'Kontokiosk: Bestätigen Sie Ihre neue E-Mail-Adresse',
      text: 'Guten Tag,\n\ndiese Adresse soll die E-Mail-Adresse Ihres Kontokiosk-Onlinekontos werden und die bisherige ersetzen. Zur Bestätigung geben Sie am Kiosk diesen Code ein:\n\n    12345678\n\nDer Code gilt 24 Stunden. Falls Sie das nicht veranlasst haben, müssen Sie nichts tun: Das Konto behält seine bisherige Adresse.\n\nKontokiosk',
    });
    expect(emailChangeCodeMail('en', BRAND, TO, '12345678', 24 * HOUR)).toEqual({
      kind: 'EMAIL_CHANGE_CODE',
      to: TO,
      subject: 'Kontokiosk: confirm your new e-mail address',
      text: 'Hello,\n\nthis address is to become the e-mail address of your Kontokiosk online account, replacing the one used so far. To confirm it, enter this code at the kiosk:\n\n    12345678\n\nThe code is valid for 24 hours. If you did not ask for this, you need not do anything: the account keeps its current address.\n\nKontokiosk',
    });
  });

  it('a forgot-password code mail gives the code and its minutes, and says the password stays as it is when ignored', () => {
    expect(flowCodeMail('RESET_CODE', 'de', BRAND, TO, '12345678', 30 * MINUTE)).toEqual({
      kind: 'RESET_CODE',
      to: TO,
      subject: 'Kontokiosk: Code für ein neues Passwort',
      text: 'Guten Tag,\n\nfür Ihr Kontokiosk-Onlinekonto wurde ein neues Passwort angefordert. Geben Sie diesen Code am Kiosk ein, um fortzufahren:\n\n    12345678\n\nDer Code gilt 30 Minuten. Falls Sie das nicht waren, müssen Sie nichts tun; Ihr Passwort bleibt unverändert.\n\nKontokiosk',
    });
    expect(flowCodeMail('RESET_CODE', 'en', BRAND, TO, '12345678', 30 * MINUTE)).toEqual({
      kind: 'RESET_CODE',
      to: TO,
      subject: 'Kontokiosk: code for a new password',
      text: 'Hello,\n\nsomeone asked to set a new password for your Kontokiosk online account. Enter this code at the kiosk to continue:\n\n    12345678\n\nThe code is valid for 30 minutes. If it was not you, ignore this message; your password stays as it is.\n\nKontokiosk',
    });
  });

  it('a forgot-username code mail gives the code but not the username, which is shown only at the kiosk', () => {
    expect(flowCodeMail('USERNAME_CODE', 'de', BRAND, TO, '12345678', 30 * MINUTE)).toEqual({
      kind: 'USERNAME_CODE',
      to: TO,
      subject: 'Kontokiosk: Code für Ihren Benutzernamen',
      text: 'Guten Tag,\n\nan einem Kiosk wurde der Benutzername Ihres Kontokiosk-Onlinekontos erfragt. Geben Sie dort diesen Code ein, um ihn zu sehen:\n\n    12345678\n\nDer Code gilt 30 Minuten. Falls Sie das nicht waren, müssen Sie nichts tun; an Ihrem Konto ändert sich nichts.\n\nKontokiosk',
    });
    expect(flowCodeMail('USERNAME_CODE', 'en', BRAND, TO, '12345678', 30 * MINUTE)).toEqual({
      kind: 'USERNAME_CODE',
      to: TO,
      subject: 'Kontokiosk: code to show your username',
      text: 'Hello,\n\nsomeone asked at a kiosk for the username of your Kontokiosk online account. Enter this code there to see it:\n\n    12345678\n\nThe code is valid for 30 minutes. If it was not you, ignore this message; nothing changes in your account.\n\nKontokiosk',
    });
  });
});

describe('e-mails about what happened to the account', () => {
  it('the mail to a replaced address names the new address masked and says to contact the counter if it was not the person', () => {
    expect(emailReplacedMail('de', BRAND, TO, 'n***@example.org')).toEqual({
      kind: 'EMAIL_REPLACED',
      to: TO,
      subject: 'Kontokiosk: Ihre E-Mail-Adresse wurde ersetzt',
      text: 'Guten Tag,\n\ndie E-Mail-Adresse Ihres Kontokiosk-Onlinekontos wurde durch n***@example.org ersetzt. Unsere Nachrichten gehen ab jetzt dorthin und nicht mehr an diese Adresse. Falls Sie das nicht waren, wenden Sie sich bitte sofort an unseren Kundenservice.\n\nKontokiosk',
    });
    expect(emailReplacedMail('en', BRAND, TO, 'n***@example.org')).toEqual({
      kind: 'EMAIL_REPLACED',
      to: TO,
      subject: 'Kontokiosk: your e-mail address was replaced',
      text: 'Hello,\n\nthe e-mail address of your Kontokiosk online account has been replaced by n***@example.org. From now on our messages go there, not to this address. If it was not you, please contact our service counter at once.\n\nKontokiosk',
    });
  });

  it('the POSTIDENT mail says the identity is confirmed and the account activated', () => {
    expect(identityConfirmedMail('de', BRAND, TO)).toEqual({
      kind: 'IDENTITY_CONFIRMED',
      to: TO,
      subject: 'Kontokiosk: Ihr Konto ist aktiviert',
      text: 'Guten Tag,\n\ndie Deutsche Post hat Ihre Identität mit POSTIDENT bestätigt. Ihr Kontokiosk-Onlinekonto ist jetzt aktiviert. Bei der nächsten Anmeldung können Sie Ihr sicheres Postfach einschalten.\n\nKontokiosk',
    });
    expect(identityConfirmedMail('en', BRAND, TO)).toEqual({
      kind: 'IDENTITY_CONFIRMED',
      to: TO,
      subject: 'Kontokiosk: your account is activated',
      text: 'Hello,\n\nDeutsche Post has confirmed your identity through POSTIDENT. Your Kontokiosk online account is now activated. At your next login you can switch on your secure mailbox.\n\nKontokiosk',
    });
  });

  it('the lock mail gives the end of the lock and warns that a login during it deactivates the account (R6)', () => {
    const until = '30.11.2026, 10:00';
    expect(lockedMail('de', BRAND, TO, until)).toEqual({
      kind: 'ACCOUNT_LOCKED',
      to: TO,
      subject: 'Kontokiosk: Ihr Konto ist bis 30.11.2026, 10:00 gesperrt',
      text: 'Guten Tag,\n\nnach fünf falschen Passwörtern hintereinander ist Ihr Kontokiosk-Onlinekonto bis 30.11.2026, 10:00 (deutsche Zeit) gesperrt.\n\nWichtig: Versuchen Sie bis dahin keine Anmeldung. Jeder Anmeldeversuch während der Sperre, auch mit dem richtigen Passwort, deaktiviert das Konto; dann kann nur noch der Kundenservice vor Ort es wieder freischalten.\n\nMit „Passwort vergessen" können Sie das Konto schon jetzt entsperren. Falls Sie es nicht waren, vergeben Sie auf diesem Weg ein neues Passwort.\n\nKontokiosk',
    });
    expect(lockedMail('en', BRAND, TO, until)).toEqual({
      kind: 'ACCOUNT_LOCKED',
      to: TO,
      subject: 'Kontokiosk: your account is locked until 30.11.2026, 10:00',
      text: 'Hello,\n\nafter five wrong passwords in a row your Kontokiosk online account is locked until 30.11.2026, 10:00 (German time).\n\nImportant: do not try to log in before then. Any login attempt during the lock, even with the right password, deactivates the account, and only the service counter can reactivate it.\n\nYou can unlock the account now with "Forgot password". If it was not you, set a new password that way.\n\nKontokiosk',
    });
  });

  it('the mTAN pause mail says set-up is paused for 24 hours and what to do if it was not the person', () => {
    expect(cardDigitsBlockedMail('de', BRAND, TO)).toEqual({
      kind: 'MTAN_CARD_BLOCKED',
      to: TO,
      subject: 'Kontokiosk: Einrichtung von mTAN für Ihr Konto pausiert',
      text: 'Guten Tag,\n\nbei der Einrichtung von mTAN für Ihr Kontokiosk-Onlinekonto wurden die letzten Ziffern Ihrer Gesundheitskarte mehrmals falsch eingegeben. Zu Ihrem Schutz kann mTAN 24 Stunden lang nicht eingerichtet werden.\n\nWaren Sie das nicht, nutzt womöglich jemand anderes Ihr Konto: Ändern Sie jetzt Ihr Passwort (auch „Passwort vergessen" hilft) und geben Sie einer unserer Geschäftsstellen Bescheid.\n\nKontokiosk',
    });
    expect(cardDigitsBlockedMail('en', BRAND, TO)).toEqual({
      kind: 'MTAN_CARD_BLOCKED',
      to: TO,
      subject: 'Kontokiosk: mTAN set-up paused for your account',
      text: 'Hello,\n\nwhile setting up mTAN for your Kontokiosk online account, the last digits of your health card were entered wrongly several times. For your protection mTAN cannot be set up for 24 hours.\n\nIf it was not you, someone may be using your account: change your password now ("Forgot password" works too) and let one of our service counters know.\n\nKontokiosk',
    });
  });

  it('the deactivation mail tells the person to bring an identity document to a counter', () => {
    expect(deactivatedMail('de', BRAND, TO)).toEqual({
      kind: 'ACCOUNT_DEACTIVATED',
      to: TO,
      subject: 'Kontokiosk: Ihr Konto wurde deaktiviert',
      text: 'Guten Tag,\n\nwährend der Sperre Ihres Kontokiosk-Onlinekontos wurde eine Anmeldung versucht. Zu Ihrem Schutz ist das Konto jetzt deaktiviert. Bitte kommen Sie mit Ihrem Personalausweis in eine unserer Geschäftsstellen; dort schalten wir es wieder frei.\n\nKontokiosk',
    });
    expect(deactivatedMail('en', BRAND, TO)).toEqual({
      kind: 'ACCOUNT_DEACTIVATED',
      to: TO,
      subject: 'Kontokiosk: your account has been deactivated',
      text: 'Hello,\n\nsomeone tried to log in to your Kontokiosk online account while it was locked. For your protection the account has been deactivated. Please bring your identity card to one of our service counters; the staff there will reactivate it.\n\nKontokiosk',
    });
  });

  it('the password-changed mail says so and to contact the counter if it was not the person', () => {
    expect(passwordChangedMail('de', BRAND, TO)).toEqual({
      kind: 'PASSWORD_CHANGED',
      to: TO,
      subject: 'Kontokiosk: Ihr Passwort wurde geändert',
      text: 'Guten Tag,\n\ndas Passwort Ihres Kontokiosk-Onlinekontos wurde soeben geändert. Falls Sie das nicht waren, wenden Sie sich bitte sofort an unseren Kundenservice.\n\nKontokiosk',
    });
    expect(passwordChangedMail('en', BRAND, TO)).toEqual({
      kind: 'PASSWORD_CHANGED',
      to: TO,
      subject: 'Kontokiosk: your password was changed',
      text: 'Hello,\n\nthe password of your Kontokiosk online account has just been changed. If it was not you, please contact our service counter at once.\n\nKontokiosk',
    });
  });
});

describe('notices of what staff did at the counter (R10)', () => {
  const NOTICES: Record<CounterNotice, { de: [string, string]; en: [string, string] }> = {
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
      en: [
        'your identity was confirmed',
        'At our counter your identity was confirmed for your online account with your identity document.',
      ],
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

  it.each(Object.keys(NOTICES) as CounterNotice[])('%s: the notice says what was done, in both languages, and whom to call', (notice) => {
    const [deWhat, deSentence] = NOTICES[notice].de;
    const [enWhat, enSentence] = NOTICES[notice].en;
    expect(counterNoticeMail('de', BRAND, TO, notice)).toEqual({
      kind: `COUNTER_${notice}`,
      to: TO,
      subject: `Kontokiosk: ${deWhat}`,
      text: `Guten Tag,\n\n${deSentence} Falls das nicht auf Ihren Wunsch geschah, melden Sie sich bitte sofort bei uns.\n\nKontokiosk`,
    });
    expect(counterNoticeMail('en', BRAND, TO, notice)).toEqual({
      kind: `COUNTER_${notice}`,
      to: TO,
      subject: `Kontokiosk: ${enWhat}`,
      text: `Hello,\n\n${enSentence} If that was not at your request, please contact us at once.\n\nKontokiosk`,
    });
  });
});
