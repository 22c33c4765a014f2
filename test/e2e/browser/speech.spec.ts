/**
 * Speech and the keypad: whole journeys with the keyboard alone while a recording double takes the
 * place of the voice (installed by an init script before the app loads, as lib/speech.ts expects;
 * the shells never serve one). Each step asserts what was said, in order: the heading when a screen
 * appears, fields with label, value and problem, messages as they appear; a password or code says
 * "character entered", never the character; nothing is said before speech is switched on; private
 * data only after the headphones question; F2 repeats, Escape goes back; a reset falls silent.
 */
import type { Page } from '@playwright/test';
import { test, expect, openKiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

declare global {
  interface Window {
    __kontokioskSpeech?: { said: { text: string; lang: string }[]; cancels: number };
  }
}

const ENTERED = 'Zeichen eingegeben';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.__kontokioskSpeech = { said: [], cancels: 0 };
  });
});

/** What the kiosk said, from the recording double. */
class Ear {
  #from = 0;
  constructor(readonly page: Page) {}

  all(): Promise<string[]> {
    return this.page.evaluate(() => (window.__kontokioskSpeech?.said ?? []).map((s) => s.text));
  }

  cancels(): Promise<number> {
    return this.page.evaluate(() => window.__kontokioskSpeech?.cancels ?? 0);
  }

  /** From here on: `heard` looks only at what is said after this call. */
  async mark(): Promise<void> {
    this.#from = (await this.all()).length;
  }

  async since(): Promise<string[]> {
    return (await this.all()).slice(this.#from);
  }

  /** Waits until everything expected was said since the mark, in this order (other texts may stand between). */
  async heard(...expected: (string | RegExp)[]): Promise<string[]> {
    let said: string[] = [];
    await expect
      .poll(
        async () => {
          said = await this.since();
          let at = 0;
          for (const text of said) if (at < expected.length && matches(text, expected[at] ?? '')) at += 1;
          return at === expected.length ? 'all' : said;
        },
        { message: `expected in order: ${expected.join(' | ')}` },
      )
      .toBe('all');
    return said;
  }
}

const matches = (text: string, expected: string | RegExp): boolean =>
  typeof expected === 'string' ? text === expected : expected.test(text);

/** Presses Tab until the focused element's accessible text matches (the keypad's way to a control). */
async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return `${el?.getAttribute('aria-label') ?? ''} ${el?.id ?? ''} ${el?.textContent ?? ''}`.replace(/\s+/g, ' ').trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`Tab did not reach ${String(name)}`);
}

/** Types like a person on a keypad: one key after the other. */
const type = (page: Page, text: string) => page.keyboard.type(text, { delay: 15 });

test('nothing is said before speech is switched on; F1 switches it on and reads the screen', async ({ page, kiosk }) => {
  const ear = new Ear(page);
  await openKiosk(page, kiosk);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator(':focus')).toContainText('Onlinekonto anlegen');
  expect(await ear.all()).toEqual([]);

  await page.keyboard.press('F1');
  await expect(page.getByTestId('speech-button')).toHaveAttribute('aria-pressed', 'true');
  await ear.heard(
    /^Vorlesen ist eingeschaltet\. .*F2: wiederholen\. Escape: zurück\./,
    'Willkommen bei Kontokiosk.',
    'Hier richten Sie Ihr Onlinekonto ein oder setzen eine begonnene Registrierung fort.',
    /^Onlinekonto anlegen\. Sie brauchen .* Schaltfläche\.$/,
  );
  const langs = await page.evaluate(() => [...new Set(window.__kontokioskSpeech?.said.map((s) => s.lang))]);
  expect(langs).toEqual(['de-DE']);

  // Another language: the screen is read again in it.
  await ear.mark();
  await new KioskPage(page).toEnglish();
  await ear.heard('Welcome to Kontokiosk.', 'Set up your online account here, or continue a registration you have started.');
  expect(await page.evaluate(() => window.__kontokioskSpeech?.said.at(-1)?.lang)).toBe('en-GB');
  await ear.mark();
  await page.keyboard.press('F2');
  await ear.heard('Welcome to Kontokiosk.', 'Set up your online account here, or continue a registration you have started.');

  // F1 again: off, and silence after.
  await page.keyboard.press('F1');
  await expect(page.getByTestId('speech-button')).toHaveAttribute('aria-pressed', 'false');
  await ear.mark();
  await tabTo(page, /^Log in/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in');
  expect(await ear.since()).toEqual([]);
});

