/**
 * The kiosk in Turkish (the journey to step 3, every screen free of axe-core violations) and the help
 * button on every screen: its dialog, a call that reaches the counter's inbox, and "done" there.
 * Screenshots 38-help and 39-turkish-register go to $KONTOKIOSK_SCREENSHOTS (docs/screenshots).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { test, expect, openCounter, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

const STAFF = 'carla.berger';
const STAFF_PASSWORD = 'Schalter*Linde*2026';
const TURKISH_MONTH = /(Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık)/;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function noViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function expectTurkishStep(page: Page, n: number, label: string): Promise<void> {
  const current = page.locator('.steps li[aria-current="step"]');
  await expect(current.locator('.number')).toHaveText(String(n));
  await expect(current.locator('.label')).toHaveText(label);
  await expect(page.locator('.steps')).toContainText(`Adım ${n} / 4`);
  await expect(page.getByRole('navigation', { name: 'Kayıt ilerlemesi' })).toBeVisible();
}

/** A staff member's first login at the counter: one-time password, own password, TOTP enrolment. */
async function staffReady(counter: Page, kiosk: Kiosk): Promise<void> {
  await openCounter(counter, kiosk);
  await counter.locator('#login-username').fill(STAFF);
  await counter.locator('#login-password').fill(kiosk.staff[STAFF] ?? '');
  await counter.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await expect(h1(counter)).toHaveText('Eigenes Passwort wählen');
  await counter.locator('#replace-new').fill(STAFF_PASSWORD);
  await counter.locator('#replace-repeat').fill(STAFF_PASSWORD);
  await counter.getByRole('button', { name: 'Passwort speichern', exact: true }).click();
  await expect(h1(counter)).toHaveText('Authenticator-App einrichten');
  const shown = (await counter.getByTestId('totp-secret').textContent()) ?? '';
  await counter.locator('#enrol-code').fill(new TOTP({ secret: Secret.fromBase32(shown.replace(/\s/g, '')) }).generate());
  await counter.getByRole('button', { name: 'Einrichtung abschließen', exact: true }).click();
  await expect(h1(counter)).toHaveText('Konto suchen');
}

test.describe('the kiosk in Turkish', () => {
  test('Türkçe on the welcome screen, register, confirm the e-mail, reach step 3; no axe violations', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.toLanguage('Türkçe', 'tr');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expect(h1(page)).toHaveText('Kontokiosk hizmetine hoş geldiniz');
    await noViolations(page);

    await page.getByRole('button', { name: /^Çevrimiçi hesap oluştur/ }).click();
    await expect(h1(page)).toHaveText('Çevrimiçi hesap oluştur');
    await expectTurkishStep(page, 1, 'Hesap oluştur');
    await k.fillRegistration(ERIKA);
    await k.checkScreen('39-turkish-register');
    await page.getByRole('button', { name: 'Hesap oluştur', exact: true }).click();

    await expect(h1(page)).toHaveText('E-posta adresini onayla');
    await expectTurkishStep(page, 2, 'E-postayı onayla');
    await expect(page.getByText('e***@example.org')).toBeVisible();
    await noViolations(page);
    // E-mails to a person who registered in Turkish go in German (README: languages).
    const mail = await kiosk.lastMail(/EMAIL_CODE/);
    expect(mail.subject).toContain('Ihr Bestätigungscode');
    const code = /\b(\d{8})\b/.exec(mail.text)?.[1] ?? '';
    await page.locator('#confirm-email').fill(ERIKA.email);
    await page.locator('#confirm-code').fill(code === '00000000' ? '11111111' : '00000000');
    await page.getByRole('button', { name: 'Onayla', exact: true }).click();
    await expect(page.getByText('E-posta adresi veya kod doğru değil. Kalan deneme: 4.').first()).toBeVisible();
    await page.locator('#confirm-code').fill(code);
    await page.getByRole('button', { name: 'Onayla', exact: true }).click();

    await expect(h1(page)).toHaveText('Kimliği onayla');
    await expectTurkishStep(page, 3, 'Kimliği onayla');
    await noViolations(page);
    await page.getByRole('button', { name: /^Posta ile etkinleştirme anahtarı/ }).click();
    await expect(h1(page)).toHaveText('Mektubunuz yolda');
    await expect(page.locator('.lead')).toContainText(TURKISH_MONTH);
    await expectTurkishStep(page, 3, 'Kimliği onayla');
    await noViolations(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'tr');

    // Logging out returns the next person to German.
    await page.getByRole('banner').getByRole('button', { name: 'Bitir ve çıkış yap' }).click();
    await expect(h1(page)).toHaveText('Willkommen bei Kontokiosk');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  });
});

