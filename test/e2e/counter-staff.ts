/**
 * A staff member at the counter page of the browser shell: the first login as a new member goes
 * through the one-time password, an own password and the TOTP enrolment, as the console asks.
 */
import type { Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { expect, openCounter, type Kiosk } from './kiosk.js';

export const STAFF_PASSWORD = 'Schalter*Linde*2026';

export const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

export interface ReadyStaff {
  readonly page: Page;
  readonly totp: TOTP;
  /** The staff session token the counter's screens carry (as the counter's own responses set it). */
  token(): string;
}

/** A staff member's first login at the counter: one-time password, own password, TOTP enrolment. */
export async function staffReady(counter: Page, kiosk: Kiosk, username: string): Promise<ReadyStaff> {
  let token = '';
  counter.on('response', (response) => {
    const next = response.headers()['x-kontokiosk-session'];
    if (next !== undefined && response.url().startsWith(`${kiosk.counterOrigin}/ipc/`)) token = next;
  });
  await openCounter(counter, kiosk);
  await expect(h1(counter)).toHaveText('Anmeldung am Schalter');
  await staffLogin(counter, username, kiosk.staff[username] ?? '');
  await expect(h1(counter)).toHaveText('Eigenes Passwort wählen');
  await counter.locator('#replace-new').fill(STAFF_PASSWORD);
  await counter.locator('#replace-repeat').fill(STAFF_PASSWORD);
  await button(counter, 'Passwort speichern').click();
  await expect(h1(counter)).toHaveText('Authenticator-App einrichten');
  const shown = (await counter.getByTestId('totp-secret').textContent()) ?? '';
  const totp = new TOTP({ secret: Secret.fromBase32(shown.replace(/\s/g, '')) });
  await counter.locator('#enrol-code').fill(totp.generate());
  await button(counter, 'Einrichtung abschließen').click();
  await expect(h1(counter)).toHaveText('Konto suchen');
  await expect(counter.getByTestId('staff-who')).toContainText(username);
  return { page: counter, totp, token: () => token };
}

export async function staffLogin(counter: Page, username: string, password: string): Promise<void> {
  await counter.locator('#login-username').fill(username);
  await counter.locator('#login-password').fill(password);
  await Promise.all([counter.waitForResponse(/\/ipc\/staff\.login$/), button(counter, 'Anmelden').click()]);
}
