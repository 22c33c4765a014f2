/**
 * Shortcuts a kiosk window swallows before Chromium acts on them (Electron's before-input-event):
 * the same list the browser shell's kiosk is tested against on a real display, and the reloads,
 * page source and developer tools besides. Threat: a stranger opening a window, a file dialog, a
 * print dialog with "Save as PDF", the developer tools, or closing the kiosk. F1 (speech) and the
 * editing keys (Ctrl+A, C, V, X, Z) stay with the page.
 */
export const KIOSK_BLOCKED_SHORTCUTS = [
  'Ctrl+T',
  'Ctrl+N',
  'Ctrl+Shift+N',
  'Ctrl+H',
  'Ctrl+J',
  'Ctrl+O',
  'Ctrl+P',
  'Ctrl+W',
  'Ctrl+F4',
  'Alt+F4',
  'F11',
  'F12',
  'Ctrl+Shift+I',
  'Ctrl+Shift+J',
  'Ctrl+Shift+C',
  'Ctrl+U',
  'Ctrl+S',
  'Ctrl+L',
  'Ctrl+R',
  'Ctrl+Shift+R',
  'F5',
  'Ctrl+Shift+Delete',
] as const;

/** The parts of Electron's Input that name a shortcut. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  readonly meta: boolean;
}

const name = (input: KeyInput): string => {
  const key = input.key.length === 1 ? input.key.toUpperCase() : input.key;
  return [input.control || input.meta ? 'Ctrl' : '', input.shift ? 'Shift' : '', input.alt ? 'Alt' : '', key].filter(Boolean).join('+');
};

const blocked = new Set<string>(KIOSK_BLOCKED_SHORTCUTS);

export function isBlockedShortcut(input: KeyInput): boolean {
  return (input.type === 'keyDown' || input.type === 'rawKeyDown') && blocked.has(name(input));
}
