import { test, expect, openKiosk } from '../kiosk.js';
import { ERIKA, KioskPage } from '../pages.js';

test('idle timeout: a warning after 90 s, then the screen is wiped after 20 s more', async ({ page, kiosk }) => {
  // Playwright's fake clock moves the page's timers: no waiting in real time.
  await page.clock.install();
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.toEnglish();
  await k.button('x', 'Create online account.*').click();
  await k.fillRegistration(ERIKA, false);

  await page.clock.fastForward(89_000);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.clock.fastForward(2_000);
  const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('ends in');
  await k.checkScreen('14-idle-warning');

  // Whoever steps up now sees nothing of what was entered: the backdrop is opaque and covers the
  // form, and the page behind it is inert (out of the accessibility tree, not focusable).
  const backdrop = page.locator('.backdrop', { has: dialog });
  const paint = await backdrop.evaluate((el) => {
    const style = getComputedStyle(el);
    // rgb(r, g, b) has alpha 1; rgba(r, g, b, a) names it.
    const channels = style.backgroundColor.match(/[\d.]+/g) ?? [];
    return { alpha: channels.length === 3 ? 1 : Number(channels[3] ?? 0), opacity: style.opacity };
  });
  expect(paint).toEqual({ alpha: 1, opacity: '1' });
  for (const id of ['#reg-first', '#reg-email', '#reg-kvnr']) {
    const field = page.locator(id);
    expect(await field.evaluate((el) => el.closest('[inert]') !== null)).toBe(true);
    // What is on top where the field is drawn is the warning's backdrop, not the field.
    const box = await field.boundingBox();
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x ?? 0, y ?? 0)?.closest('.backdrop') !== null,
      [(box?.x ?? 0) + 5, (box?.y ?? 0) + 5],
    );
    expect(onTop).toBe(true);
  }
  const tree = await page.locator('body').ariaSnapshot();
  expect(tree).toContain('Are you still there?');
  for (const value of ['Erika', 'Mustermann', 'erika@example.org', 'erika.m']) expect(tree).not.toContain(value);
  // Chromium's own accessibility tree, as a screen reader gets it, holds none of the values either.
  const cdp = await page.context().newCDPSession(page);
  const axValues = async () => {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; value?: { value?: unknown } }[] };
    return nodes.filter((n) => !n.ignored).map((n) => String(n.value?.value ?? ''));
  };
  expect(await axValues()).not.toContain('Erika');
  expect(await axValues()).not.toContain(ERIKA.email);

  // Touching "continue" keeps everything, and the person is back in the field they were typing in.
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#reg-first')).toHaveValue('Erika');
  await expect(page.locator('#reg-email')).toHaveValue(ERIKA.email);
  await expect(page.locator('#reg-password2')).toBeFocused();
  expect(await page.locator('#reg-first').evaluate((el) => el.closest('[inert]') === null)).toBe(true);
  expect(await page.locator('body').ariaSnapshot()).toContain('Erika');
  expect(await axValues()).toContain('Erika');
  await cdp.detach();

  await page.clock.fastForward(91_000);
  await expect(dialog).toBeVisible();
  await page.clock.fastForward(21_000);
  await k.expectHeading('Willkommen bei Kontokiosk', 'x');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await k.button('Onlinekonto anlegen.*', 'x').click();
  for (const id of ['#reg-kvnr', '#reg-first', '#reg-last', '#reg-email', '#reg-username', '#reg-password']) {
    await expect(page.locator(id)).toHaveValue('');
  }
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
});

test('idle timeout during a session ends it in the main process too', async ({ page, kiosk }) => {
  await page.clock.install();
  const tokens: string[] = [];
  page.on('response', (response) => {
    const token = response.headers()['x-kontokiosk-session'];
    if (token) tokens.push(token);
  });
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.register(ERIKA);
  await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
  const token = tokens.at(-1) ?? '';
  expect(token).not.toBe('');
  const replay = async () =>
    (
      await page.request.post(`${kiosk.origin}/ipc/onboarding.state`, {
        headers: { origin: kiosk.origin, 'content-type': 'application/json', 'x-kontokiosk-session': token },
        data: {},
      })
    ).json() as Promise<{ ok: boolean; error?: { code: string } }>;
  expect(await replay()).toMatchObject({ ok: true });

  await page.clock.fastForward(112_000);
  await k.expectHeading('Willkommen bei Kontokiosk', 'x');
  await expect(page.getByText('e***@example.org')).toHaveCount(0);
  // The token the screen had is dead in the main process: nobody can pick the session up.
  expect(await replay()).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
});

test('the main process hears of the last input a moment after it, so its idle time runs from the same moment as the screen’s', async ({
  page,
  kiosk,
}) => {
  await page.clock.install();
  const touches: number[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/ipc/session.touch')) touches.push(Date.now());
  });
  const k = new KioskPage(page);
  await openKiosk(page, kiosk);
  await k.register(ERIKA);
  await k.expectHeading('E-Mail-Adresse bestätigen', 'x');
  // An input soon after the last touch: the every-30-seconds renewal would skip it.
  await page.clock.fastForward(5_000);
  await page.locator('#confirm-code').pressSequentially('1234');
  const before = touches.length;
  await page.clock.fastForward(2_500);
  await expect.poll(() => touches.length).toBe(before + 1);
  // Nothing more while nothing happens: one renewal per pause, not a stream of them.
  await page.clock.fastForward(20_000);
  expect(touches.length).toBe(before + 1);
});
