/**
 * The counter (staff side) in the browser shell: a supervisor's first login (one-time password, own
 * password, TOTP enrolment), the TOTP login after it, the case screens (search, account with an
 * action, inbox, staff management), and the lock after five wrong passwords. Every screen is checked
 * with axe-core; screenshots go to $KONTOKIOSK_SCREENSHOTS (docs/screenshots) as counter-*.png.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { test, expect, openCounter, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';
import pg from 'pg';

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
    await expect(page.getByRole('navigation').getByRole('button')).toHaveText([
      'Suche',
      'Posteingang',
      'Mitarbeitende',
      'Register einlesen',
      'Protokoll prüfen',
      'Übersicht',
    ]);

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
    // Newest first, each by its name: Erika's kiosk login comes before her registration.
    const loginRow = page.locator('table.history tbody tr', { has: page.locator('[data-type="LOGIN_SUCCESS"]') });
    await expect(loginRow.locator('td').nth(1)).toContainText('Anmeldung');
    const oldest = page.locator('table.history tbody tr').last().locator('td').nth(1);
    await expect(oldest).toHaveAttribute('data-type', 'REGISTRATION');
    await expect(oldest).toContainText('Registrierung');
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
    // The letter's reference as a person at the desk can use it: its short random part, not the outbox file name.
    await expect(page.getByTestId('notice')).toContainText(
      /Brief mit dem vorläufigen Passwort ist an den Druck übergeben \(Kennung [0-9a-f]{6}\); das Passwort gilt bis \d/,
    );
    await expect(page.getByTestId('notice')).not.toContainText('.pdf');
    await expect(page.locator('dl.details')).toContainText('Vorläufiges Passwort gültig bis');
    await expect(page.locator('table.history tbody')).toContainText('TEMPORARY_PASSWORD_SET');
    const issued = page.locator('table.history tbody tr', { has: page.locator('[data-type="TEMPORARY_PASSWORD_SET"]') });
    await expect(issued).toContainText('Vorläufiges Passwort vergeben');
    await expect(issued.locator('[data-detail="reason"]')).toHaveText('Grund: Person am Schalter');
    await expect(issued.locator('[data-detail="document"]')).toHaveText('Dokument: Personalausweis');
    await expect(issued.locator('[data-detail="letterRef"]')).toHaveText(/^Brief: an den Druck übergeben \(Kennung [0-9a-f]{6}\)$/);
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
      // No count of remaining attempts: it would tell a stranger that the username exists.
      await expect(page.locator('.error')).toHaveText('Benutzername oder Passwort stimmen nicht.');
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

/** A staff member's first login through the screens: one-time password, own password, TOTP enrolment. */
async function firstLogin(page: Page, kiosk: Kiosk, username: string): Promise<void> {
  await openCounter(page, kiosk);
  await login(page, username, kiosk.staff[username] ?? '');
  await page.locator('#replace-new').fill(NEW_PASSWORD);
  await page.locator('#replace-repeat').fill(NEW_PASSWORD);
  await button(page, 'Passwort speichern').click();
  await expect(h1(page)).toHaveText('Authenticator-App einrichten');
  const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.locator('#enrol-code').fill(new TOTP({ secret: Secret.fromBase32(shown.replace(/\s/g, '')) }).generate());
  await button(page, 'Einrichtung abschließen').click();
  await expect(h1(page)).toHaveText('Konto suchen');
}

const HEADER = 'kvnr;first_name;last_name;birth_date;street;postal_code;city;insurance_start;insurance_end;card_number;receipts';
const ROW_ERIKA = 'A123456780;Erika;Mustermann;12.08.1984;Heidestraße 17;51147;Köln;01.01.2004;;80276883110000012345;';
const ROW_BAD = 'A123456781;Bad;Check;12.08.1984;Weg 1;51147;Köln;2004-01-01;;80276883110000012345;';
const ROW_XAVER = 'X110411675;Xaver;Beispiel;01.02.1990;Weg 2;53111;Bonn;2004-01-01;;80276883110000012345;';