test('registration up to the e-mail code with the keyboard alone', async ({ page, kiosk }) => {
  test.setTimeout(180_000);
  const ear = new Ear(page);
  await openKiosk(page, kiosk);
  await page.keyboard.press('F1');
  await page.keyboard.press('Tab');
  await ear.mark();
  await page.keyboard.press('Enter');
  await ear.heard(
    'Onlinekonto anlegen.',
    'Ihre Angaben müssen mit den Daten übereinstimmen, die wir zu Ihrer Versicherung gespeichert haben.',
  );

  // An empty submit: the summary takes focus and is read; its link leads to the field, read with its problem.
  await page.keyboard.press('Tab');
  await ear.heard(/^Versichertennummer\. Pflichtfeld\. leer\. Auf Ihrer Gesundheitskarte/);
  await ear.mark();
  await page.keyboard.press('Enter');
  await ear.heard(/^Bitte korrigieren Sie: Bitte füllen Sie „Versichertennummer“ aus\. .*Bitte füllen Sie „Passwort“ aus\./);
  await page.keyboard.press('Tab');
  await ear.mark();
  await page.keyboard.press('Enter');
  await expect(page.locator('#reg-kvnr')).toBeFocused();
  await ear.heard(/^Versichertennummer\. Pflichtfeld\. leer\. Bitte füllen Sie „Versichertennummer“ aus\. Auf Ihrer Gesundheitskarte/);

  // Ordinary fields: each character is said as typed.
  await ear.mark();
  await type(page, 'A1');
  await ear.heard('A', '1');
  await type(page, '23456780');
  for (const [next, value] of [
    ['Geburtsdatum', ERIKA.birthDate],
    ['Vorname', ERIKA.firstName],
    ['Nachname', ERIKA.lastName],
    ['E-Mail-Adresse', ERIKA.email],
    ['Benutzername', ERIKA.username],
  ] as const) {
    await ear.mark();
    await page.keyboard.press('Tab');
    await ear.heard(new RegExp(`^${next}\\. Pflichtfeld\\. (leer|Bitte füllen Sie)`));
    await type(page, value);
  }

  // The password: "character entered" for every key, never a character.
  await ear.mark();
  await page.keyboard.press('Tab');
  await ear.heard(/^Passwort\. Pflichtfeld\. leer\. Bitte füllen Sie „Passwort“ aus\./);
  await type(page, ERIKA.password);
  const forPassword = await ear.heard(...Array.from(ERIKA.password, () => ENTERED));
  expect(forPassword.slice(1)).toEqual(Array.from(ERIKA.password, () => ENTERED));
  await page.keyboard.press('Backspace');
  await ear.heard('Zeichen gelöscht');
  await type(page, ERIKA.password.slice(-1));
  await ear.mark();
  await page.keyboard.press('Tab');
  await type(page, ERIKA.password);
  await ear.heard(/^Passwort wiederholen\. Pflichtfeld\./, ...Array.from(ERIKA.password, () => ENTERED));
  // Back on the first one: filled in, not read.
  await ear.mark();
  await page.keyboard.press('Shift+Tab');
  await ear.heard(/^Passwort\. Pflichtfeld\. ausgefüllt\./);
  await page.keyboard.press('Tab');

  // The consent texts: opened, read to the end (End), closed (Escape: the dialog, not "back"), ticked (Space).
  for (const [title, box] of [
    ['Datenschutzhinweise', 'reg-privacy'],
    ['Teilnahmevereinbarung', 'reg-participation'],
  ] as const) {
    await tabTo(page, new RegExp(`Text lesen: ${title}`));
    await ear.mark();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('consent-dialog')).toBeVisible();
    await ear.heard(/./, /./);
    await page.keyboard.press('End');
    await ear.heard(/^Sie haben den Text bis zum Ende gelesen/);
    await ear.mark();
    await page.keyboard.press('Escape');
    await expect(page.locator(`#${box}`)).toBeFocused();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Onlinekonto anlegen');
    await ear.heard(/Pflichtfeld\. nicht angekreuzt\. Bitte stimmen Sie/);
    await page.keyboard.press('Space');
    await ear.heard('angekreuzt');
  }

  await tabTo(page, /^Konto anlegen$/);
  await ear.mark();
  await page.keyboard.press('Enter');

  // Private data (the e-mail address) only after the headphones question.
  await ear.heard(
    'E-Mail-Adresse bestätigen.',
    'Bitte Kopfhörer verwenden.',
    /^Hier stehen persönliche Daten\./,
    /^Kopfhörer sind eingesteckt/,
  );
  await expect(page.getByTestId('headphones-dialog').getByRole('button', { name: /^Kopfhörer sind eingesteckt/ })).toBeFocused();
  expect((await ear.all()).some((text) => text.includes('example.org'))).toBe(false);
  await new KioskPage(page).checkScreen('speech-headphones', false);
  await ear.mark();
  await page.keyboard.press('Enter');
  await ear.heard('E-Mail-Adresse bestätigen.', /^Ihr Bestätigungscode geht an e\*\*\*@example\.org\./);

  const code = await kiosk.lastCode();
  await page.keyboard.press('Tab');
  await type(page, ERIKA.email);
  await ear.mark();
  await page.keyboard.press('Tab');
  await ear.heard(/^Bestätigungscode \(8 Ziffern\)\. Pflichtfeld\. leer\./);
  await type(page, code);
  const forCode = await ear.heard(...Array.from(code, () => ENTERED));
  expect(forCode.slice(1)).toEqual(Array.from(code, () => ENTERED));
  await ear.mark();
  await page.keyboard.press('Enter');
  await ear.heard('Identität bestätigen.', 'Ihre E-Mail-Adresse ist bestätigt.');

  // Never a character of the password or the code, never a field's secret value.
  const everything = await ear.all();
  for (const secret of [ERIKA.password, code]) expect(everything.filter((text) => text.includes(secret))).toEqual([]);
});

