/**
 * The kiosk screens a person meets, walked in German with a fresh data directory: welcome, the
 * accessibility statement, help, login, forgot password, each registration step (with the error
 * summary and a consent text), the letter, entering the key, the mailbox, the first home screen,
 * and home and personal data after a later login. `visit` runs on each screen; `switchOn` runs on
 * the welcome screen at the start and again after each logout (a reset switches the display
 * settings off, so the walk switches them on again as the person would).
 */
import type { Page } from '@playwright/test';
import { expect, openKiosk, type Kiosk } from './kiosk.js';
import { keyFromLetter } from './outbox.js';
import { ERIKA, KioskPage } from './pages.js';

export type Visit = (screen: string) => Promise<void>;

export async function walkScreens(page: Page, kiosk: Kiosk, visit: Visit, switchOn: () => Promise<void>): Promise<string[]> {
  const k = new KioskPage(page);
  const seen: string[] = [];
  const at = async (screen: string): Promise<void> => {
    seen.push(screen);
    await visit(screen);
  };
  const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

  await openKiosk(page, kiosk);
  await switchOn();
  await at('welcome');
  await button('Barrierefreiheit').click();
  await k.expectHeading('Barrierefreiheit', 'x');
  await at('accessibility');
  await button('Zurück zur Startseite').click();

  await page.getByRole('banner').getByRole('button', { name: /Hilfe/ }).click();
  await expect(page.getByTestId('help-dialog')).toBeVisible();
  await at('help');
  await page.getByTestId('help-dialog').getByRole('button', { name: 'Schließen' }).click();

  await button(/^Anmelden/)
    .first()
    .click();
  await k.expectHeading('Anmelden', 'x');
  await at('login');
  await button('Passwort vergessen?').click();
  await k.expectHeading('Neues Passwort festlegen', 'x');
  await at('forgot-password');
  await button('Zurück').click();
  await button('Zurück').click();

  await button(/^Onlinekonto anlegen/).click();
  await k.expectStep(1);
  await at('register');
  await button('Konto anlegen').click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await at('register-errors');
  await page.locator('#reg-read-privacy').click();
  await expect(page.getByTestId('consent-dialog')).toBeVisible();
  await at('consent');
  await page.getByTestId('consent-dialog').getByRole('button', { name: 'Schließen' }).click();
  await k.fillRegistration(ERIKA);
  await at('register-filled');
  await button('Konto anlegen').click();

  await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
  await at('confirm-email');
  await k.confirmEmail(ERIKA.email, await kiosk.lastCode());
  await k.expectHeading('Identität bestätigen', 'x');
  await at('choose-identity');
  await button(/^Aktivierungsschlüssel per Post/).click();
  await k.expectHeading('Ihr Brief ist unterwegs', 'x');
  await at('letter-sent');
  const key = keyFromLetter(kiosk.lastLetterText());
  await k.logout();

  await switchOn();
  await k.login(ERIKA.username, ERIKA.password);
  await k.expectHeading('Aktivierungsschlüssel eingeben', 'x');
  await at('enter-key');
  await k.enterKey(key);
  await k.expectHeading('Sicheres Postfach aktivieren', 'x');
  await at('mailbox');
  await button('Postfach aktivieren').click();
  await k.expectHeading('Geschafft, Erika!', 'x');
  await at('done');
  await k.logout();

  await switchOn();
  await k.login(ERIKA.username, ERIKA.password);
  await k.expectHeading('Guten Tag, Erika', 'x');
  await at('home');
  await button('Persönliche Daten').click();
  await k.expectHeading('Persönliche Daten', 'x');
  await at('personal-data');
  return seen;
}
