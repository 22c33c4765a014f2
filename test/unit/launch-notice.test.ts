import { describe, expect, it } from 'vitest';
import { whyNotOpened } from '../../src-main/shell/browser/launch-notice.js';

describe('what npm start says when it opens no window', () => {
  it('names the missing display, the missing Chromium, or both, with a command that works', () => {
    expect(whyNotOpened(false, undefined, '/usr/bin/chromium')).toBe(
      'No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no window can open here.',
    );
    expect(whyNotOpened(false, ':0', undefined)).toBe(
      'Display :0 found, but Chromium is not installed (install it with: apt-get install -y chromium).',
    );
    expect(whyNotOpened(false, undefined, undefined)).toBe(
      'No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no window can open here. Chromium is not installed either (install it with: apt-get install -y chromium).',
    );
    expect(whyNotOpened(true, ':0', '/usr/bin/chromium')).toBe('No window opened (--no-open).');
  });
});
