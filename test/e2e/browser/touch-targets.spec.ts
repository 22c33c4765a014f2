/**
 * Touch targets (EN 301 549 / WCAG 2.5.8, at the stricter 9 mm of a public terminal): on every
 * screen of the journeys each visible control is at least 9 mm on both sides and at least 2 mm from
 * every other (test/e2e/layout.ts), at the default density and at a denser screen configured with
 * kiosk.pixelsPerMm; so are the on-screen keyboard's keys in kiosk mode, in both orientations.
 */
import type { Page } from '@playwright/test';
import { walkScreens } from '../journey-screens.js';
import { test, expect, openKiosk } from '../kiosk.js';
import { layoutProblems } from '../layout.js';

const targetVars = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.documentElement);
    return [style.getPropertyValue('--target').trim(), style.getPropertyValue('--target-gap').trim()];
  });

for (const { pixelsPerMm, vars } of [
  { pixelsPerMm: 4.9, vars: ['44.1px', '9.8px'] },
  { pixelsPerMm: 6, vars: ['54px', '12px'] },
]) {
  test.describe(`at ${pixelsPerMm} px/mm`, () => {
    test.use({ viewport: { width: 1280, height: 1024 }, kioskConfig: { kiosk: { pixelsPerMm } } });

    test('every control on every screen is at least 9 mm and 2 mm from its neighbours', async ({ page, kiosk }) => {
      test.setTimeout(180_000);
      const seen = await walkScreens(
        page,
        kiosk,
        async (screen) => expect(await layoutProblems(page, { pixelsPerMm }), screen).toEqual([]),
        async () => expect(await targetVars(page)).toEqual(vars),
      );
      expect(seen).toHaveLength(17);
    });
  });
}

for (const viewport of [
  { width: 1280, height: 1024 },
  { width: 1080, height: 1920 },
]) {
  test.describe(`the on-screen keyboard at ${viewport.width}×${viewport.height}, 6 px/mm`, () => {
    test.use({ viewport, kioskConfig: { kiosk: { enabled: true, pixelsPerMm: 6 } } });

    test('its keys are 9 mm touch targets, 2 mm apart, for letters and for digits, with and without large text', async ({
      page,
      kiosk,
    }) => {
      await openKiosk(page, kiosk);
      await page.getByRole('button', { name: /^Onlinekonto anlegen/ }).click();
      for (const large of [false, true]) {
        if (large) await page.getByTestId('large-text-button').click();
        for (const [field, layout] of [
          ['#reg-first', 'text'],
          ['#reg-birth', 'decimal'],
        ] as const) {
          await page.locator(field).click();
          await expect(page.locator('.osk')).toBeVisible();
          await expect(page.locator('.osk')).toHaveAttribute('data-layout', layout);
          expect(await layoutProblems(page, { pixelsPerMm: 6, within: '.osk' }), `${layout}${large ? ', large text' : ''}`).toEqual([]);
        }
      }
    });
  });
}
