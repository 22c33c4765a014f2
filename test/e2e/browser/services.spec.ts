import { execFileSync } from 'node:child_process';
import { test, expect, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

const code6 = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';

async function loginHome(k: KioskPage, kiosk: Kiosk): Promise<void> {
  await openKiosk(k.page, kiosk);
  await k.login(ERIKA.username, ERIKA.password);
  await k.expectHeading('Guten Tag, Erika', 'Hello, Erika');
}

test.describe('with an activated account', () => {
  test.use({ kioskSeed: 'active' });

  test('mTAN enrolment, then the patient receipt behind a TAN', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    await k.checkScreen('20-home');
    await k.button('Patientenquittung', 'x').click();
    await expect(page.getByText('Richten Sie bitte zuerst das mTAN-Verfahren ein.')).toBeVisible();
    await k.button('mTAN einrichten', 'x').click();
    await k.expectHeading('mTAN-Verfahren', 'x');
    await k.button('mTAN einrichten', 'x').click();

    await page.locator('#mtan-card').fill('99999');
    await k.button('Weiter', 'x').click();
    await expect(k.errorCode()).toContainText('Noch 2 Versuche');
    await page.locator('#mtan-card').fill('12345');
    await k.button('Weiter', 'x').click();
    await k.checkScreen('21-mtan-phone');

    await page.locator('#mtan-phone').fill('030 1234567');
    await k.button('Code per SMS senden', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'PHONE_NOT_MOBILE');
    await page.locator('#mtan-phone').fill('0151 23456789');
    await k.button('Code per SMS senden', 'x').click();
    await expect(page.getByText('Wir haben einen Code an +49 ••• 6789 geschickt.')).toBeVisible();
    expect(kiosk.lastSms()).toContain('To: +4915123456789');
    await page.locator('#mtan-code').fill(code6(kiosk.lastSms()));
    await k.button('mTAN freischalten', 'x').click();
    await expect(page.getByText('mTAN ist freigeschaltet für +49 ••• 6789.')).toBeVisible();
    await expect(page.getByText('mTAN ist eingerichtet für +49 ••• 6789.')).toBeVisible();

    await k.button('Zurück', 'x').click();
    await k.button('Patientenquittung', 'x').click();
    await k.button('TAN per SMS anfordern', 'x').click();
    await expect(page.getByText('Wir haben eine TAN an +49 ••• 6789 geschickt.', { exact: false })).toBeVisible();
    const sms = kiosk.lastSms();
    expect(sms).toContain('Patientenquittung anzeigen');
    await page.locator('#tan').fill(code6(sms));
    await k.checkScreen('22-receipt-tan');
    await k.button('Bestätigen', 'x').click();
    await expect(page.getByTestId('receipt-total')).toHaveText(/260,23\s€/);
    await expect(page.getByRole('cell', { name: 'Klinikum Nordstadt' })).toBeVisible();
    await k.checkScreen('23-receipt');
  });

  test('login with a login code: one session, then the code is void', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    const code = kiosk.seed.loginCode ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await k.button('Mit Login-Code anmelden.*', 'x').click();
    await page.locator('#lc-kvnr').fill('A123456780');
    await page.locator('#lc-birth').fill('12.08.1984');
    await page.locator('#lc-code').fill(code.toLowerCase());
    await k.checkScreen('24-login-code');
    await k.button('Anmelden', 'x').click();
    await k.expectHeading('Guten Tag, Erika', 'x');
    await k.logout();

    await k.button('Mit Login-Code anmelden.*', 'x').click();
    await page.locator('#lc-kvnr').fill('A123456780');
    await page.locator('#lc-birth').fill('12.08.1984');
    await page.locator('#lc-code').fill(code);
    await k.button('Anmelden', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'LOGIN_CODE_INVALID');
  });

  test('deleting the online account: password and confirmation, then no login', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    await k.button('Onlinekonto löschen', 'x').click();
    await page.locator('#delete-password').fill('Falsch*Pass1');
    await page.locator('#delete-confirm').check();
    await k.button('Onlinekonto löschen', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'PASSWORD_WRONG');
    await page.locator('#delete-password').fill(ERIKA.password);
    await k.checkScreen('25-delete');
    await k.button('Onlinekonto löschen', 'x').click();
    await k.expectHeading('Willkommen bei Kontokiosk', 'x');
    await expect(page.getByText('Ihr Onlinekonto ist gelöscht.')).toBeVisible();
    await k.login(ERIKA.username, ERIKA.password);
    await expect(k.errorCode()).toHaveAttribute('data-code', 'INVALID_CREDENTIALS');
  });

  test('changing the password: current one, policy, not a recent one', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    await k.button('Passwort ändern', 'x').click();
    await page.locator('#change-current').fill(ERIKA.password);
    await page.locator('#change-password').fill(ERIKA.password);
    await page.locator('#change-password2').fill(ERIKA.password);
    await k.button('Passwort speichern', 'x').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'PASSWORD_REUSED');
    await page.locator('#change-current').fill(ERIKA.password);
    await page.locator('#change-password').fill('Neue*Wiese42');
    await page.locator('#change-password2').fill('Neue*Wiese42');
    await k.checkScreen('28-change-password');
    await k.button('Passwort speichern', 'x').click();
    await expect(page.getByText('Ihr Passwort wurde geändert.')).toBeVisible();
    await k.expectHeading('Guten Tag, Erika', 'x');
    expect((await kiosk.lastMail(/PASSWORD_CHANGED/)).subject).toContain('Passwort wurde geändert');
  });

  test('mailbox: the insurer’s messages, writing to the insurer', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    await page.getByRole('button', { name: /^Postfach\s*2 ungelesen$/ }).click();
    await expect(page.getByRole('button', { name: /Willkommen in Ihrem sicheren Postfach/ })).toBeVisible();
    await page.getByRole('button', { name: /Willkommen in Ihrem sicheren Postfach/ }).click();
    await expect(page.getByText('Ab jetzt erhalten Sie unsere Schreiben auch hier')).toBeVisible();
    await page.locator('#mail-subject').fill('Frage zur Bescheinigung');
    await page.locator('#mail-body').fill('Guten Tag, ich brauche eine Bescheinigung für meinen Arbeitgeber.');
    await k.button('Senden', 'x').click();
    await expect(page.getByText('Ihre Nachricht ist bei uns angekommen.')).toBeVisible();
    await expect(page.getByRole('button', { name: /Frage zur Bescheinigung/ })).toBeVisible();
    await expect(page.locator('.messages .subject')).toHaveText([
      'Frage zur Bescheinigung',
      'Willkommen in Ihrem sicheren Postfach',
      'Ihr Bonusprogramm',
    ]);
    await k.checkScreen('26-mailbox');

    // Leaving the mailbox asks once more, then deletes its messages.
    await k.button('Postfach abmelden', 'x').click();
    await expect(page.getByText('Wenn Sie das Postfach abmelden, werden alle Nachrichten darin gelöscht.')).toBeVisible();
    await k.button('Postfach abmelden', 'x').click();
    await expect(page.getByText('Das Postfach ist abgemeldet; die Nachrichten sind gelöscht.')).toBeVisible();
    await expect(k.button('Postfach jetzt aktivieren', 'x')).toBeVisible();
  });
});

