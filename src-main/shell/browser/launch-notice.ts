/** What `npm start` says when it cannot open its own window: the exact cause and what would change it. */
const INSTALL_CHROMIUM = 'install it with: apt-get install -y chromium';

export function whyNotOpened(noOpen: boolean, display: string | undefined, executable: string | undefined): string {
  if (noOpen) return 'No window opened (--no-open).';
  if (!display) {
    const alsoChromium = executable ? '' : ` Chromium is not installed either (${INSTALL_CHROMIUM}).`;
    return `No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no window can open here.${alsoChromium}`;
  }
  return `Display ${display} found, but Chromium is not installed (${INSTALL_CHROMIUM}).`;
}

/** Root hands the window to another account over X only: a Wayland socket belongs to the session's own user. */
export const ROOT_NEEDS_X =
  'No window opened: as root, Kontokiosk opens Chromium for the window account on an X display (DISPLAY), and none is set.';

/** A kiosk window opens only under the lockdown policy for exactly this origin. */
export function policyNotInstalled(origin: string, file: string): string {
  const port = origin.split(':')[2] ?? '<port>';
  return `No kiosk window opened: the Chromium policy ${file} does not confine Chromium to ${origin}. Install it as root: npm run kiosk:policy -- --port ${port}`;
}
