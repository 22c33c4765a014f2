/**
 * Journeys that cross the kiosk and the counter on one data directory: what a person sees at the
 * kiosk after a staff member acted at the counter, and the other way round. The kiosk and the
 * counter are two pages of one browser context (each keeps its own launch cookie). Threats
 * covered along the way: a letter's temporary password that stays usable after the person chose
 * their own, a login code good twice, an old e-mail code that survives a new one, and staff
 * channels reachable from a kiosk.
 */
import type { Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { button, h1, STAFF_PASSWORD, staffLogin, staffReady } from '../counter-staff.js';
import { test, expect, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

const KVNR = 'A123456780';
const STAFF = 'carla.berger';
const ERIKA_NEW_PASSWORD = 'Neue*Wiese42';

/** Searches by insurance number with "person at the desk" as the reason and opens the one hit. */
async function openAccount(counter: Page, username: string, shown: readonly string[]): Promise<void> {
  await counter.getByRole('navigation').getByRole('button', { name: 'Suche' }).click();
  await expect(h1(counter)).toHaveText('Konto suchen');
  await counter.locator('#search-reason-preset').selectOption({ label: 'Person am Schalter' });
  await counter.locator('#search-kvnr').fill(KVNR);
  await button(counter, 'Suchen').click();
  const row = counter.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(username);
  for (const text of shown) await expect(row).toContainText(text);
  await button(counter, `Konto ${username} öffnen`).click();
  await expect(h1(counter)).toHaveText(`Konto ${username}`);
}

/** Runs an account action through its confirmation dialog, with a checked document where it asks for one. */
async function runAction(counter: Page, action: string, document?: string): Promise<void> {
  await counter.locator(`[data-action="${action}"]`).click();
  const dialog = counter.getByRole('dialog');
  await expect(dialog).toContainText('Grund: Person am Schalter');
  if (document) {
    await counter.locator('#action-document').selectOption({ label: document });
    await counter.locator('#action-checked').check();
  } else {
    await expect(counter.locator('#action-document')).toHaveCount(0);
  }
  await dialog.getByRole('button', { name: 'Ausführen' }).click();
  await expect(dialog).toHaveCount(0);
}

/**
 * Records every main heading the kiosk shows from now on, so a test can say which screens came
 * between two points (a screen that flashes by counts too).
 */
async function recordHeadings(page: Page): Promise<() => Promise<string[]>> {
  type Recorder = { kontokioskHeadings?: string[] };
  await page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as Recorder).kontokioskHeadings = seen;
    const note = () => {
      const text = document.querySelector('h1')?.textContent?.trim() ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true });
    note();
  });
  return () => page.evaluate(() => [...((globalThis as Recorder).kontokioskHeadings ?? [])]);
}

/** The account page's fields and its history without the looks at it, which every reload adds. */
async function accountAsShown(counter: Page): Promise<{ details: string; history: string[] }> {
  const history = await counter.locator('table.history tbody tr').allTextContents();
  return {
    details: (await counter.locator('dl.details').textContent()) ?? '',
    history: history.filter((row) => !row.includes('COUNTER_ACCOUNT_VIEWED')),
  };
}

const outboxCount = (kiosk: Kiosk, folder: 'mail' | 'letters', kind: RegExp) =>
  readdirSync(join(kiosk.outbox, folder)).filter((f) => !f.includes('.tmp-') && kind.test(f)).length;