test.describe('with an account that has mTAN', () => {
  test.use({ kioskSeed: 'mtan' });

  test('changing the mobile number: a TAN to the old number, then the enrolment for the new one', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    await k.button('Persönliche Daten', 'x').click();
    await expect(page.getByTestId('address')).toContainText('Heidestraße 17');
    await expect(page.getByTestId('mobile')).toHaveText('+49 ••• 6789');
    await k.checkScreen('27-personal-data');
    await k.button('Mobilnummer ändern', 'x').click();
    await page.locator('#new-mobile').fill('+43 664 1234567');
    await k.button('TAN per SMS anfordern', 'x').click();
    await expect(page.getByText('Wir haben eine TAN an +49 ••• 6789 geschickt.', { exact: false })).toBeVisible();
    const tanSms = kiosk.lastSms();
    expect(tanSms).toContain('To: +4915123456789');
    expect(tanSms).toContain('Mobilnummer ändern');
    await page.locator('#tan-mobile').fill(code6(tanSms));
    await k.button('Bestätigen', 'x').click();

    await k.expectHeading('mTAN-Verfahren', 'x');
    await page.locator('#mtan-card').fill('12345');
    await k.button('Weiter', 'x').click();
    await expect(page.getByText('Wir haben einen Code an +43 ••• 4567 geschickt.')).toBeVisible();
    expect(kiosk.lastSms()).toContain('To: +436641234567');
    await page.locator('#mtan-code').fill(code6(kiosk.lastSms()));
    await k.button('mTAN freischalten', 'x').click();
    await expect(page.getByText('mTAN ist eingerichtet für +43 ••• 4567.')).toBeVisible();
  });

  test('the membership certificate opens as a PDF file and is not kept in the outbox', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await loginHome(k, kiosk);
    const lettersBefore = kiosk.letters();
    const download = page.waitForEvent('download');
    await k.button('Mitgliedsbescheinigung', 'x').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Kontokiosk-Dokument.pdf');
    await expect(page.getByText('Ihre Mitgliedsbescheinigung ist fertig.')).toBeVisible();
    const text = execFileSync('pdftotext', ['-layout', await file.path(), '-']).toString('utf8');
    expect(text).toContain('Mitgliedsbescheinigung');
    expect(text).toContain('A123456780');
    expect(kiosk.letters()).toEqual(lettersBefore);
  });
});