test.describe('help on every kiosk screen', () => {
  test.use({ kioskStaff: [{ username: STAFF, role: 'staff' }] });

  test('the same button everywhere, the dialog, a call seen at the counter and closed there', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    const helpButton = page.getByRole('banner').getByRole('button', { name: /Hilfe|Help|Yardım/ });
    const places: { x: number; y: number }[] = [];
    for (const open of [
      async () => undefined,
      () => page.getByRole('button', { name: /^Onlinekonto anlegen/ }).click(),
      () => page.getByRole('button', { name: 'Zurück' }).first().click(),
      () =>
        page
          .getByRole('button', { name: /^Anmelden/ })
          .first()
          .click(),
    ]) {
      await open();
      const box = await helpButton.boundingBox();
      places.push({ x: Math.round(box?.x ?? -1), y: Math.round(box?.y ?? -1) });
    }
    expect(new Set(places.map((p) => `${p.x},${p.y}`)).size).toBe(1);

    await helpButton.click();
    const dialog = page.getByRole('dialog', { name: 'Hilfe' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('help-where')).toHaveText(
      'Unser Kundenservice ist am Schalter im Eingangsbereich. Sprechen Sie uns gern an.',
    );
    await expect(page.getByRole('main')).toHaveAttribute('inert', '');
    await dialog.getByRole('button', { name: 'Jemanden rufen' }).click();
    await expect(dialog.getByRole('status')).toContainText('Wir haben Bescheid gegeben.');
    await k.checkScreen('38-help');
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await expect(helpButton).toBeFocused();

    // A second call while the first is open: someone is already on the way (Turkish this time).
    await k.toLanguage('Türkçe', 'tr');
    await helpButton.click();
    const yardim = page.getByRole('dialog', { name: 'Yardım' });
    await expect(yardim.getByTestId('help-where')).toHaveText(
      'Müşteri hizmetlerimiz giriş alanındaki gişededir. Bize seve seve danışabilirsiniz.',
    );
    await yardim.getByRole('button', { name: 'Birini çağır' }).click();
    await expect(yardim.getByRole('status')).toContainText('Biri zaten size doğru geliyor');
    await noViolations(page);
    await page.keyboard.press('Escape');
    await expect(yardim).toHaveCount(0);

    // The counter sees the request, counted in the navigation and at the top of the inbox.
    const counter = await page.context().newPage();
    await staffReady(counter, kiosk);
    const count = counter.getByTestId('help-count');
    await expect(count).toContainText('Hilfe: 1');
    await counter
      .getByRole('navigation')
      .getByRole('button', { name: /^Posteingang/ })
      .click();
    const requests = counter.getByTestId('help-requests');
    await expect(requests.locator('tbody tr')).toHaveCount(1);
    await expect(requests.locator('tbody tr').first()).toContainText('kiosk-1');
    await expect(requests.locator('tbody tr').first()).toContainText('offen');
    await noViolations(counter);
    await counter.getByRole('button', { name: 'Hilferuf von kiosk-1 erledigt' }).click();
    await expect(counter.getByTestId('notice')).toHaveText('Der Hilferuf ist erledigt.');
    await expect(requests.locator('tbody tr').first()).toContainText('erledigt um');
    await expect(count).toHaveCount(0);

    // Once done, the kiosk may call again.
    await page.bringToFront();
    await helpButton.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Birini çağır' }).click();
    await expect(page.getByRole('dialog').getByRole('status')).toContainText('Haber verdik.');
  });
});
