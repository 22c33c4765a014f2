/**
 * Every kiosk screen a person can reach, in each of the kiosk's languages: axe-core finds no
 * violation and the page's lang names the language shown (screen readers pick their voice by it).
 * One session per language walks the whole journey: registration (with the error summary, the
 * consent dialog and the idle warning), identity, mailbox, the services behind login and mTAN, the
 * login helpers, and the locked and deactivated messages (caused quickly through the HTTP interface).
 * Then a portrait pass at 1080×1920 in German; its screenshots p01…p05 go to
 * $KONTOKIOSK_SCREENSHOTS (docs/screenshots) when that is set.
 * Button names come from the catalogues themselves, so a changed translation does not break the walk.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { de } from '../../../src-renderer/i18n/de.js';
import { en } from '../../../src-renderer/i18n/en.js';
import { tr } from '../../../src-renderer/i18n/tr.js';
import { test, expect, openKiosk, type Kiosk } from '../kiosk.js';
import { keyFromLetter } from '../outbox.js';
import { ERIKA, KioskPage } from '../pages.js';

type Texts = Readonly<Record<keyof typeof de, string>>;

const LANGUAGES = [
  { lang: 'de', name: 'Deutsch', t: de },
  { lang: 'en', name: 'English', t: en },
  { lang: 'tr', name: 'Türkçe', t: tr },
] as const satisfies readonly { lang: string; name: 'Deutsch' | 'English' | 'Türkçe'; t: Texts }[];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A catalogue text as a pattern: placeholders match anything. */
const pattern = (text: string, whole = true) =>
  new RegExp(
    `^${text
      .split(/\{\w+\}/)
      .map(escape)
      .join('.*')}${whole ? '$' : ''}`,
  );
const code6 = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';
const lastSmsOrNone = (kiosk: Kiosk) => {
  try {
    return kiosk.lastSms();
  } catch {
    return '';
  }
};

/** Does what sends an SMS and returns the code of the SMS it sent (not of an earlier one still in the outbox). */
async function codeBySms(kiosk: Kiosk, send: () => Promise<void>): Promise<string> {
  const before = lastSmsOrNone(kiosk);
  await send();
  await expect.poll(() => lastSmsOrNone(kiosk)).not.toBe(before);
  return code6(kiosk.lastSms());
}

/** The screen in the named language and free of axe-core violations; `visited` records what was checked. */
async function checkScreen(page: Page, lang: string, name: string, visited: string[]): Promise<void> {
  await expect(page.locator('html'), name).toHaveAttribute('lang', lang);
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `${lang} ${name}`,
  ).toEqual([]);
  visited.push(name);
}

/** A failed login straight through the kiosk's interface, as the screens would send it. */
async function loginOverHttp(page: Page, kiosk: Kiosk, password: string): Promise<string> {
  const response = await page.request.post(`${kiosk.origin}/ipc/session.login`, {
    headers: { origin: kiosk.origin, 'content-type': 'application/json' },
    data: { username: ERIKA.username, password },
  });
  return ((await response.json()) as { error?: { code: string } }).error?.code ?? 'OK';
}

