/**
 * The high-contrast theme (EN 301 549 / WCAG 1.4.6, 1.4.11): switched on beside "Read aloud", every
 * screen of the journeys passes axe-core's color-contrast-enhanced rule (7:1 for all text) with no
 * violation and no other axe-core rule fails; control borders and the focus ring keep 3:1 against
 * what lies behind them. Once more in portrait with large text on as well, where the layout must
 * also hold (test/e2e/layout.ts). The normal theme is checked by the other specs as before.
 * Screenshots of welcome and a registration step go to $KONTOKIOSK_SCREENSHOTS when that is set.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { walkScreens } from '../journey-screens.js';
import { test, expect, openKiosk } from '../kiosk.js';
import { layoutProblems } from '../layout.js';

const violations = async (page: Page, rules?: string[]): Promise<string[]> => {
  const builder = new AxeBuilder({ page });
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** Controls whose border, or the focused control whose focus ring, has under 3:1 against the background behind it. */
const weakEdges = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const channels = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = (color: string): number => {
      const [r = 0, g = 0, b = 0] = channels(color).map((v) => v / 255);
      const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: string, b: string): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    const behind = (el: Element | null): string => {
      for (let up = el; up; up = up.parentElement) {
        const bg = getComputedStyle(up).backgroundColor;
        if ((channels(bg)[3] ?? 1) > 0) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const weak: string[] = [];
    const scope = document.querySelector('[aria-modal="true"]') ?? document.body;
    for (const el of scope.querySelectorAll('button, input, textarea, a[href]')) {
      if (el.closest('[inert]') || !el.checkVisibility() || el.getClientRects().length === 0) continue;
      const style = getComputedStyle(el);
      if (style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) >= 1) {
        const contrast = ratio(style.borderTopColor, behind(el.parentElement));
        if (contrast < 3) weak.push(`border of ${el.outerHTML.slice(0, 60)}: ${contrast.toFixed(2)}`);
      }
    }
    const focused = document.activeElement;
    if (focused && focused !== document.body && focused.matches(':focus-visible')) {
      const style = getComputedStyle(focused);
      const contrast = ratio(style.outlineColor, behind(focused.parentElement));
      if (style.outlineStyle === 'none' || contrast < 3)
        weak.push(`focus ring of ${focused.outerHTML.slice(0, 60)}: ${contrast.toFixed(2)}`);
    }
    return weak;
  });

async function switchOn(page: Page, id: string): Promise<void> {
  const button = page.getByTestId(id);
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['KONTOKIOSK_SCREENSHOTS'];
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` });
}

test.describe('at 1280×1024', () => {
  test.use({ viewport: { width: 1280, height: 1024 } });

  test('every screen passes color-contrast-enhanced and all other axe-core rules', async ({ page, kiosk }) => {
    test.setTimeout(180_000);
    const seen = await walkScreens(
      page,
      kiosk,
      async (screen) => {
        expect(await violations(page, ['color-contrast-enhanced']), screen).toEqual([]);
        expect(await violations(page), screen).toEqual([]);
        expect(await weakEdges(page), screen).toEqual([]);
        if (screen === 'register') await screenshot(page, 'a11y-contrast-landscape-register');
      },
      () => switchOn(page, 'contrast-button'),
    );
    expect(seen).toHaveLength(17);
  });

  test('the focus ring keeps 3:1 in the theme', async ({ page, kiosk }) => {
    await openKiosk(page, kiosk);
    await switchOn(page, 'contrast-button');
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      await expect(page.locator(':focus-visible')).toHaveCount(1);
      expect(await weakEdges(page)).toEqual([]);
    }
  });
});

test.describe('at 1080×1920 with large text as well', () => {
  test.use({ viewport: { width: 1080, height: 1920 } });

  test('every screen passes color-contrast-enhanced and holds its layout', async ({ page, kiosk }) => {
    test.setTimeout(180_000);
    const seen = await walkScreens(
      page,
      kiosk,
      async (screen) => {
        expect(await violations(page, ['color-contrast-enhanced']), screen).toEqual([]);
        expect(await layoutProblems(page, { pixelsPerMm: 4.9 }), screen).toEqual([]);
        if (screen === 'welcome') await screenshot(page, 'a11y-contrast-large-portrait-welcome');
      },
      async () => {
        await switchOn(page, 'contrast-button');
        await switchOn(page, 'large-text-button');
      },
    );
    expect(seen).toHaveLength(17);
  });
});