test.describe('with Erika fully set up', () => {
  test.use({ kioskSeed: 'active', kioskStaff: [{ username: STAFF, role: 'staff' }] });

  test('deactivated at the kiosk, reactivated at the counter, the letter’s password once, then her own', async ({
    page,
    context,
    kiosk,
  }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    // Five wrong passwords lock the account; the next attempt, even with the right one, deactivates it.
    const attempt = async (password: string) => {
      const response = await page.request.post(`${kiosk.origin}/ipc/session.login`, {
        headers: { origin: kiosk.origin, 'content-type': 'application/json' },
        data: { username: ERIKA.username, password },
      });
      return ((await response.json()) as { error?: { code: string } }).error?.code;
    };
    for (let i = 0; i < 4; i++) expect(await attempt('Falsch*Pass1')).toBe('INVALID_CREDENTIALS');
    expect(await attempt('Falsch*Pass1')).toBe('ACCOUNT_LOCKED');
    expect(await attempt(ERIKA.password)).toBe('ACCOUNT_DEACTIVATED');
    await k.login(ERIKA.username, ERIKA.password);
    await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_DEACTIVATED');
    await expect(k.errorCode()).toContainText('Kundenservice');

    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await openAccount(counter, ERIKA.username, ['deaktiviert', 'vollständig']);
    await expect(counter.locator('dl.details .badge')).toHaveText('deaktiviert');
    await expect(counter.locator('[data-action]')).toHaveText(['Konto reaktivieren', 'Onlinekonto löschen']);
    await expect(counter.locator('[data-action="LIFT_LOCK"]')).toHaveCount(0);

    const lettersBefore = outboxCount(kiosk, 'letters', /TEMPORARY_PASSWORD/);
    await counter.locator('[data-action="REACTIVATE"]').click();
    await expect(counter.getByRole('dialog')).toContainText('Das Konto wird reaktiviert.');
    await counter.getByRole('dialog').getByRole('button', { name: 'Abbrechen' }).click();
    await runAction(counter, 'REACTIVATE', 'Personalausweis');
    // The notice names the letter and the last valid day; its wording around them may vary.
    await expect(counter.getByTestId('notice')).toContainText(/^Das Konto ist reaktiviert\..*das Passwort gilt bis \d{2}\.\d{2}\.\d{4}\.$/);
    await expect(counter.locator('dl.details .badge')).toHaveText('offen');
    await expect(counter.locator('dl.details')).toContainText('Vorläufiges Passwort gültig bis');
    await expect(counter.locator('table.history tbody')).toContainText('ACCOUNT_REACTIVATED');
    expect(outboxCount(kiosk, 'letters', /TEMPORARY_PASSWORD/)).toBe(lettersBefore + 1);

    const letter = kiosk.lastLetterText();
    expect(letter).toContain('Ihr vorläufiges Passwort');
    expect(letter).toContain(ERIKA.username);
    const printed = /^\s*([a-z2-9]{4} [a-z2-9]{4} [a-z2-9]{4})\s*$/m.exec(letter)?.[1] ?? '';
    expect(printed).toMatch(/^[a-z2-9]{4} [a-z2-9]{4} [a-z2-9]{4}$/);

    // At the kiosk: the letter's password, typed as printed, leads straight to choosing one's own.
    await k.button('Zurück', 'x').click();
    await k.expectHeading('Willkommen bei Kontokiosk', 'x');
    const headings = await recordHeadings(page);
    await k.login(ERIKA.username, printed);
    await k.expectHeading('Eigenes Passwort wählen', 'x');
    expect(await headings()).toEqual(['Willkommen bei Kontokiosk', 'Anmelden', 'Eigenes Passwort wählen']);
    await expect(page.locator('.steps')).toHaveCount(0);
    await expect(k.button('Persönliche Daten', 'x')).toHaveCount(0);
    await k.checkScreen('31-choose-own-password');

    await page.locator('#own-password').fill(ERIKA_NEW_PASSWORD);
    await page.locator('#own-password2').fill(ERIKA_NEW_PASSWORD);
    await k.button('Passwort speichern', 'x').click();
    await k.expectHeading('Guten Tag, Erika', 'x');
    await expect(
      page.getByText('Ihr eigenes Passwort ist gespeichert. Der Brief mit dem vorläufigen Passwort gilt nicht mehr.'),
    ).toBeVisible();
    await k.button('Persönliche Daten', 'x').click();
    await k.expectHeading('Persönliche Daten', 'x');
    await expect(page.getByTestId('address')).toContainText('Heidestraße 17');
    await expect(page.getByTestId('address')).toContainText('51147 Köln');
    await k.logout();

    // The letter's password is spent; the one she chose is the one that counts.
    await k.login(ERIKA.username, printed);
    await expect(k.errorCode()).toHaveAttribute('data-code', 'INVALID_CREDENTIALS');
    await page.locator('#login-password').fill(ERIKA_NEW_PASSWORD);
    await k.button('Anmelden', 'x').click();
    await k.expectHeading('Guten Tag, Erika', 'x');
  });

  test('a login code printed at the counter logs in once at the kiosk, and is refused the second time', async ({
    page,
    context,
    kiosk,
  }) => {
    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await openAccount(counter, ERIKA.username, ['offen', 'vollständig']);
    const lettersBefore = outboxCount(kiosk, 'letters', /LOGIN_CODE/);
    await runAction(counter, 'ISSUE_LOGIN_CODE', 'Reisepass');
    await expect(counter.getByTestId('notice')).toContainText(/^Der Anmeldecode ist .*; er gilt bis \d{2}\.\d{2}\.\d{4}\.$/);
    expect(outboxCount(kiosk, 'letters', /LOGIN_CODE/)).toBe(lettersBefore + 1);
    const letter = kiosk.lastLetterText();
    expect(letter).toContain('Ihr Login-Code');
    const code = /\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(letter)?.[1] ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // The seed issued a code of its own: this journey uses only the one the counter printed.
    expect(code).not.toBe(kiosk.seed.loginCode);

    const k = new KioskPage(page);
    const useCode = async () => {
      await k.button('Mit Login-Code anmelden.*', 'x').click();
      await k.expectHeading('Mit Login-Code anmelden', 'x');
      await page.locator('#lc-kvnr').fill(KVNR);
      await page.locator('#lc-birth').fill(ERIKA.birthDate);
      await page.locator('#lc-code').fill(code);
      await k.button('Anmelden', 'x').click();
    };
    await openKiosk(page, kiosk);
    await useCode();
    await k.expectHeading('Guten Tag, Erika', 'x');
    await k.logout();
    await useCode();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'LOGIN_CODE_INVALID');
    await k.expectHeading('Mit Login-Code anmelden', 'x');
  });

  test('a message from the kiosk reaches the counter’s inbox, and the answer reaches the kiosk’s mailbox', async ({
    page,
    context,
    kiosk,
  }) => {
    const subject = 'Frage zur Familienversicherung';
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Guten Tag, Erika', 'x');
    await page.getByRole('button', { name: /^Postfach\s*2 ungelesen$/ }).click();
    await page.locator('#mail-subject').fill(subject);
    await page.locator('#mail-body').fill('Guten Tag, kann meine Tochter bei mir mitversichert werden?');
    await k.button('Senden', 'x').click();
    await expect(page.getByText('Ihre Nachricht ist bei uns angekommen.')).toBeVisible();
    await k.logout();

    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await counter.getByRole('navigation').getByRole('button', { name: 'Posteingang' }).click();
    await expect(h1(counter)).toHaveText('Posteingang');
    const row = counter.locator('tbody tr', { hasText: subject });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(ERIKA.username);
    await expect(row).toContainText('ungelesen');
    await counter.locator('#inbox-reason-preset').selectOption({ label: 'Schriftliche Anfrage' });
    await button(counter, `Nachricht „${subject}“ öffnen`).click();
    await expect(h1(counter)).toHaveText(`Nachricht von ${ERIKA.username}`);
    await expect(counter.locator('article.message')).toContainText('kann meine Tochter bei mir mitversichert werden?');
    await expect(counter.locator('#answer-subject')).toHaveValue(`Re: ${subject}`);
    await counter.locator('#answer-body').fill('Ja, bitte bringen Sie die Geburtsurkunde mit.');
    await button(counter, 'Antwort senden').click();
    await expect(counter.getByTestId('notice')).toHaveText('Die Antwort liegt jetzt im Postfach der Person; die Nachricht ist erledigt.');
    await expect(row).toContainText('beantwortet am');

    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Guten Tag, Erika', 'x');
    await page.getByRole('button', { name: /^Postfach\s*3 ungelesen$/ }).click();
    await k.expectHeading('Postfach', 'x');
    const answer = page.locator('.messages li', { hasText: `Re: ${subject}` });
    await expect(page.locator('.messages .subject').first()).toHaveText(`Re: ${subject}`);
    await expect(answer).toHaveClass(/\bunread\b/);
    await expect(answer).toContainText('Von uns');
    await answer.getByRole('button').click();
    await expect(answer).toContainText('Ja, bitte bringen Sie die Geburtsurkunde mit.');
    await expect(answer).not.toHaveClass(/\bunread\b/);
  });

  test('a kiosk refuses staff channels: WRONG_TERMINAL, and nothing changes', async ({ page, context, kiosk }) => {
    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    const accountOpened = counter.waitForResponse(/\/ipc\/counter\.account$/);
    await openAccount(counter, ERIKA.username, ['offen', 'vollständig']);
    const accountId = ((await (await accountOpened).json()) as { value: { accountId: string } }).value.accountId;
    const staffToken = staff.token();
    expect(staffToken).not.toBe('');
    const before = await accountAsShown(counter);

    // From the kiosk's own page, as a script on it would call: same origin, launch cookie, staff token.
    await openKiosk(page, kiosk);
    const fromKiosk = (channel: string, data: unknown, token = '') =>
      page.evaluate(
        async ({ channel, data, token }) => {
          const response = await fetch(`/ipc/${channel}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-kontokiosk-session': token },
            body: JSON.stringify(data),
          });
          return {
            status: response.status,
            session: response.headers.get('x-kontokiosk-session'),
            body: (await response.json()) as { ok: boolean; error?: { code: string } },
          };
        },
        { channel, data, token },
      );
    // More wrong passwords than the staff lock allows, then the right one: none of them counts.
    for (let i = 0; i < 6; i++) {
      const r = await fromKiosk('staff.login', { username: STAFF, password: 'Falsch*Passwort*1' });
      expect(r).toEqual({ status: 200, session: null, body: { ok: false, error: { code: 'WRONG_TERMINAL' } } });
    }
    expect(await fromKiosk('staff.login', { username: STAFF, password: STAFF_PASSWORD })).toEqual({
      status: 200,
      session: null,
      body: { ok: false, error: { code: 'WRONG_TERMINAL' } },
    });
    const letters = kiosk.letters().length;
    const action = { accountId, reason: 'Person am Schalter', document: 'ID_CARD' };
    for (const channel of ['counter.temporaryPassword', 'counter.issueLoginCode', 'counter.deleteAccount']) {
      const r = await fromKiosk(channel, channel === 'counter.deleteAccount' ? { ...action, confirm: true } : action, staffToken);
      expect(r.body).toEqual({ ok: false, error: { code: 'WRONG_TERMINAL' } });
    }
    expect(
      (await fromKiosk('counter.search', { query: { by: 'KVNR', kvnr: KVNR }, reason: 'Person am Schalter' }, staffToken)).body,
    ).toEqual({ ok: false, error: { code: 'WRONG_TERMINAL' } });
    expect(kiosk.letters()).toHaveLength(letters);

    // The account is as it was: nothing printed, nothing set, Erika's password still hers.
    const views = counter.locator('table.history tbody tr', { hasText: 'COUNTER_ACCOUNT_VIEWED' });
    const viewsBefore = await views.count();
    await button(counter, 'Aktualisieren').click();
    await expect(views).toHaveCount(viewsBefore + 1);
    expect(await accountAsShown(counter)).toEqual(before);
    expect(before.history.join('\n')).not.toContain('TEMPORARY_PASSWORD_SET');
    const k = new KioskPage(page);
    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Guten Tag, Erika', 'x');

    // The staff member is neither locked nor logged in elsewhere: password and second factor at the counter.
    await button(counter, 'Abmelden').click();
    await expect(h1(counter)).toHaveText('Anmeldung am Schalter');
    await staffLogin(counter, STAFF, STAFF_PASSWORD);
    await expect(h1(counter)).toHaveText('Bestätigungscode eingeben');
    await counter.locator('#totp-code').fill(staff.totp.generate({ timestamp: Date.now() + 30_000 }));
    await button(counter, 'Bestätigen').click();
    await expect(h1(counter)).toHaveText('Konto suchen');
  });
});

test.describe('with a registration in progress', () => {
  test.use({ kioskStaff: [{ username: STAFF, role: 'staff' }] });

  test('an e-mail code never used: the counter sends a new one, and only the new one confirms at the kiosk', async ({
    page,
    context,
    kiosk,
  }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    const oldCode = await kiosk.lastCode();
    await k.logout();

    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await openAccount(counter, ERIKA.username, ['E-Mail-Bestätigung offen']);
    await expect(counter.locator('dl.details')).toContainText('(nicht bestätigt)');
    await expect(counter.locator('[data-action="RESEND_EMAIL_CODE"]')).toHaveText('E-Mail-Code erneut senden');
    expect(outboxCount(kiosk, 'mail', /EMAIL_CODE/)).toBe(1);
    await runAction(counter, 'RESEND_EMAIL_CODE');
    await expect(counter.getByTestId('notice')).toHaveText('Ein neuer Bestätigungscode ist an die hinterlegte E-Mail-Adresse gesendet.');
    await expect.poll(() => outboxCount(kiosk, 'mail', /EMAIL_CODE/)).toBe(2);
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    expect(mail.to).toBe(ERIKA.email);
    const newCode = await kiosk.lastCode();
    expect(newCode).toMatch(/^\d{8}$/);
    expect(newCode).not.toBe(oldCode);

    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    await k.expectStep(2);
    await k.confirmEmail(ERIKA.email, oldCode);
    await expect(k.errorCode()).toHaveAttribute('data-code', 'CODE_INVALID');
    await k.confirmEmail(ERIKA.email, newCode);
    await k.expectHeading('Identität bestätigen', 'x');
    await k.expectStep(3);
  });

  test('identity confirmed in person at the counter: the next kiosk login goes straight to the mailbox step', async ({
    page,
    context,
    kiosk,
  }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.confirmEmail(ERIKA.email, await kiosk.lastCode());
    await k.expectHeading('Identität bestätigen', 'x');
    await k.expectStep(3);
    await k.logout();

    const staff = await staffReady(await context.newPage(), kiosk, STAFF);
    const counter = staff.page;
    await openAccount(counter, ERIKA.username, ['Identität offen']);
    await expect(counter.locator('dl.details')).toContainText('nicht bestätigt');
    await runAction(counter, 'CONFIRM_IDENTITY', 'Reisepass');
    await expect(counter.getByTestId('notice')).toHaveText('Die Identität ist bestätigt.');
    await expect(counter.locator('dl.details')).toContainText(/bestätigt am \d{2}\.\d{2}\.\d{4} \(am Schalter\)/);
    await expect(counter.locator('[data-action="CONFIRM_IDENTITY"]')).toHaveCount(0);

    const headings = await recordHeadings(page);
    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Sicheres Postfach aktivieren', 'x');
    await k.expectStep(4);
    expect(await headings()).toEqual(['Willkommen bei Kontokiosk', 'Anmelden', 'Sicheres Postfach aktivieren']);
    await k.button('Postfach aktivieren', 'x').click();
    await k.expectHeading('Geschafft, Erika!', 'x');
  });
});