for (const { lang, name, t } of LANGUAGES) {
  test(`every kiosk screen in ${name}: no axe-core violations, lang="${lang}"`, async ({ page, kiosk }) => {
    test.setTimeout(300_000);
    await page.clock.install();
    const k = new KioskPage(page);
    const visited: string[] = [];
    const check = (screen: string) => checkScreen(page, lang, screen, visited);
    const button = (key: keyof Texts, whole = true) => page.getByRole('button', { name: pattern(t[key], whole) });
    const h1 = page.getByRole('heading', { level: 1 });
    const expectTitle = (key: keyof Texts) => expect(h1).toHaveText(pattern(t[key]));
    // Logging out returns the kiosk to German for the next person: choose the language again.
    const logout = async () => {
      await button('common.logout').first().click();
      await expect(h1).toHaveText(pattern(de['welcome.title']));
      await k.toLanguage(name, lang);
    };
    const login = async (password = ERIKA.password) => {
      await button('welcome.login', false).first().click();
      await page.locator('#login-username').fill(ERIKA.username);
      await page.locator('#login-password').fill(password);
      await button('login.submit').click();
    };

    await openKiosk(page, kiosk);
    await k.toLanguage(name, lang);
    await expectTitle('welcome.title');
    await check('welcome');

    // Registration: a failed submit first, then the consent dialog, the idle warning, the real submit.
    await button('welcome.register', false).click();
    await expectTitle('register.title');
    await check('register');
    await button('register.submit').click();
    await expect(page.locator('.error-summary')).toBeFocused();
    await expect(page.locator('.error-summary').getByRole('heading', { name: t['form.summary'] })).toBeVisible();
    await check('register-error-summary');
    await page.locator('#reg-read-privacy').click();
    const consent = page.getByTestId('consent-dialog');
    await expect(consent.getByTestId('consent-read')).toHaveText(t['consent.readHint']);
    await check('consent-dialog');
    await consent.getByRole('button', { name: t['consent.close'], exact: true }).click();
    await k.fillRegistration(ERIKA);
    await page.clock.fastForward(91_000);
    const idle = page.getByRole('alertdialog', { name: t['idle.title'] });
    await expect(idle).toBeVisible();
    await check('idle-warning');
    await idle.getByRole('button', { name: t['idle.continue'], exact: true }).click();
    await expect(idle).toHaveCount(0);
    await button('register.submit').click();

    await expectTitle('email.title');
    await check('confirm-email');
    await page.locator('#confirm-email').fill(ERIKA.email);
    await page.locator('#confirm-code').fill(await kiosk.lastCode());
    await button('email.submit').click();

    await expectTitle('identity.title');
    await check('choose-identity');
    await button('identity.postident', false).click();
    await expectTitle('postident.title');
    await expect(page.getByRole('img', { name: t['postident.qrAlt'] })).toBeVisible();
    await check('postident');
    await button('postident.insteadLetter').click();
    await expectTitle('letterSent.title');
    await check('letter-sent');
    const key = keyFromLetter(kiosk.lastLetterText());

    // Help is the same dialog on every screen.
    await page.getByRole('banner').getByRole('button', { name: t['help.button'] }).click();
    const help = page.getByRole('dialog', { name: t['help.title'] });
    await expect(help).toBeVisible();
    await check('help-dialog');
    await help.getByRole('button', { name: t['help.close'], exact: true }).click();
    await expect(help).toHaveCount(0);

    await logout();
    await login();
    await expectTitle('key.title');
    await check('enter-key');
    await page.locator('#key-input').fill(key);
    await button('key.submit').click();
    await expectTitle('mailbox.title');
    await check('mailbox-consent');
    await button('mailbox.accept').click();
    await expectTitle('done.title');
    await check('done');

    // The services behind the login.
    await logout();
    await login();
    await expectTitle('home.title');
    await check('home');
    await button('home.mailbox', false).click();
    await expectTitle('mailboxView.title');
    await page.locator('.messages button.message').first().click();
    await expect(page.locator('.messages button.message').first()).toHaveAttribute('aria-expanded', 'true');
    await check('mailbox-messages');
    await button('common.back').click();

    await button('home.mtan').click();
    await expectTitle('mtan.title');
    await check('mtan');
    await button('mtan.start').click();
    await page.locator('#mtan-card').fill('12345');
    await button('common.next').click();
    await expect(page.locator('#mtan-phone')).toBeVisible();
    await check('mtan-phone');
    await page.locator('#mtan-phone').fill('0151 23456789');
    const mtanCode = await codeBySms(kiosk, () => button('mtan.sendCode').click());
    await expect(page.locator('#mtan-code')).toBeVisible();
    await page.locator('#mtan-code').fill(mtanCode);
    await check('mtan-code');
    await button('mtan.confirm').click();
    await expect(page.getByText(pattern(t['mtan.active']))).toBeVisible();
    await check('mtan-active');
    await button('common.back').click();

    await button('home.receipt').click();
    await expectTitle('receipt.title');
    const tan = await codeBySms(kiosk, () => button('tan.request').click());
    await page.locator('#tan').fill(tan);
    await check('receipt-tan');
    await button('tan.submit').click();
    await expect(page.getByTestId('receipt-total')).toBeVisible();
    await check('receipt');
    await button('common.back').click();

    await button('home.personal').click();
    await expectTitle('personal.title');
    await expect(page.getByTestId('address')).toContainText('Heidestraße 17');
    await check('personal-data');
    await button('common.back').click();

    await button('change.open').click();
    await expectTitle('change.title');
    await check('change-password');
    await button('common.back').click();

    await button('home.delete').click();
    await expectTitle('delete.title');
    await check('delete-account');
    await button('common.back').click();
    await expectTitle('home.title');

    // The ways in without a password.
    await logout();
    await button('welcome.loginCode', false).click();
    await expectTitle('loginCode.title');
    await page.locator('#lc-kvnr').fill('A123456780');
    await page.locator('#lc-birth').fill(ERIKA.birthDate);
    await page.locator('#lc-code').fill('ABCD-EFGH-JKLM');
    await check('login-code');
    await button('common.back').click();
    await button('welcome.login', false).first().click();
    await expectTitle('login.title');
    await check('login');
    await button('login.forgot').click();
    await expectTitle('forgot.title');
    await check('forgot-password');
    await button('common.back').click();
    await button('login.forgotUsername').click();
    await expectTitle('forgotUser.title');
    await check('forgot-username');
    await button('common.back').click();
    await expectTitle('login.title');

    // Four failures through the interface, the fifth on the screen locks the account.
    for (let i = 0; i < 4; i++) expect(await loginOverHttp(page, kiosk, 'Falsch*Pass1')).toBe('INVALID_CREDENTIALS');
    await page.locator('#login-username').fill(ERIKA.username);
    await page.locator('#login-password').fill('Falsch*Pass1');
    await button('login.submit').click();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_LOCKED');
    await expect(k.errorCode()).toContainText(pattern(t['error.ACCOUNT_LOCKED'].split('{until}')[0] ?? '', false));
    await check('locked');
    // Any attempt during the lock, even with the right password, deactivates the account.
    expect(await loginOverHttp(page, kiosk, ERIKA.password)).toBe('ACCOUNT_DEACTIVATED');
    await button('common.back').click();
    await login();
    await expect(k.errorCode()).toHaveAttribute('data-code', 'ACCOUNT_DEACTIVATED');
    await expect(k.errorCode()).toHaveText(t['error.ACCOUNT_DEACTIVATED']);
    await check('deactivated');

    expect(visited).toHaveLength(30);
  });
}

