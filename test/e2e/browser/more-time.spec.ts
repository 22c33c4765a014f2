/**
 * More time at the kiosk (EN 301 549 timed responses): the idle warning comes by sight, by a tone
 * and (with speech on) in words, once; "More time" (or F3) doubles what is left, three times a
 * session; the main process keeps the session for as long as the screen shows time; with speech on
 * the warning comes at twice the time. Recording doubles replace the voice and the tone (installed
 * by an init script before the app loads, as lib/speech.ts and lib/tone.ts expect).
 * The page runs on Playwright's fake clock; the main process on real time, so its idle limit is
 * made short here (ten seconds) and the one check of the main process waits past it for real. The
 * page's clock is paused once the session exists, so the screen's countdown stands still meanwhile.
 */
import type { Page } from '@playwright/test';
import { test, expect, openKiosk, type Kiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

declare global {
  interface Window {
    __kontokioskSpeech?: { said: { text: string; lang: string }[]; cancels: number };
    __kontokioskTone?: { played: { hz: number }[] };
  }
}

const WARN_MS = 8_000;
const COUNTDOWN_MS = 2_000;
const MAIN_IDLE_MS = 10_000;
test.use({
  kioskConfig: { kiosk: { idleWarnAfterMs: WARN_MS, idleCountdownMs: COUNTDOWN_MS }, policy: { session: { idleMs: MAIN_IDLE_MS } } },
});

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.__kontokioskSpeech = { said: [], cancels: 0 };
    window.__kontokioskTone = { played: [] };
  });
});

const tones = (page: Page) => page.evaluate(() => window.__kontokioskTone?.played.length ?? -1);
const said = (page: Page) => page.evaluate(() => (window.__kontokioskSpeech?.said ?? []).map((s) => s.text));
const seconds = async (page: Page) => Number(/(\d+)/.exec((await page.locator('#idle-text').textContent()) ?? '')?.[1] ?? NaN);

/** Registered and on the e-mail step: a session exists in the main process; returns a call with its token. */
async function registered(page: Page, kiosk: Kiosk): Promise<() => Promise<{ ok: boolean }>> {
  const tokens: string[] = [];
  page.on('response', (response) => {
    const token = response.headers()['x-kontokiosk-session'];
    if (token) tokens.push(token);
  });
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.register(ERIKA);
  await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
  // From here the page's time moves only when the test moves it. The point lies a little ahead, so
  // the running clock cannot have passed it by the time the pause arrives (a busy machine).
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 500));
  return async () =>
    (
      await page.request.post(`${kiosk.origin}/ipc/onboarding.state`, {
        headers: { origin: kiosk.origin, 'content-type': 'application/json', 'x-kontokiosk-session': tokens.at(-1) ?? '' },
        data: {},
      })
    ).json() as Promise<{ ok: boolean }>;
}

test('the warning comes with a tone; "More time" doubles what is left three times, and the session lives on', async ({ page, kiosk }) => {
  await page.clock.install();
  const replay = await registered(page, kiosk);
  // Input: the wait starts now.
  await page.keyboard.press('Shift');

  await page.clock.fastForward(WARN_MS - 1_000);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  expect(await tones(page)).toBe(0);
  await page.clock.fastForward(1_000);
  const dialog = page.getByRole('alertdialog', { name: 'Sind Sie noch da?' });
  await expect(dialog).toBeVisible();
  await expect.poll(() => tones(page)).toBe(1);
  // Speech is off: nothing is said, the tone and the screen carry the warning.
  expect(await said(page)).toEqual([]);
  await expect(dialog.getByRole('button', { name: 'Weiter arbeiten' })).toBeFocused();
  await expect(page.getByTestId('idle-more-hint')).toContainText('Noch 3-mal');

  const more = dialog.getByRole('button', { name: 'Mehr Zeit' });
  for (const [use, press] of [
    [1, () => more.click()],
    [2, () => page.keyboard.press('F3')],
    [3, () => more.click()],
  ] as const) {
    const before = await seconds(page);
    await press();
    await expect.poll(() => seconds(page)).toBe(2 * before);
    if (use < 3) await expect(page.getByTestId('idle-more-hint')).toContainText(`Noch ${3 - use}-mal`);
  }
  // Two seconds doubled three times.
  expect(await seconds(page)).toBe(16);
  // A fourth is not offered: neither button, hint nor key.
  await expect(more).toHaveCount(0);
  await expect(page.getByTestId('idle-more-hint')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Weiter arbeiten' })).toBeFocused();
  const after = await seconds(page);
  await page.keyboard.press('F3');
  expect(await seconds(page)).toBe(after);
  expect(await tones(page)).toBe(1);

  // The main process's idle limit (six seconds) passes for real: the session there is held too.
  await page.waitForTimeout(MAIN_IDLE_MS + 1_000);
  await expect(dialog).toBeVisible();
  expect(await replay()).toMatchObject({ ok: true });

  // When the doubled time has run out the screen is wiped as before.
  await page.clock.fastForward(60_000);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Willkommen bei Kontokiosk');
});

test('with speech on, the warning comes at twice the time, spoken once, and the main process waits as long', async ({ page, kiosk }) => {
  await page.clock.install();
  const replay = await registered(page, kiosk);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('speech-button')).toHaveAttribute('aria-pressed', 'true');

  await page.clock.fastForward(2 * WARN_MS - 1_000);
  // (The headphones question may show: the e-mail step holds personal data.)
  await expect(page.getByTestId('idle-dialog')).toHaveCount(0);
  expect(await tones(page)).toBe(0);
  await page.clock.fastForward(1_000);
  await expect(page.getByRole('alertdialog', { name: 'Sind Sie noch da?' })).toBeVisible();
  await expect.poll(() => tones(page)).toBe(1);
  const warning =
    /^Sind Sie noch da\? Aus Sicherheitsgründen wird die Sitzung in \d+ Sekunden beendet.*Für mehr Zeit drücken Sie die Taste F3\.$/;
  await expect.poll(async () => (await said(page)).filter((t) => warning.test(t)).length).toBe(1);
  // The focused button follows the warning without cutting it off, and the dialog is not read twice.
  await expect.poll(async () => (await said(page)).at(-1)).toMatch(/Weiter arbeiten/);
  expect((await said(page)).filter((t) => t.includes('Sind Sie noch da?'))).toHaveLength(1);
  await page.clock.fastForward(1_000);
  expect((await said(page)).filter((t) => t.includes('Sind Sie noch da?'))).toHaveLength(1);
  // The screen still counts down: twice the single countdown, less the second just passed.
  expect(await seconds(page)).toBe(2 * (COUNTDOWN_MS / 1_000) - 1);

  // Twice the main process's idle limit too: past the single one, the session still answers.
  await page.waitForTimeout(MAIN_IDLE_MS + 1_000);
  expect(await replay()).toMatchObject({ ok: true });
});
