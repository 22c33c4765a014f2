/**
 * The accessibility statement: reachable from the welcome screen only, in each kiosk language, in
 * that language's lang, free of axe-core violations; it names speech, keys, headphones, more time,
 * help, large text, high contrast and touch targets, says what is missing, and shows where the
 * counter is and the insurer's contact from the configuration. "Back" and Escape return to the
 * welcome screen.
 */
import AxeBuilder from '@axe-core/playwright';
import { de } from '../../../src-renderer/i18n/de.js';
import { en } from '../../../src-renderer/i18n/en.js';
import { tr } from '../../../src-renderer/i18n/tr.js';
import { test, expect, openKiosk } from '../kiosk.js';
import { KioskPage } from '../pages.js';

const CONTACT = { de: 'Servicetelefon 0800 111 222\nMo–Fr 8–18 Uhr', en: 'Service line +49 800 111 222\nMon–Fri 8 am–6 pm' };
test.use({ kioskConfig: { brand: { serviceContact: CONTACT } } });

const LANGUAGES = [
  { lang: 'de', name: 'Deutsch', t: de, contact: CONTACT.de },
  { lang: 'en', name: 'English', t: en, contact: CONTACT.en },
  // Letters' contact exists in German and English: Turkish shows the English one.
  { lang: 'tr', name: 'Türkçe', t: tr, contact: CONTACT.en },
] as const;

for (const { lang, name, t, contact } of LANGUAGES) {
  test(`the accessibility statement in ${name}`, async ({ page, kiosk }) => {
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    if (lang !== 'de') await k.toLanguage(name, lang);
    await page.getByRole('button', { name: t['welcome.accessibility'], exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['a11y.title']);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const main = page.locator('main');
    for (const key of [
      'a11y.offer.speech',
      'a11y.offer.keys',
      'a11y.offer.headphones',
      'a11y.offer.time',
      'a11y.offer.help',
      'a11y.offer.largeText',
      'a11y.offer.contrast',
      'a11y.offer.touch',
      'a11y.missing.documents',
    ] as const) {
      await expect(main).toContainText(t[key]);
    }
    await expect(page.getByTestId('a11y-where')).toHaveText(t === de ? /Schalter/ : t === en ? /counter/ : /gişe/);
    for (const line of contact.split('\n')) await expect(page.getByTestId('a11y-contact')).toContainText(line);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.getByRole('button', { name: t['a11y.back'] }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['welcome.title'].replace('{brand}', 'Kontokiosk'));
    // Escape is "back" on the keypad.
    await page.getByRole('button', { name: t['welcome.accessibility'], exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['a11y.title']);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['welcome.title'].replace('{brand}', 'Kontokiosk'));
  });
}

test('the statement is offered on the welcome screen only, where nobody loses their place', async ({ page, kiosk }) => {
  await openKiosk(page, kiosk);
  const link = page.getByRole('button', { name: de['welcome.accessibility'], exact: true });
  await expect(link).toHaveCount(1);
  await page.getByRole('button', { name: /Onlinekonto anlegen/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(de['welcome.title'].replace('{brand}', 'Kontokiosk'));
  await expect(link).toHaveCount(0);
});
