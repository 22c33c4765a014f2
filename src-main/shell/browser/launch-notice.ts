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