test.describe('portrait kiosk, 1080×1920', () => {
  test.use({ viewport: { width: 1080, height: 1920 } });

  test('welcome, registration, confirm e-mail (German)', async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await k.checkScreen('p01-welcome', false);
    await k.button('Onlinekonto anlegen.*', 'x').click();
    await k.fillRegistration(ERIKA);
    await k.checkScreen('p02-register', false);
    await k.button('Konto anlegen', 'x').click();
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    await k.checkScreen('p03-confirm-email', false);
  });

  test.describe('with an account that has mTAN', () => {
    test.use({ kioskSeed: 'mtan' });

    test('home and the patient receipt (German)', async ({ page, kiosk }) => {
      const k = new KioskPage(page);
      await openKiosk(page, kiosk);
      await k.login(ERIKA.username, ERIKA.password);
      await k.expectHeading('Guten Tag, Erika', 'x');
      await k.checkScreen('p04-home', false);
      await k.button('Patientenquittung', 'x').click();
      const tan = await codeBySms(kiosk, () => k.button('TAN per SMS anfordern', 'x').click());
      await page.locator('#tan').fill(tan);
      await k.button('Bestätigen', 'x').click();
      await expect(page.getByTestId('receipt-total')).toHaveText(/260,23\s€/);
      await k.checkScreen('p05-receipt', false);
    });
  });
});