test.describe("the supervisor's console", () => {
  test.use({ kioskStaff: [{ username: SUPERVISOR, role: 'supervisor' }] });

  test('register import with a report and a refused encoding, the audit check, the dashboard after a kiosk registration', async ({
    page,
    kiosk,
  }) => {
    // The page's CSP (style-src 'self', no inline script) must allow everything the console draws.
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });

    // A person registers at the kiosk of the same installation: the dashboard counts it.
    const kioskPage = await page.context().newPage();
    await openKiosk(kioskPage, kiosk);
    const k = new KioskPage(kioskPage);
    await k.register(ERIKA);
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    await kioskPage.close();

    await firstLogin(page, kiosk, SUPERVISOR);
    const nav = page.getByRole('navigation');

    // Register import: the file goes in pieces; one bad row is named by its line.
    await nav.getByRole('button', { name: 'Register einlesen' }).click();
    await expect(h1(page)).toHaveText('Versichertenregister einlesen');
    const csv = Buffer.from([HEADER, ROW_ERIKA, ROW_BAD, ROW_XAVER].join('\n'), 'utf8');
    await page.locator('#import-file').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: csv });
    await expect(page.getByTestId('import-chosen')).toContainText('register.csv');
    await chooseReason(page, 'import-reason', 'Sonstiges');
    await page.locator('#import-reason-free').fill('Monatlicher Abgleich');
    await button(page, 'Register einlesen').last().click();
    await expect(page.locator('.field-error')).toHaveText('Bitte bestätigen Sie, dass das Register ersetzt wird.');
    await expect(page.locator('#import-confirm')).toBeVisible();
    await expect(page.getByText('Das Register wird durch die gültigen Zeilen dieser Datei ersetzt')).toBeVisible();
    await page.locator('#import-confirm').check();
    await page.locator('form').getByRole('button', { name: 'Register einlesen' }).click();
    // Two persons would replace the demo register of eight: refused with the numbers until confirmed.
    const shrink = page.getByTestId('import-refusal');
    await expect(shrink).toHaveAttribute('data-problem', 'SHRINKS');
    await expect(page.getByTestId('import-shrink')).toContainText('Im Register stehen jetzt 8 Personen, die Datei enthält 2 gültige.');
    await button(page, 'Trotzdem einlesen').click();
    const report = page.getByTestId('import-report');
    await expect(report).toContainText('2 Personen übernommen, 1 Zeilen abgelehnt');
    const rejected = report.locator('table.rejected tbody tr');
    await expect(rejected).toHaveCount(1);
    await expect(rejected.locator('td').first()).toHaveText('3');
    await expect(rejected).toContainText('check digit');
    await checkScreen(page, '16-import');

    // A file saved in Latin-1 is refused whole, with the sentence that says how to export it.
    const latin1 = Buffer.from([HEADER, ROW_ERIKA].join('\n'), 'latin1');
    await page.locator('#import-file').setInputFiles({ name: 'register-latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.locator('#import-confirm').check();
    await page.locator('form').getByRole('button', { name: 'Register einlesen' }).click();
    const refusal = page.getByTestId('import-refusal');
    await expect(refusal).toHaveAttribute('data-problem', 'ENCODING');
    await expect(refusal).toContainText('Die Datei ist nicht in UTF-8 gespeichert. Bitte als CSV UTF-8 exportieren.');
    await expect(refusal).toContainText('das Register ist unverändert');
    await expect(page.getByTestId('import-report')).toHaveCount(0);

    // The audit check: intact, with the number of entries.
    await nav.getByRole('button', { name: 'Protokoll prüfen' }).click();
    await expect(h1(page)).toHaveText('Protokoll prüfen');
    await chooseReason(page, 'audit-reason', 'Sonstiges');
    await page.locator('#audit-reason-free').fill('Monatliche Prüfung');
    await page.locator('form').getByRole('button', { name: 'Protokoll prüfen' }).click();
    const outcome = page.locator('section.outcome');
    await expect(outcome).toHaveAttribute('data-code', 'INTACT');
    await expect(outcome).toContainText(/Das Protokoll ist unversehrt: \d+ Einträge geprüft\./);
    await checkScreen(page, '17-audit');

    // The dashboard: four charts drawn on their canvases, each with its numbers as text.
    await nav.getByRole('button', { name: 'Übersicht' }).click();
    await expect(h1(page)).toHaveText('Übersicht');
    const charts = page.locator('figure.chart');
    await expect(charts).toHaveCount(4);
    await expect(page.locator('[data-chart="chart-registrations"] .chart-summary')).toHaveText(
      'Registrierungen in den letzten 30 Tagen: 1; die meisten an einem Tag: 1.',
    );
    await expect(page.locator('[data-chart="chart-funnel"] .chart-summary')).toContainText('Von 1 registrierten Konten');
    await expect(page.getByRole('img', { name: /^Registrierungen je Tag\./ })).toBeVisible();
    const funnel = page.locator('[data-chart="chart-funnel"]');
    await funnel.locator('summary').click();
    await expect(funnel.locator('tbody tr')).toHaveText([
      /registriert\s*1 \(100\s%\)/,
      /E-Mail bestätigt\s*0 \(0\s%\)/,
      /Identität/,
      /Postfach/,
    ]);
    const registrations = page.locator('[data-chart="chart-registrations"]');
    await registrations.locator('summary').click();
    await expect(registrations.locator('tbody tr')).toHaveCount(30);
    await expect(registrations.locator('tbody tr').last().locator('td')).toHaveText('1');
    // Chart.js drew today's bar in the chart colour (not only an empty canvas).
    const drawn = await page.locator('[data-chart="chart-registrations"] canvas').evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let bar = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === 0x00 && data[i + 1] === 0x58 && data[i + 2] === 0x7a) bar += 1;
      return bar;
    });
    expect(drawn).toBeGreaterThan(50);
    await registrations.locator('summary').click();
    await checkScreen(page, '18-dashboard');

    // A changed entry in the trail: the check names the first broken line and what is wrong with it.
    if (kiosk.databaseUrl) {
      // On a branch database the chain is a table: the second entry changed there.
      const client = new pg.Client(kiosk.databaseUrl);
      await client.connect();
      await client.query(`UPDATE audit_events SET line = regexp_replace(line, '"type":"([A-Z_]+)"', '"type":"\\1_CHANGED"') WHERE seq = 2`);
      await client.end();
    } else {
      const trail = join(kiosk.dataDir, 'audit.jsonl');
      const lines = readFileSync(trail, 'utf8').split('\n');
      lines[1] = (lines[1] ?? '').replace(/"type":"([A-Z_]+)"/, '"type":"$1_CHANGED"');
      writeFileSync(trail, lines.join('\n'));
    }
    await nav.getByRole('button', { name: 'Protokoll prüfen' }).click();
    await chooseReason(page, 'audit-reason', 'Sonstiges');
    await page.locator('#audit-reason-free').fill('Verdacht auf Änderung');
    await page.locator('form').getByRole('button', { name: 'Protokoll prüfen' }).click();
    await expect(outcome).toHaveAttribute('data-code', 'CHAIN_BROKEN');
    await expect(outcome).toContainText('Das Protokoll ist nicht unversehrt.');
    await expect(outcome.locator('.broken-at')).toHaveText('Erste unterbrochene Stelle: Zeile 2');
    await expect(outcome).toContainText('Befund: Der Inhalt des Eintrags wurde verändert.');
    expect(blocked).toEqual([]);
  });
});

