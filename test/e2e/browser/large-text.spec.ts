/**
 * Large text at the kiosk (EN 301 549 / WCAG 1.4.4, 1.4.10): a switch beside "Read aloud", at the
 * same place on every screen, reached by tap and by keys, said when speech is on, its state shown
 * by a tick and aria-pressed. On, the root font size doubles and every screen of the journeys still
 * holds at 1280×1024 and at 1080×1920: no horizontal scroll, no control cut off or overlapping
 * another (test/e2e/layout.ts), each still a 9 mm touch target. Large text and high contrast each
 * give twice the idle time (the main process is asked for it too), and both are off again for the
 * next person once a session ends. Screenshots of welcome and the first registration step go to
 * $KONTOKIOSK_SCREENSHOTS when that is set.
 */
import type { Page } from '@playwright/test';
import { walkScreens } from '../journey-screens.js';
import { test, expect, openKiosk } from '../kiosk.js';
import { layoutProblems } from '../layout.js';
import { ERIKA, KioskPage } from '../pages.js';

declare global {
  interface Window {
    __kontokioskSpeech?: { said: { text: string; lang: string }[]; cancels: number };
  }
}

const DEFAULT_PX_PER_MM = 4.9;
/** States the walk reaches on a screen it already shows (after filling or scrolling it). */
const SAME_SCREEN = new Set(['register-errors', 'consent', 'register-filled']);
const rootFontSize = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
const said = (page: Page) => page.evaluate(() => (window.__kontokioskSpeech?.said ?? []).map((s) => s.text));

for (const viewport of [
  { width: 1280, height: 1024 },
  { width: 1080, height: 1920 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('every screen of the journeys holds at 200 % text', async ({ page, kiosk }) => {
      test.setTimeout(180_000);
      const button = page.getByTestId('large-text-button');
      const seen = await walkScreens(
        page,
        kiosk,
        async (screen) => {
          expect(await rootFontSize(page), screen).toBe('40px');
          // A new screen shows its heading, however far down the button that led to it was.
          if (!SAME_SCREEN.has(screen)) await expect(page.locator('main h1'), screen).toBeInViewport({ ratio: 1 });
          expect(await layoutProblems(page, { pixelsPerMm: DEFAULT_PX_PER_MM }), screen).toEqual([]);
          const dir = process.env['KONTOKIOSK_SCREENSHOTS'];
          const orientation = viewport.width > viewport.height ? 'landscape' : 'portrait';
          if (dir && (screen === 'welcome' || screen === 'register'))
            await page.screenshot({ path: `${dir}/a11y-large-${orientation}-${screen}.png` });
        },
        async () => {
          // Off for whoever comes next: the walk finds it off at every start.
          await expect(button).toHaveAttribute('aria-pressed', 'false');
          expect(await rootFontSize(page)).toBe('20px');
          await button.click();
          await expect(button).toHaveAttribute('aria-pressed', 'true');
        },
      );
      expect(seen).toHaveLength(17);
    });
  });
}

test('the switches: beside "Read aloud", by keys, said, shown by a tick and aria-pressed, not by colour alone', async ({ page, kiosk }) => {
  await page.addInitScript(() => {
    window.__kontokioskSpeech = { said: [], cancels: 0 };
  });
  await openKiosk(page, kiosk);
  const header = page.getByRole('banner');
  const order = await header.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent?.replace(/\s+/g, ' ').trim()));
  expect(order.slice(-4)).toEqual(['Große Schrift', 'Starker Kontrast', 'Vorlesen', '? Hilfe']);

  await page.keyboard.press('F1');
  for (const [id, name, on, off] of [
    ['large-text-button', 'Große Schrift', 'Große Schrift ist eingeschaltet.', 'Große Schrift ist ausgeschaltet.'],
    ['contrast-button', 'Starker Kontrast', 'Starker Kontrast ist eingeschaltet.', 'Starker Kontrast ist ausgeschaltet.'],
  ] as const) {
    const control = page.getByTestId(id);
    await expect(control).toHaveAccessibleName(name);
    await control.focus();
    await expect.poll(async () => (await said(page)).at(-1)).toMatch(new RegExp(`^${name}\\. Schaltfläche`));
    await page.keyboard.press('Enter');
    await expect(control).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await said(page)).at(-1)).toBe(on);
    // The tick says "on" to the eye whatever the colours; the name stays, so "selected" is said with it.
    await expect(control.locator('.tick')).toHaveText('✓');
    await expect(control).toHaveAccessibleName(name);
    await page.keyboard.press('Space');
    await expect(control).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(async () => (await said(page)).at(-1)).toBe(off);
    await expect(control.locator('.tick')).toHaveText('');
  }
  await expect(page.locator('html')).not.toHaveAttribute('data-large-text');
  await expect(page.locator('html')).not.toHaveAttribute('data-high-contrast');
});

for (const id of ['large-text-button', 'contrast-button'] as const) {
  test(`${id === 'large-text-button' ? 'large text' : 'high contrast'} gives twice the idle time, here and in the main process, and is off after the session`, async ({
    page,
    kiosk,
  }) => {
    await page.clock.install();
    const k = new KioskPage(page);
    await openKiosk(page, kiosk);
    await k.register(ERIKA);
    await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
    const asked = page.waitForRequest((r) => r.url().endsWith('/ipc/session.moreTime') && (r.postData() ?? '').includes('NEEDS_MORE_TIME'));
    await page.getByTestId(id).click();
    await asked;

    // Speech is off: the doubled time comes from this switch alone.
    await page.clock.fastForward(91_000);
    await expect(page.getByTestId('idle-dialog')).toHaveCount(0);
    await page.clock.fastForward(90_000);
    await expect(page.getByRole('alertdialog', { name: 'Sind Sie noch da?' })).toBeVisible();
    await page.clock.fastForward(60_000);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Willkommen bei Kontokiosk');
    await expect(page.getByTestId(id)).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('html')).not.toHaveAttribute(id === 'large-text-button' ? 'data-large-text' : 'data-high-contrast');
  });
}
