/**
 * The counter (staff side) in the browser shell: a supervisor's first login (one-time password, own
 * password, TOTP enrolment), the TOTP login after it, the case screens (search, account with an
 * action, inbox, staff management), and the lock after five wrong passwords. Every screen is checked
 * with axe-core; screenshots go to $KONTOKIOSK_SCREENSHOTS (docs/screenshots) as counter-*.png.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { test, expect, openCounter, type Kiosk } from '../kiosk.js';
import { ERIKA } from '../pages.js';

const SUPERVISOR = 'anna.schmidt';
const NEW_PASSWORD = 'Schalter*Ahorn*2026';

async function checkScreen(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  if (process.env['KONTOKIOSK_SCREENSHOTS']) {
    await page.screenshot({ path: `${process.env['KONTOKIOSK_SCREENSHOTS']}/counter-${name}.png`, fullPage: true });
  }
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

/** Erika (seeded, mailbox on) writes to the insurer from the kiosk, so the counter's inbox has a message. */
async function erikaWrites(page: Page, kiosk: Kiosk): Promise<void> {
  await page.goto(kiosk.launchUrl);
  let token = '';
  const call = async (channel: string, data: unknown) => {
    const response = await page.request.post(`${kiosk.origin}/ipc/${channel}`, {
      headers: { origin: kiosk.origin, 'content-type': 'application/json', 'x-kontokiosk-session': token },
      data,
    });
    token = response.headers()['x-kontokiosk-session'] ?? token;
    return (await response.json()) as { ok: boolean };
  };
  expect((await call('session.login', { username: ERIKA.username, password: ERIKA.password })).ok).toBe(true);
  expect((await call('mailbox.write', { subject: 'Neue Anschrift', body: 'Ich bin umgezogen. Bitte melden Sie sich.' })).ok).toBe(true);
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await Promise.all([page.waitForResponse(/\/ipc\/staff\.login$/), button(page, 'Anmelden').click()]);
}

async function chooseReason(page: Page, id: string, preset: string): Promise<void> {
  await page.locator(`#${id}-preset`).selectOption({ label: preset });
}