test.describe('the counter left alone', () => {
  test.use({ kioskSeed: 'active', kioskStaff: [{ username: 'carla.berger', role: 'staff' }] });

  test('warns 30 seconds before the end, then shows the login with nothing of the account left', async ({ page, kiosk }) => {
    // Playwright's fake clock moves the page's timers: no waiting in real time.
    await page.clock.install();
    await firstLogin(page, kiosk, 'carla.berger');
    await expect(page.getByRole('navigation').getByRole('button')).toHaveText(['Suche', 'Posteingang']);
    await page.locator('#search-kvnr').fill('A123456780');
    await chooseReason(page, 'search-reason', 'Person am Schalter');
    await button(page, 'Suchen').click();
    await button(page, 'Konto erika.m öffnen').click();
    await expect(h1(page)).toHaveText('Konto erika.m');

    await page.clock.fastForward(4 * 60_000 + 25_000);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await page.clock.fastForward(6_000);
    const warning = page.getByRole('alertdialog', { name: 'Sind Sie noch da?' });
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('Aus Sicherheitsgründen werden Sie in');

    await page.clock.fastForward(31_000);
    await expect(h1(page)).toHaveText('Anmeldung am Schalter');
    await expect(page.getByTestId('notice')).toHaveText('Sie wurden wegen Inaktivität abgemeldet. Alle angezeigten Daten wurden gelöscht.');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    const screen = (await page.locator('body').innerText()) + (await page.locator('body').ariaSnapshot());
    for (const value of ['erika.m', 'Mustermann', 'A123456780', 'Person am Schalter', 'carla.berger']) expect(screen).not.toContain(value);
    await expect(page.getByTestId('staff-who')).toHaveCount(0);
  });
});

test.describe('the counter with a shorter configured idle limit', () => {
  test.use({ kioskConfig: { policy: { staff: { idleMs: 120_000 } } }, kioskStaff: [{ username: 'carla.berger', role: 'staff' }] });

  test('warns 30 seconds before the configured end (here 2 minutes)', async ({ page, kiosk }) => {
    await page.clock.install();
    await firstLogin(page, kiosk, 'carla.berger');
    await expect(h1(page)).toHaveText('Konto suchen');
    await page.clock.fastForward(85_000);
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await page.clock.fastForward(6_000);
    await expect(page.getByRole('alertdialog', { name: 'Sind Sie noch da?' })).toBeVisible();
    await page.clock.fastForward(31_000);
    await expect(h1(page)).toHaveText('Anmeldung am Schalter');
  });
});
