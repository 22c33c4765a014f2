import { test, expect, openKiosk } from '../kiosk.js';
import { KioskPage } from '../pages.js';

test.use({ kioskConfig: { kiosk: { enabled: true } } });

test('kiosk mode: the on-screen keyboard types into the focused field', async ({ page, kiosk }) => {
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  const keyboard = page.getByRole('complementary', { name: 'Bildschirmtastatur' });
  await expect(keyboard).toBeHidden();
  await k.button('Onlinekonto anlegen.*', 'x').click();
  await page.locator('#reg-first').click();
  await expect(keyboard).toBeVisible();
  for (const key of ['J', 'ü', 'r']) {
    if (key === key.toUpperCase() && key !== key.toLowerCase()) await keyboard.getByRole('button', { name: 'Umschalttaste' }).click();
    await keyboard.getByRole('button', { name: key, exact: true }).click();
  }
  await keyboard.getByRole('button', { name: 'Zeichen löschen' }).click();
  await keyboard.getByRole('button', { name: 'g', exact: true }).click();
  await expect(page.locator('#reg-first')).toHaveValue('Jüg');
  await expect(page.locator('#reg-first')).toBeFocused();
  await k.checkScreen('15-keyboard', false);

  await page.locator('#reg-kvnr').click();
  await keyboard.getByRole('button', { name: '1', exact: true }).click();
  await expect(page.locator('#reg-kvnr')).toHaveValue('1');
  await expect(page.locator('#reg-first')).toHaveValue('Jüg');
});