test.describe('a supervisor at the counter', () => {
  test.use({ kioskSeed: 'active', kioskStaff: [{ username: SUPERVISOR, role: 'supervisor' }] });

  test('first login with enrolment, then search, account, inbox and staff management', async ({ page, kiosk }) => {
    await erikaWrites(page, kiosk);
    await openCounter(page, kiosk);
    await expect(h1(page)).toHaveText('Anmeldung am Schalter');
    await checkScreen(page, '01-login');

    // One-time password, then a password of one's own.
    await login(page, SUPERVISOR, kiosk.staff[SUPERVISOR] ?? '');
    await expect(h1(page)).toHaveText('Eigenes Passwort wählen');
    await expect(page.getByText('mindestens 12 Zeichen')).toBeVisible();
    await page.locator('#replace-new').fill('kurz');
    await page.locator('#replace-repeat').fill('kurz');
    await button(page, 'Passwort speichern').click();
    await expect(page.locator('.error')).toHaveAttribute('data-code', 'PASSWORD_REJECTED');
    await expect(page.locator('[data-rule="TOO_SHORT"]')).toHaveText('mindestens 12 Zeichen');
    await checkScreen(page, '02-new-password');
    await page.locator('#replace-new').fill(NEW_PASSWORD);
    await page.locator('#replace-repeat').fill(NEW_PASSWORD);
    await button(page, 'Passwort speichern').click();

    // TOTP enrolment: the code is computed from the key shown for typing by hand.
    await expect(h1(page)).toHaveText('Authenticator-App einrichten');
    await expect(page.getByRole('img', { name: 'QR-Code für die Authenticator-App' })).toBeVisible();
    const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    const totp = new TOTP({ secret: Secret.fromBase32(shown.replace(/\s/g, '')) });
    await checkScreen(page, '03-enrol-totp');
    await page.locator('#enrol-code').fill(totp.generate());
    await button(page, 'Einrichtung abschließen').click();
    await expect(h1(page)).toHaveText('Konto suchen');
    await expect(page.getByTestId('staff-who')).toContainText(SUPERVISOR);
    await expect(page.getByTestId('staff-who')).toContainText('Teamleitung');
    await expect(page.getByRole('navigation').getByRole('button')).toHaveText(['Suche', 'Posteingang', 'Mitarbeitende']);

    // Logout forgets everything; the next login asks for the second factor.
    await button(page, 'Abmelden').click();
    await expect(h1(page)).toHaveText('Anmeldung am Schalter');
    await expect(page.getByTestId('staff-who')).toHaveCount(0);
    await login(page, SUPERVISOR, NEW_PASSWORD);
    await expect(h1(page)).toHaveText('Bestätigungscode eingeben');
    await checkScreen(page, '04-totp');
    // The enrolment used this step's code; a code is good once, so the next step's code logs in.
    await page.locator('#totp-code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await button(page, 'Bestätigen').click();
    await expect(h1(page)).toHaveText('Konto suchen');

    // Search needs a reason; then by insurance number.
    await page.locator('#search-kvnr').fill('A123456780');
    await button(page, 'Suchen').click();
    await expect(page.locator('.field-error')).toHaveText('Bitte wählen Sie einen Grund.');
    await chooseReason(page, 'search-reason', 'Person am Schalter');
    await checkScreen(page, '05-search');
    await button(page, 'Suchen').click();
    const row = page.locator('tbody tr');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('erika.m');
    await expect(row).toContainText('Mustermann, Erika');
    await expect(row).toContainText('offen');
    await checkScreen(page, '06-results');

    // The account page: its fields, the actions its state allows, a confirmation that says what happens.
    await button(page, 'Konto erika.m öffnen').click();
    await expect(h1(page)).toHaveText('Konto erika.m');
    await expect(page.locator('dl.details')).toContainText('(POSTIDENT)');
    await expect(page.locator('dl.details')).not.toContainText(ERIKA.email);
    await expect(page.locator('[data-action]')).toHaveText(['Vorläufiges Passwort drucken', 'Anmeldecode drucken', 'Onlinekonto löschen']);
    // Newest first: Erika's kiosk login comes before her registration.
    await expect(page.locator('table.history tbody tr').first()).toContainText('LOGIN_SUCCESS');
    await expect(page.locator('table.history tbody tr').last()).toContainText('REGISTRATION');
    await page.locator('[data-action="TEMPORARY_PASSWORD"]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Es wird ein vorläufiges Passwort gedruckt (14 Tage gültig)');
    await expect(dialog).toContainText('Grund: Person am Schalter');
    await checkScreen(page, '07-account-dialog');
    await dialog.getByRole('button', { name: 'Ausführen' }).click();
    await expect(dialog).toContainText('Bitte wählen Sie das geprüfte Dokument.');
    await page.locator('#action-document').selectOption({ label: 'Personalausweis' });
    await page.locator('#action-checked').check();
    await dialog.getByRole('button', { name: 'Ausführen' }).click();
    await expect(page.getByTestId('notice')).toContainText(
      /Brief mit dem vorläufigen Passwort ist gedruckt \(Referenz \S+\); das Passwort gilt bis \d/,
    );
    await expect(page.locator('dl.details')).toContainText('Vorläufiges Passwort gültig bis');
    await expect(page.locator('table.history tbody')).toContainText('TEMPORARY_PASSWORD_SET');
    await checkScreen(page, '08-account');

    // The inbox: open with a reason, answer, handled.
    await page.getByRole('navigation').getByRole('button', { name: 'Posteingang' }).click();
    await expect(h1(page)).toHaveText('Posteingang');
    await expect(page.locator('tbody tr')).toContainText(['Neue Anschrift']);
    await expect(page.locator('tbody tr').first()).toContainText('ungelesen');
    await checkScreen(page, '09-inbox');
    await chooseReason(page, 'inbox-reason', 'Schriftliche Anfrage');
    await button(page, 'Nachricht „Neue Anschrift“ öffnen').click();
    await expect(h1(page)).toHaveText('Nachricht von erika.m');
    await expect(page.locator('#answer-subject')).toHaveValue('Re: Neue Anschrift');
    await page.locator('#answer-body').fill('Danke, wir haben Ihre neue Anschrift notiert.');
    await checkScreen(page, '10-inbox-message');
    await button(page, 'Antwort senden').click();
    await expect(page.getByTestId('notice')).toHaveText('Die Antwort liegt jetzt im Postfach der Person; die Nachricht ist erledigt.');
    await expect(page.locator('tbody tr').first()).toContainText('beantwortet am');

    // Staff management: no role change or disabling on one's own row; a new account's one-time password once.
    await page.getByRole('navigation').getByRole('button', { name: 'Mitarbeitende' }).click();
    await expect(h1(page)).toHaveText('Mitarbeitende');
    const own = page.locator(`tr[data-staff="${SUPERVISOR}"]`);
    await expect(own).toContainText('(Sie)');
    await expect(own.locator('[data-change]')).toHaveCount(0);
    await checkScreen(page, '11-staff');
    await page.locator('#create-username').fill('bernd.meier');
    await chooseReason(page, 'create-reason', 'Sonstiges');
    await button(page, 'Konto anlegen').click();
    await expect(page.locator('.field-error')).toHaveText('Bitte beschreiben Sie den Grund.');
    await page.locator('#create-reason-free').fill('Neue Kollegin am Schalter');
    await button(page, 'Konto anlegen').click();
    await expect(page.getByTestId('one-time-password')).toHaveText(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    await expect(page.getByText('Übergeben Sie es der Person persönlich')).toBeVisible();
    const created = page.locator('tr[data-staff="bernd.meier"]');
    await expect(created.locator('[data-change]')).toHaveText(['Passwort zurücksetzen', 'Rolle ändern', 'Deaktivieren']);
    await checkScreen(page, '12-staff-created');
    await button(page, 'Übergeben, ausblenden').click();
    await expect(page.getByTestId('one-time-password')).toHaveCount(0);

    await created.locator('[data-change="RESET_PASSWORD"]').click();
    const confirm = page.getByRole('dialog');
    await expect(confirm).toContainText('Für bernd.meier wird ein neues Einmalpasswort erzeugt');
    await chooseReason(page, 'change-reason', 'Sonstiges');
    await page.locator('#change-reason-free').fill('Passwort vergessen');
    await checkScreen(page, '13-staff-dialog');
    await confirm.getByRole('button', { name: 'Ausführen' }).click();
    await expect(page.getByTestId('notice')).toHaveText('Das Passwort von bernd.meier ist zurückgesetzt.');
    await expect(page.getByTestId('one-time-password')).toBeVisible();

    // The language switch: the same screen in English.
    await button(page, 'English').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(h1(page)).toHaveText('Staff members');
    await checkScreen(page, '14-staff-en');
  });
});

test.describe('staff login refusals', () => {
  test.use({ kioskStaff: [{ username: 'carla.berger', role: 'staff' }] });

  test('five wrong passwords lock the staff account, and the right one is refused during the lock', async ({ page, kiosk }) => {
    await openCounter(page, kiosk);
    for (let i = 1; i <= 4; i++) {
      await login(page, 'carla.berger', 'Falsch*Passwort*1');
      await expect(page.locator('.error')).toHaveAttribute('data-code', 'INVALID_CREDENTIALS');
      await expect(page.locator('.error')).toHaveText(`Benutzername oder Passwort stimmen nicht. Noch ${5 - i} Versuche bis zur Sperre.`);
    }
    await login(page, 'carla.berger', 'Falsch*Passwort*1');
    await expect(page.locator('.error')).toHaveAttribute('data-code', 'STAFF_LOCKED');
    await expect(page.locator('.error')).toContainText(
      /gesperrt bis \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\. Eine Teamleitung kann die Sperre aufheben\./,
    );
    await login(page, 'carla.berger', kiosk.staff['carla.berger'] ?? '');
    await expect(page.locator('.error')).toHaveAttribute('data-code', 'STAFF_LOCKED');
    await expect(h1(page)).toHaveText('Anmeldung am Schalter');
    await checkScreen(page, '15-locked');
  });
});
