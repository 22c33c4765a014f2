import { test, expect, openKiosk } from '../kiosk.js';
import { keyFromLetter } from '../outbox.js';
import { ERIKA, KioskPage } from '../pages.js';

test.describe('registration journey in the browser shell', () => {
  test('register, confirm the e-mail, get the letter, log in days later, enter the key, activate the mailbox (German)', async ({
    page,
    kiosk,
  }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.checkScreen('01-welcome');
    await k.button('Onlinekonto anlegen.*', 'Create online account.*').click();
    await k.expectStep(1);
    await k.checkScreen('02-register');
    await k.fillRegistration(ERIKA);
    await k.button('Konto anlegen', 'Create account').click();

    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    await k.expectStep(2);
    await expect(page.getByText('e***@example.org')).toBeVisible();
    await k.checkScreen('03-confirm-email');
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    expect(mail.to).toBe('erika@example.org');
    const code = /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '';
    expect(code).toMatch(/^\d{8}$/);

    // A wrong code first: the screen says how many tries remain.
    await k.confirmEmail('erika@example.org', code === '00000000' ? '11111111' : '00000000');
    await expect(k.errorCode()).toHaveAttribute('data-code', 'CODE_INVALID');
    await expect(k.errorCode()).toContainText('Noch 4 Versuche');
    await k.confirmEmail('Erika@Example.org', code);

    await k.expectHeading('Identität bestätigen', 'x');
    await k.expectStep(3);
    await k.checkScreen('04-choose-identity');
    await k.button('Aktivierungsschlüssel per Post.*', 'x').click();
    await k.expectHeading('Ihr Brief ist unterwegs', 'x');
    await k.checkScreen('05-letter-sent');

    const letter = kiosk.lastLetterText();
    expect(letter).toContain('Erika Mustermann');
    expect(letter).toContain('Heidestraße 17');
    expect(letter).toContain('51147 Köln');
    expect(letter).toContain('Kontokiosk · Musterallee 1 · 10115 Berlin');
    const key = keyFromLetter(letter);

    await k.logout();
    // Going back after the session ended shows nothing of the previous person.
    await page.goBack().catch(() => undefined);
    await expect(page.getByText('e***@example.org')).toHaveCount(0);

    await openKiosk(page, kiosk);
    await k.login('ERIKA.M', ERIKA.password);
    await k.expectHeading('Aktivierungsschlüssel eingeben', 'x');
    await k.expectStep(3);
    await k.checkScreen('06-enter-key');
    await k.enterKey(key.toLowerCase().replace(/-/g, ' '));

    await k.expectHeading('Sicheres Postfach aktivieren', 'x');
    await k.expectStep(4);
    await k.checkScreen('07-mailbox');
    await k.button('Postfach aktivieren', 'x').click();
    await k.expectHeading('Geschafft, Erika!', 'x');
    await expect(page.getByText('Ihr Onlinekonto ist eingerichtet und Ihr Postfach ist aktiv.')).toBeVisible();
    await k.checkScreen('08-done');
  });

  test('the POSTIDENT path: case, QR code, coupon, simulator success, e-mail, mailbox (English)', async ({ page, kiosk, browser }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.toEnglish();
    await k.expectHeading('Welcome to Kontokiosk', 'x');
    await k.register({ ...ERIKA, username: 'erika.post' });
    await k.expectHeading('x', 'Confirm your e-mail address');
    const code = await kiosk.lastCode();
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    expect(mail.subject).toBe('Kontokiosk: your confirmation code');
    await k.confirmEmail('erika@example.org', code);
    await k.expectHeading('x', 'Confirm your identity');
    await k.button('x', 'POSTIDENT by Deutsche Post.*').click();
    await k.expectHeading('x', 'Continue with POSTIDENT');
    await expect(page.getByText('Test mode: this is a POSTIDENT simulator, not a real identification.')).toBeVisible();
    await expect(page.getByRole('img', { name: 'QR code to continue on a smartphone' })).toBeVisible();
    await k.checkScreen('09-postident-en');
    const caseId = (await page.getByTestId('postident-case').textContent()) ?? '';
    expect(caseId).toMatch(/^SIM-[0-9A-F]{32}$/);

    await k.button('x', 'Print coupon').click();
    await expect(page.getByText('The coupon is being printed.')).toBeVisible();
    expect(kiosk.lastLetterText()).toContain(caseId);

    // The tester drives the simulator, as a phone would after scanning the QR code.
    const phone = await browser.newPage();
    await phone.goto(`${kiosk.postident}/case/${caseId}`);
    await expect(phone.getByRole('alert')).toContainText('SIMULATOR');
    await phone.getByRole('button', { name: /success/ }).click();
    await expect(phone.locator('#result')).toHaveText('reported');
    await phone.close();

    const confirmation = await kiosk.lastMail(/IDENTITY_CONFIRMED/);
    expect(confirmation.subject).toBe('Kontokiosk: your account is activated');
    await k.button('x', 'Check status').click();
    await k.expectHeading('x', 'Activate your secure mailbox');
    await k.checkScreen('10-mailbox-en');
    await k.button('x', 'Not now').click();
    await k.expectHeading('x', 'All done, Erika!');
    await expect(page.getByText('You can activate the mailbox later.')).toBeVisible();
  });

  test('a failed POSTIDENT case makes the next login offer the letter', async ({ page, kiosk, browser }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.confirmEmail(ERIKA.email, await kiosk.lastCode());
    await k.button('POSTIDENT der Deutschen Post.*', 'x').click();
    const caseId = (await page.getByTestId('postident-case').textContent()) ?? '';
    await k.logout();

    const phone = await browser.newPage();
    await phone.goto(`${kiosk.postident}/case/${caseId}`);
    await phone.getByRole('button', { name: /abandoned/ }).click();
    await phone.close();

    await k.login(ERIKA.username, ERIKA.password);
    await expect(page.getByText('Die Identifizierung mit POSTIDENT ist nicht abgeschlossen worden.', { exact: false })).toBeVisible();
    await expect(k.button('POSTIDENT der Deutschen Post.*', 'x')).toHaveCount(0);
    await k.checkScreen('11-postident-failed');
    await k.button('Aktivierungsschlüssel per Post.*', 'x').click();
    await k.expectHeading('Ihr Brief ist unterwegs', 'x');
  });

  test('a new letter voids the key on its way: the first request goes at once, a second one asks first', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.confirmEmail(ERIKA.email, await kiosk.lastCode());

    // Nothing on its way yet: no question.
    await k.button('Aktivierungsschlüssel per Post.*', 'x').click();
    await k.expectHeading('Ihr Brief ist unterwegs', 'x');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    expect(kiosk.letters()).toHaveLength(1);
    const oldKey = keyFromLetter(kiosk.lastLetterText());
    await k.logout();

    await k.login(ERIKA.username, ERIKA.password);
    await k.expectHeading('Aktivierungsschlüssel eingeben', 'x');
    const opener = k.button('Neuen Brief anfordern', 'x');
    const dialog = page.getByRole('alertdialog', { name: 'Neuen Brief anfordern?' });

    // Escape closes the question without doing anything; focus goes back to the button.
    await opener.click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('funktioniert der Schlüssel aus diesem Brief nicht mehr');
    await expect(dialog.getByRole('button', { name: 'Abbrechen' })).toBeFocused();
    await k.checkScreen('15-new-letter-confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Abbrechen' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();

    // "Cancel" as well, in English too.
    await k.toEnglish();
    await k.button('x', 'Ask for a new letter').click();
    const dialogEn = page.getByRole('alertdialog', { name: 'Ask for a new letter?' });
    await expect(dialogEn).toContainText('Only the key in the new letter will count.');
    await dialogEn.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialogEn).toHaveCount(0);
    await expect(k.button('x', 'Ask for a new letter')).toBeFocused();
    await k.expectHeading('x', 'Enter activation key');
    expect(kiosk.letters()).toHaveLength(1);

    // Confirming orders the new letter; from then on only its key counts.
    await k.button('x', 'Ask for a new letter').click();
    await dialogEn.getByRole('button', { name: 'Yes, ask for a new letter' }).click();
    await k.expectHeading('x', 'Your letter is on its way');
    expect(kiosk.letters()).toHaveLength(2);
    const newKey = keyFromLetter(kiosk.lastLetterText());
    expect(newKey).not.toBe(oldKey);
    await k.logout();

    await k.login(ERIKA.username, ERIKA.password);
    await k.enterKey(oldKey);
    await expect(k.errorCode()).toHaveAttribute('data-code', 'KEY_INVALID');
    await k.enterKey(newKey);
    await k.expectHeading('Sicheres Postfach aktivieren', 'x');
  });

  test('errors are named: register mismatch, password rules, missing consent', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.button('Onlinekonto anlegen.*', 'x').click();
    await k.fillRegistration({ ...ERIKA, password: 'mustermann' });
    await k.button('Konto anlegen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'PASSWORD_REJECTED');
    await expect(page.locator('[data-rule="CONTAINS_NAME"]')).toBeVisible();
    await expect(page.locator('[data-rule="TOO_FEW_CLASSES"]')).toBeVisible();
    await k.checkScreen('12-password-rules');

    await page.locator('#reg-password').fill(ERIKA.password);
    await page.locator('#reg-password2').fill(ERIKA.password);
    await page.locator('#reg-first').fill('Erica');
    await k.button('Konto anlegen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'REGISTER_MISMATCH');

    // Slips the screen can name itself: an unreadable date, two different passwords.
    await page.locator('#reg-birth').fill('31.02.19');
    await k.button('Konto anlegen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'DATE_INVALID');
    await expect(page.locator('#reg-birth-error')).toHaveText('Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).');
    await page.locator('#reg-birth').fill(ERIKA.birthDate);
    await page.locator('#reg-password2').fill('Anders*Pass9');
    await k.button('Konto anlegen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'PASSWORD_MISMATCH');
    await expect(page.locator('#reg-password2-error')).toHaveText('Die beiden Passwörter stimmen nicht überein.');
    await page.locator('#reg-password2').fill(ERIKA.password);

    await page.locator('#reg-first').fill('Erika');
    await page.locator('#reg-privacy').uncheck();
    await k.button('Konto anlegen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'CONSENT_REQUIRED');
  });
});
