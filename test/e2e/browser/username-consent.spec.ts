import { test, expect, openKiosk } from '../kiosk.js';
import { keyFromLetter } from '../outbox.js';
import { ERIKA, KioskPage } from '../pages.js';

test.describe('the username, real consent texts, and what the kiosk says', () => {
  test('consent texts are read before agreeing; each step says what changed; the done screen names the username', async ({
    page,
    kiosk,
  }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.button('Onlinekonto anlegen.*', 'x').click();
    await expect(page.locator('#reg-privacy')).toBeDisabled();
    await expect(page.locator('#reg-participation')).toBeDisabled();

    // The dialog: headings from the file, focus on the scrollable text, the box opens at its end.
    await page.locator('#reg-read-privacy').click();
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog.getByRole('heading', { level: 2 })).toHaveText('Datenschutzhinweise für das Onlinekonto und das Postfach');
    await expect(dialog.getByRole('heading', { level: 3, name: 'Ihre Rechte' })).toBeVisible();
    await expect(dialog.locator('.consent-text')).toBeFocused();
    await expect(dialog.getByTestId('consent-read')).toHaveText(/Bitte lesen Sie den Text bis zum Ende/);
    await k.checkScreen('36-consent-dialog', false);
    // The keyboard alone reaches the end.
    for (let i = 0; i < 40; i++) await page.keyboard.press('PageDown');
    await expect(dialog.getByTestId('consent-read')).toHaveText(/bis zum Ende gelesen/);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('#reg-privacy')).toBeEnabled();
    await expect(page.locator('#reg-privacy')).toBeFocused();
    await expect(page.locator('#reg-participation')).toBeDisabled();

    await k.fillRegistration(ERIKA);
    await k.button('Konto anlegen', 'x').click();
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    expect(mail.text).toContain(`Ihr Benutzername, mit dem Sie sich anmelden: ${ERIKA.username}`);
    await k.confirmEmail(ERIKA.email, /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '');
    await k.expectHeading('Identität bestätigen', 'x');
    await expect(page.getByTestId('notice')).toHaveText('Ihre E-Mail-Adresse ist bestätigt.');
    await expect(page.getByTestId('signed-in')).toHaveText(`Angemeldet als ${ERIKA.username}`);

    await k.button('Aktivierungsschlüssel per Post.*', 'x').click();
    await k.expectHeading('Ihr Brief ist unterwegs', 'x');
    const key = keyFromLetter(kiosk.lastLetterText());
    await k.logout();
    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Aktivierungsschlüssel eingeben', 'x');
    await k.enterKey(key);
    await expect(page.getByTestId('notice')).toHaveText('Ihr Aktivierungsschlüssel ist angenommen: Ihre Identität ist bestätigt.');
    await k.button('Jetzt nicht', 'x').click();
    await k.expectHeading('Geschafft, Erika!', 'x');
    await expect(page.getByTestId('notice')).toHaveText(/Das Postfach bleibt ausgeschaltet/);
    await expect(page.getByTestId('done-username')).toHaveText(ERIKA.username);
    await k.checkScreen('37-done-username');
    await page.getByRole('button', { name: 'Postfach jetzt aktivieren' }).click();
    await expect(page.getByTestId('notice')).toHaveText('Ihr Postfach ist aktiviert.');
  });

  test('forgot username: the same words whatever the details; the code from the e-mail shows the username', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    await k.confirmEmail(ERIKA.email, /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '');
    await k.expectHeading('Identität bestätigen', 'x');
    await k.logout();

    await k.button('Anmelden.*', 'x').first().click();
    await k.button('Benutzername vergessen\\?', 'x').click();
    await k.expectHeading('Benutzername vergessen', 'x');
    // Details of nobody: the same answer as for Erika, and no e-mail.
    await page.locator('#fu-kvnr').fill('X110411675');
    await page.locator('#fu-birth').fill('01.01.1990');
    await Promise.all([page.waitForResponse(/\/ipc\/username\.forgot$/), k.button('Code senden', 'x').click()]);
    // The answer is in; the screen shows it a moment later.
    await expect(page.locator('.lead')).toContainText('Gehören die Angaben zu einem Onlinekonto');
    const lead = await page.locator('.lead').textContent();
    await k.button('Neuen Code anfordern', 'x').click();

    await page.locator('#fu-kvnr').fill(ERIKA.kvnr);
    await page.locator('#fu-birth').fill(ERIKA.birthDate);
    await k.button('Code senden', 'x').click();
    await expect(page.locator('.lead')).toHaveText(lead ?? '');
    const codeMail = await kiosk.lastMail(/USERNAME_CODE/);
    expect(codeMail.to).toBe(ERIKA.email);
    expect(codeMail.text).not.toContain(ERIKA.username);
    const code = /\b(\d{8})\b/.exec(codeMail.text)?.[1] ?? '';
    await page.locator('#fu-code').fill(code === '00000000' ? '11111111' : '00000000');
    await k.button('Benutzernamen anzeigen', 'x').click();
    // Named at the field: one refusal for every reason, so a wrong code tells nothing about the details.
    await expect(page.locator('#fu-code')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(/^Dieser Code wird nicht angenommen/).first()).toBeVisible();
    await page.locator('#fu-code').fill(code);
    await k.button('Benutzernamen anzeigen', 'x').click();
    await expect(page.getByTestId('username-shown')).toHaveText(ERIKA.username);
    await expect(page.getByTestId('notice')).toHaveText('Ihr Benutzername wird angezeigt.');
    await k.checkScreen('35-forgot-username');
    await k.button('Weiter zur Anmeldung', 'x').click();
    await k.expectHeading('Anmelden', 'x');
  });
});
