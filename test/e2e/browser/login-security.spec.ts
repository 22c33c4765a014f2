import type { APIRequestContext } from '@playwright/test';
import { test, expect, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

/** Registers Erika and confirms her e-mail through the same calls the screens make. */
async function registerConfirmed(request: APIRequestContext, kiosk: Kiosk): Promise<void> {
  const call = async (channel: string, data: unknown, token = '') => {
    const response = await request.post(`${kiosk.origin}/ipc/${channel}`, {
      headers: { origin: kiosk.origin, 'content-type': 'application/json', 'x-kontokiosk-session': token },
      data,
    });
    return { body: (await response.json()) as { ok: boolean }, token: response.headers()['x-kontokiosk-session'] ?? token };
  };
  const registered = await call('registration.submit', {
    kvnr: 'A123456780',
    firstName: 'Erika',
    lastName: 'Mustermann',
    birthDate: '1984-08-12',
    email: ERIKA.email,
    username: ERIKA.username,
    password: ERIKA.password,
    privacyVersion: '2026-01',
    participationVersion: '2026-01',
    language: 'de',
  });
  expect(registered.body.ok).toBe(true);
  const confirmed = await call('email.confirm', { email: ERIKA.email, code: await kiosk.lastCode() }, registered.token);
  expect(confirmed.body.ok).toBe(true);
}

async function failLogin(k: KioskPage, password = 'Falsch*Pass1'): Promise<void> {
  await k.page.locator('#login-username').fill(ERIKA.username);
  await k.page.locator('#login-password').fill(password);
  await Promise.all([k.page.waitForResponse(/\/ipc\/session\.login$/), k.button('Anmelden', 'Log in').click()]);
}

test('warning after the fourth failure, lock with its end at the fifth, deactivation on the next attempt', async ({ page, kiosk }) => {
  await page.goto(kiosk.launchUrl);
  await registerConfirmed(page.request, kiosk);
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.button('Anmelden.*', 'x').first().click();
  for (let i = 1; i <= 3; i++) {
    await failLogin(k);
    await expect(k.errorCode()).toHaveText('Benutzername oder Passwort stimmen nicht.');
  }
  await failLogin(k);
  await expect(k.errorCode()).toContainText('Noch ein Fehlversuch sperrt Ihr Konto für 24 Stunden');
  await k.checkScreen('16-last-try-warning');

  await failLogin(k);
  await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_LOCKED');
  await expect(k.errorCode()).toContainText('gesperrt');
  await expect(k.errorCode()).toContainText('Jeder Versuch, auch mit dem richtigen Passwort, deaktiviert das Konto');
  await expect(k.errorCode()).toContainText('Passwort vergessen');
  await expect(k.errorCode()).toContainText(/\d{1,2}\. \w+ \d{4} um \d{2}:\d{2}/);
  await k.checkScreen('17-locked');
  const lockMail = await kiosk.lastMail(/ACCOUNT_LOCKED/);
  expect(lockMail.subject).toMatch(/gesperrt/);

  // The screen offers only the safe ways on, also after "Back" and a new start with the same
  // username: the kiosk remembers the lock it has shown, so the form does not come back.
  await expect(page.locator('#login-password')).toHaveCount(0);
  await expect(k.button('Passwort vergessen\\?', 'x')).toBeVisible();
  await k.button('Zurück', 'x').click();
  await k.button('Anmelden.*', 'x').first().click();
  await page.locator('#login-username').fill(ERIKA.username.toUpperCase());
  await page.locator('#login-username').press('Tab');
  await expect(page.locator('#login-password')).toHaveCount(0);
  await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_LOCKED');
  await expect(k.button('Passwort vergessen\\?', 'x')).toBeVisible();
  await k.checkScreen('29-locked-again');

  // Someone who tries anyway (here straight through the app's interface), even with the right
  // password, deactivates the account; the screen then says so.
  const attempt = await page.request.post(`${kiosk.origin}/ipc/session.login`, {
    headers: { origin: kiosk.origin, 'content-type': 'application/json' },
    data: { username: ERIKA.username, password: ERIKA.password },
  });
  expect(((await attempt.json()) as { error: { code: string } }).error.code).toBe('ACCOUNT_DEACTIVATED');
  await k.button('Zurück', 'x').click();
  await k.button('Anmelden.*', 'x').first().click();
  await failLogin(k, ERIKA.password);
  await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_DEACTIVATED');
  await expect(k.errorCode()).toContainText('Kundenservice');
  await k.checkScreen('18-deactivated');
  expect((await kiosk.lastMail(/ACCOUNT_DEACTIVATED/)).subject).toMatch(/deaktiviert/);

  // "Forgot password" cannot help a deactivated account: it points to the counter.
  await page.getByRole('button', { name: 'Passwort vergessen?' }).click();
  await page.locator('#forgot-username').fill(ERIKA.username);
  await page.locator('#forgot-kvnr').fill('A123456780');
  await page.locator('#forgot-birth').fill('12.08.1984');
  await k.button('Code senden', 'x').click();
  await expect(k.errorCode()).toHaveAttribute('data-code', 'GO_TO_COUNTER');
  await expect(k.errorCode()).toContainText('deaktiviert');
});

test('forgot password during a lock: the code from the e-mail, a new password, the lock is lifted', async ({ page, kiosk }) => {
  await page.goto(kiosk.launchUrl);
  await registerConfirmed(page.request, kiosk);
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.toEnglish();
  await k.button('x', 'Log in.*').first().click();
  for (let i = 0; i < 5; i++) await failLogin(k);
  await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_LOCKED');
  await expect(k.errorCode()).toContainText('Your account is locked until');

  await k.button('x', 'Forgot password\\?').click();
  await k.expectHeading('x', 'Set a new password');
  await page.locator('#forgot-username').fill('ERIKA.M');
  await page.locator('#forgot-kvnr').fill('a123456780');
  await page.locator('#forgot-birth').fill('12.08.1984');
  await k.checkScreen('19-forgot-password-en');
  await k.button('x', 'Send code').click();
  await expect(page.getByText('Your code goes to e***@example.org')).toBeVisible();
  const mail = await kiosk.lastMail(/RESET_CODE/);
  const code = /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '';

  // The old password is refused as the new one; the code stays usable.
  await page.locator('#forgot-code').fill(code);
  await page.locator('#forgot-password').fill(ERIKA.password);
  await page.locator('#forgot-password2').fill(ERIKA.password);
  await k.button('x', 'Save password').click();
  await expect(k.errorCode()).toHaveAttribute('data-code', 'PASSWORD_REUSED');
  await page.locator('#forgot-password').fill('Neue*Wiese42');
  await page.locator('#forgot-password2').fill('Neue*Wiese42');
  await k.button('x', 'Save password').click();
  await expect(page.getByText('Your new password is saved. Please log in with it.')).toBeVisible();

  await page.locator('#login-username').fill(ERIKA.username);
  await page.locator('#login-password').fill('Neue*Wiese42');
  await k.button('x', 'Log in').click();
  await k.expectHeading('x', 'Confirm your identity');
});

test('a terminal with many failed logins pauses and sends people to the counter', async ({ page, kiosk }) => {
  await page.goto(kiosk.launchUrl);
  // 20 failed logins with made-up usernames, as someone trying names at this kiosk would make.
  for (let i = 0; i < 20; i++) {
    const response = await page.request.post(`${kiosk.origin}/ipc/session.login`, {
      headers: { origin: kiosk.origin, 'content-type': 'application/json' },
      data: { username: `someone.${i}`, password: 'Falsch*Pass1' },
    });
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_CREDENTIALS');
  }
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.button('Anmelden.*', 'x').first().click();
  await failLogin(k, ERIKA.password);
  await expect(k.errorCode()).toHaveAttribute('data-code', 'TERMINAL_PAUSED');
  await expect(k.errorCode()).toContainText('Kundenservice am Schalter');
  await expect(k.errorCode()).toContainText(/bis .*\d{2}:\d{2}/);
  await k.checkScreen('30-terminal-paused');
});
