/**
 * Kiosk forms as a person meets them: after a failed submit every problem is listed at the top of
 * the form, in view and focused, each linked to its field; the fields name their own problem. In
 * kiosk mode the on-screen keyboard moves from field to field, keeps the field and the buttons above
 * itself, closes on a tap elsewhere and offers the keys the field needs. Both kiosk orientations.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, openKiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

const VIEWPORTS = [
  { name: 'landscape', width: 1280, height: 1024, shot: '32-error-summary' },
  { name: 'portrait', width: 1080, height: 1920, shot: '33-error-summary-portrait' },
] as const;

const summary = (page: Page) => page.locator('.error-summary');

/** The summary lists exactly these problems, in this order, each linked to its field; a link moves focus there. */
async function expectSummary(page: Page, problems: readonly { field: string; text: string | RegExp }[]): Promise<void> {
  const box = summary(page);
  await expect(box).toBeFocused();
  await expect(box).toBeInViewport();
  await expect(box.getByRole('heading', { name: 'Bitte korrigieren Sie:' })).toBeVisible();
  const links = box.getByRole('link');
  await expect(links).toHaveCount(problems.length);
  for (const [index, problem] of problems.entries()) {
    await expect(links.nth(index)).toHaveText(problem.text);
    await expect(links.nth(index)).toHaveAttribute('href', `#${problem.field}`);
    const field = page.locator(`#${problem.field}`);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAttribute('aria-describedby', new RegExp(`(^| )${problem.field}-error( |$)`));
    await expect(page.locator(`#${problem.field}-error`)).toHaveText(problem.text);
  }
  for (const [index, problem] of problems.entries()) {
    await links.nth(index).click();
    const field = page.locator(`#${problem.field}`);
    if (await field.isDisabled()) {
      // A consent box opens only after its text was read: the link leads to the button that opens it.
      await expect(field.locator('xpath=ancestor::div[1]').locator('button:focus')).toHaveCount(1);
    } else {
      await expect(field).toBeFocused();
      await expect(field).toBeInViewport();
    }
  }
}