test.describe('with an account', () => {
  test.use({ kioskSeed: 'active' });

  test('login: errors are said, Escape goes back, F2 repeats, logout falls silent', async ({ page, kiosk }) => {
    const ear = new Ear(page);
    await openKiosk(page, kiosk);
    await page.keyboard.press('F1');
    await tabTo(page, /^Anmelden/);
    await ear.mark();
    await page.keyboard.press('Enter');
    await ear.heard('Anmelden.');

    // Escape: back to the start; a screen without a way back says so.
    await ear.mark();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Willkommen bei Kontokiosk');
    await ear.heard('Willkommen bei Kontokiosk.');
    await ear.mark();
    await page.keyboard.press('Escape');
    await ear.heard('Auf diesem Bildschirm gibt es kein Zurück.');

    await tabTo(page, /^Anmelden/);
    await page.keyboard.press('Enter');
    await ear.mark();
    await page.keyboard.press('Tab');
    await ear.heard('Benutzername. Pflichtfeld. leer.');
    await type(page, ERIKA.username);
    await ear.heard('e', 'r', 'i', 'k', 'a', '.', 'm');
    await ear.mark();
    await page.keyboard.press('Tab');
    await ear.heard('Passwort. Pflichtfeld. leer.');
    await type(page, 'Falsch*Passwort1');
    await ear.mark();
    await page.keyboard.press('Enter');
    const alert = page.locator('[role="alert"][data-code]');
    await expect(alert).toBeVisible();
    const raw = ((await alert.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const message = /[.!?:…]$/.test(raw) ? raw : `${raw}.`;
    await ear.heard(message);
    expect((await ear.all()).some((text) => text.includes('Falsch'))).toBe(false);

    // F2: the last thing said, again.
    await ear.mark();
    await page.keyboard.press('F2');
    await ear.heard(message);

    await page.locator('#login-password').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await type(page, ERIKA.password);
    await ear.mark();
    await page.keyboard.press('Enter');
    await ear.heard('Guten Tag, Erika.', 'Was möchten Sie tun?');

    // Logout (a reset): speech stops at once, is off, and the next person hears nothing.
    const cancels = await ear.cancels();
    await tabTo(page, /^Beenden und abmelden$/);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Willkommen bei Kontokiosk');
    await expect(page.getByTestId('speech-button')).toHaveAttribute('aria-pressed', 'false');
    expect(await ear.cancels()).toBeGreaterThan(cancels);
    await ear.mark();
    await page.keyboard.press('Tab');
    await page.keyboard.press('F2');
    expect(await ear.since()).toEqual([]);
  });

  test('forgot password: the address waits for headphones, declined it is never said', async ({ page, kiosk }) => {
    const ear = new Ear(page);
    await openKiosk(page, kiosk);
    await page.keyboard.press('F1');
    await tabTo(page, /^Anmelden/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Passwort vergessen\?$/);
    await ear.mark();
    await page.keyboard.press('Enter');
    await ear.heard('Neues Passwort festlegen.');
    await page.keyboard.press('Tab');
    await type(page, ERIKA.username);
    await page.keyboard.press('Tab');
    await type(page, ERIKA.kvnr);
    await page.keyboard.press('Tab');
    await type(page, ERIKA.birthDate);
    await ear.mark();
    await page.keyboard.press('Enter');

    // The next step replaced the form: focus goes to the heading (read), then the question comes before the address.
    await ear.heard('Neues Passwort festlegen.', 'Bitte Kopfhörer verwenden.');
    await expect(page.getByTestId('headphones-dialog').getByRole('button', { name: /^Kopfhörer sind eingesteckt/ })).toBeFocused();
    await ear.mark();
    await page.keyboard.press('Escape');
    await ear.heard('Neues Passwort festlegen.', 'Persönliche Daten werden ohne Kopfhörer nicht vorgelesen.');
    await expect(page.getByTestId('headphones-dialog')).toHaveCount(0);

    const mail = await kiosk.lastMail(/RESET_CODE/);
    const code = /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '';
    expect(code).toMatch(/^\d{8}$/);
    await ear.mark();
    await page.keyboard.press('Tab');
    await ear.heard(/^Code aus der E-Mail \(8 Ziffern\)\. Pflichtfeld\. leer\./);
    await type(page, code);
    await ear.heard(...Array.from(code, () => ENTERED));
    const fresh = 'Neue*Blume8x';
    await page.keyboard.press('Tab');
    await type(page, fresh);
    await page.keyboard.press('Tab');
    await type(page, fresh);
    await ear.mark();
    await page.keyboard.press('Enter');
    await ear.heard('Anmelden.', 'Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.');

    const everything = await ear.all();
    expect(everything.filter((text) => text.includes('example.org') || text.includes(code) || text.includes(fresh))).toEqual([]);
  });
});

test('the control: beside help on every screen, a long press switches it, no axe-core violations', async ({ page, kiosk }) => {
  const ear = new Ear(page);
  const k = new KioskPage(page);
  await page.clock.install();
  await openKiosk(page, kiosk);
  const header = page.getByRole('banner');
  const control = header.getByRole('button', { name: 'Vorlesen' });
  await expect(control).toHaveAttribute('aria-pressed', 'false');
  // Directly before help, the last control of the header.
  const order = await header.locator('button').evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim() ?? ''));
  expect(order.slice(-2)).toEqual(['Vorlesen', '? Hilfe']);

  // A long press anywhere (three seconds, without moving) switches speech on; the tap it ends in does nothing.
  const box = await page.locator('.content').boundingBox();
  await page.mouse.move((box?.x ?? 0) + 20, (box?.y ?? 0) + 20);
  await page.mouse.down();
  await page.clock.runFor(3100);
  await page.mouse.up();
  await expect(control).toHaveAttribute('aria-pressed', 'true');
  await ear.heard(/^Vorlesen ist eingeschaltet/, 'Willkommen bei Kontokiosk.');
  await k.checkScreen('speech-on', false);

  // A tap on the control switches it off.
  await control.click();
  await expect(control).toHaveAttribute('aria-pressed', 'false');
});

test('the idle warning is said; its end silences speech and switches it off', async ({ page, kiosk }) => {
  const ear = new Ear(page);
  await page.clock.install();
  await openKiosk(page, kiosk);
  await page.keyboard.press('F1');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await ear.heard('Onlinekonto anlegen.');
  await page.keyboard.press('Tab');
  await type(page, 'Erika');

  await ear.mark();
  // With speech on the person has twice the time: no warning at the usual 90 seconds.
  await page.clock.fastForward(91_000);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.clock.fastForward(90_000);
  await expect(page.getByRole('alertdialog')).toBeVisible();
  // Said by the warning itself, in one piece (with the key for more time), then the focused button.
  await ear.heard(/^Sind Sie noch da\? Aus Sicherheitsgründen wird die Sitzung in \d+ Sekunden beendet/, 'Weiter arbeiten. Schaltfläche.');
  // The countdown is said once, not every second.
  await page.clock.fastForward(5_000);
  expect((await ear.since()).filter((text) => text.includes('Aus Sicherheitsgründen'))).toHaveLength(1);

  const cancels = await ear.cancels();
  await ear.mark();
  await page.clock.fastForward(40_000);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Willkommen bei Kontokiosk');
  await expect(page.getByTestId('speech-button')).toHaveAttribute('aria-pressed', 'false');
  expect(await ear.cancels()).toBeGreaterThan(cancels);
  expect(await ear.since()).toEqual([]);
});