for (const viewport of VIEWPORTS) {
  test.describe(`error summary, ${viewport.name}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('a registration with several problems lists them all at once, each linked to its field', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      await k.button('Onlinekonto anlegen.*', 'x').click();
      await page.locator('#reg-kvnr').fill(ERIKA.kvnr);
      await page.locator('#reg-birth').fill('31.02.19');
      await page.locator('#reg-first').fill(ERIKA.firstName);
      await page.locator('#reg-email').fill(ERIKA.email);
      await page.locator('#reg-password').fill(ERIKA.password);
      await page.locator('#reg-password2').fill('Anders*Pass9');
      await k.readConsent('privacy');
      await page.locator('#reg-privacy').check();
      await k.button('Konto anlegen', 'x').click();

      await expect(summary(page)).toHaveAttribute('data-code', 'DATE_INVALID');
      // The one message above the screen is not shown besides the summary.
      await expect(page.locator('[role="alert"]')).toHaveCount(0);
      await expect(page.locator('#reg-participation')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#reg-privacy')).not.toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#reg-kvnr')).not.toHaveAttribute('aria-invalid', 'true');
      await k.checkScreen(viewport.shot, false);
      await expectSummary(page, [
        { field: 'reg-birth', text: 'Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).' },
        { field: 'reg-last', text: 'Bitte füllen Sie „Nachname“ aus.' },
        { field: 'reg-username', text: 'Bitte füllen Sie „Benutzername“ aus.' },
        { field: 'reg-password2', text: 'Die beiden Passwörter stimmen nicht überein.' },
        { field: 'reg-participation', text: 'Bitte stimmen Sie der Teilnahmevereinbarung zu.' },
      ]);

      // In English too, and the summary takes focus again on the next failed submit.
      await k.toEnglish();
      await page.locator('#reg-last').fill(ERIKA.lastName);
      await k.button('x', 'Create account').click();
      await expect(summary(page).getByRole('heading', { name: 'Please correct:' })).toBeVisible();
      await expect(summary(page)).toBeFocused();
      await expect(summary(page).getByRole('link')).toHaveCount(4);
      await expect(page.locator('#reg-last')).not.toHaveAttribute('aria-invalid', 'true');
    });

    test('an answer of the main process about a field stands in the summary and at the field', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      await k.button('Onlinekonto anlegen.*', 'x').click();
      await k.fillRegistration({ ...ERIKA, password: 'mustermann' });
      await k.button('Konto anlegen', 'x').click();
      await expect(summary(page)).toHaveAttribute('data-code', 'PASSWORD_REJECTED');
      await expect(summary(page)).toBeFocused();
      await expect(summary(page)).toBeInViewport();
      await expect(summary(page).locator('[data-rule="CONTAINS_NAME"]')).toBeVisible();
      await expect(page.locator('#reg-password-error')).toContainText('Vor- oder Nachnamen');
      await expect(page.locator('#reg-password')).toHaveAttribute('aria-invalid', 'true');
      await summary(page).getByRole('link', { name: 'Das Passwort erfüllt die Regeln nicht:' }).click();
      await expect(page.locator('#reg-password')).toBeFocused();
    });

    test('the login form: empty fields in the summary; wrong credentials stay the one message', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      await k.button('Anmelden.*', 'x').first().click();
      await k.button('Anmelden', 'x').click();
      await expect(summary(page)).toHaveAttribute('data-code', 'REQUIRED');
      await k.checkScreen(`${viewport.shot}-login`, false);
      await expectSummary(page, [
        { field: 'login-username', text: 'Bitte füllen Sie „Benutzername“ aus.' },
        { field: 'login-password', text: 'Bitte füllen Sie „Passwort“ aus.' },
      ]);

      await page.locator('#login-username').fill('niemand.hier');
      await page.locator('#login-password').fill('Falsch*Pass1');
      await k.button('Anmelden', 'x').click();
      await expect(k.errorCode()).toHaveAttribute('data-code', 'INVALID_CREDENTIALS');
      await expect(k.errorCode()).toHaveText('Benutzername oder Passwort stimmen nicht.');
      await expect(k.errorCode()).toBeInViewport();
      await expect(summary(page)).toHaveCount(0);
      await expect(page.locator('#login-username')).not.toHaveAttribute('aria-invalid', 'true');
    });

    test('the forgot-password form: every empty field, then the unreadable date alone', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      await k.button('Anmelden.*', 'x').first().click();
      await page.getByRole('button', { name: 'Passwort vergessen?', exact: true }).click();
      await k.button('Code senden', 'x').click();
      await k.checkScreen(`${viewport.shot}-forgot`, false);
      await expectSummary(page, [
        { field: 'forgot-username', text: 'Bitte füllen Sie „Benutzername“ aus.' },
        { field: 'forgot-kvnr', text: 'Bitte füllen Sie „Versichertennummer“ aus.' },
        { field: 'forgot-birth', text: 'Bitte füllen Sie „Geburtsdatum“ aus.' },
      ]);
      await page.locator('#forgot-username').fill(ERIKA.username);
      await page.locator('#forgot-kvnr').fill(ERIKA.kvnr);
      await page.locator('#forgot-birth').fill('12.8.84');
      await k.button('Code senden', 'x').click();
      await expectSummary(page, [{ field: 'forgot-birth', text: 'Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).' }]);
      await expect(page.locator('#forgot-username')).not.toHaveAttribute('aria-invalid', 'true');
    });
  });
}

/** The keyboard's top edge: what stands above it is visible. */
async function keyboardTop(keyboard: Locator): Promise<number> {
  const box = await keyboard.boundingBox();
  if (!box) throw new Error('the keyboard is not shown');
  return box.y;
}

async function expectAbove(target: Locator, keyboard: Locator): Promise<void> {
  await expect(target).toBeInViewport({ ratio: 1 });
  const box = await target.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(await keyboardTop(keyboard));
}

for (const viewport of VIEWPORTS) {
  test.describe(`on-screen keyboard, ${viewport.name}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height }, kioskConfig: { kiosk: { enabled: true } } });

    test('Enter moves to the next field, submits only from the last; field and buttons stay above the keyboard', async ({
      page,
      kiosk,
    }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      const keyboard = page.getByRole('complementary', { name: 'Bildschirmtastatur' });
      await k.button('Onlinekonto anlegen.*', 'x').click();

      await page.locator('#reg-kvnr').click();
      await expect(keyboard).toBeVisible();
      await keyboard.getByRole('button', { name: 'Weiter zum nächsten Feld' }).click();
      await expect(page.locator('#reg-birth')).toBeFocused();
      // A physical Enter does the same, and neither sends the half-filled form.
      await page.keyboard.press('Enter');
      await expect(page.locator('#reg-first')).toBeFocused();
      await expect(summary(page)).toHaveCount(0);

      const submit = page.getByRole('button', { name: 'Konto anlegen', exact: true });
      await page.locator('#reg-password2').click();
      await expect(keyboard).toBeVisible();
      await expectAbove(page.locator('#reg-password2'), keyboard);
      await expectAbove(submit, keyboard);
      await expectAbove(page.getByRole('button', { name: 'Zurück', exact: true }), keyboard);

      // The last field's Enter submits: the summary shows, in view, and the keyboard makes way.
      await keyboard.getByRole('button', { name: 'Eingabe abschicken' }).click();
      await expect(summary(page)).toBeFocused();
      await expect(summary(page)).toBeInViewport();
      await expect(keyboard).toBeHidden();

      // A field reached through the summary is kept above the keyboard as well.
      await summary(page).getByRole('link', { name: 'Bitte füllen Sie „Benutzername“ aus.' }).click();
      await expect(page.locator('#reg-username')).toBeFocused();
      await expect(keyboard).toBeVisible();
      await expectAbove(page.locator('#reg-username'), keyboard);
    });

    test('a tap outside the fields and the keyboard closes it; a tap on a field opens it again', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      const keyboard = page.getByRole('complementary', { name: 'Bildschirmtastatur' });
      await k.button('Onlinekonto anlegen.*', 'x').click();
      await page.locator('#reg-first').click();
      await expect(keyboard).toBeVisible();
      // Typing on the keyboard does not close it.
      await keyboard.getByRole('button', { name: 'e', exact: true }).click();
      await expect(keyboard).toBeVisible();
      await page.locator('.lead').click();
      await expect(keyboard).toBeHidden();
      await expect(page.locator('#reg-first')).not.toBeFocused();
      await page.locator('#reg-first').click();
      await expect(keyboard).toBeVisible();
      await expect(page.locator('#reg-first')).toHaveValue('e');
    });

    test('each field gets the keys it needs: digits for codes and dates, @ at hand for e-mail', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      const keyboard = page.getByRole('complementary', { name: 'Bildschirmtastatur' });
      await k.button('Onlinekonto anlegen.*', 'x').click();

      await page.locator('#reg-email').click();
      await expect(keyboard).toHaveAttribute('data-layout', 'email');
      for (const key of ['@', '.', '-']) await expect(keyboard.getByRole('button', { name: key, exact: true })).toBeVisible();
      await expect(keyboard.getByRole('button', { name: 'Leerzeichen' })).toHaveCount(0);
      await keyboard.getByRole('button', { name: 'a', exact: true }).click();
      await keyboard.getByRole('button', { name: '@', exact: true }).click();
      await keyboard.getByRole('button', { name: 'b', exact: true }).click();
      await keyboard.getByRole('button', { name: '.de', exact: true }).click();
      await expect(page.locator('#reg-email')).toHaveValue('a@b.de');

      await page.locator('#reg-birth').click();
      await expect(keyboard).toHaveAttribute('data-layout', 'decimal');
      await expect(keyboard.getByRole('button', { name: '.', exact: true })).toBeVisible();
      await expect(keyboard.getByRole('button', { name: 'q', exact: true })).toHaveCount(0);

      // The insurance number starts with a letter: it keeps the full keyboard.
      await page.locator('#reg-kvnr').click();
      await expect(keyboard).toHaveAttribute('data-layout', 'text');
      await expect(keyboard.getByRole('button', { name: 'q', exact: true })).toBeVisible();

      await page.getByRole('button', { name: 'Zurück', exact: true }).click();
      await k.register(ERIKA);
      await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
      await page.locator('#confirm-code').click();
      await expect(keyboard).toHaveAttribute('data-layout', 'digits');
      for (const digit of '0123456789') await expect(keyboard.getByRole('button', { name: digit, exact: true })).toBeVisible();
      await expect(keyboard.getByRole('button', { name: 'q', exact: true })).toHaveCount(0);
      for (const digit of '1234') await keyboard.getByRole('button', { name: digit, exact: true }).click();
      await expect(page.locator('#confirm-code')).toHaveValue('1234');
      await expectAbove(page.getByRole('button', { name: 'Bestätigen', exact: true }), keyboard);
      await k.checkScreen(viewport.name === 'landscape' ? '34-keyboard-digits' : '34-keyboard-digits-portrait', false);
    });
  });
}
