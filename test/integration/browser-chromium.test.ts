/**
 * The browser shell's Chromium window, with a stand-in executable: the launch URL goes only to the
 * child, the temporary profile is deleted when Chromium exits by itself and when the app stops it,
 * and stopping ends Chromium's whole process group.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openChromium } from '../../src-main/shell/browser/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'kontokiosk-chromium-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for Chromium: records its arguments, then exits at once or waits (with a helper process) until killed. */
function fakeChromium(name: string, mode: 'exit' | 'wait'): { executable: string; argsFile: string } {
  const executable = join(dir, name);
  const argsFile = join(dir, `${name}.args`);
  const body = mode === 'exit' ? 'exit 0' : `sleep 600 &\necho $! > '${argsFile}.helper'\nwait`;
  writeFileSync(executable, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n${body}\n`);
  chmodSync(executable, 0o700);
  return { executable, argsFile };
}

/** Running (not gone, not a zombie waiting to be reaped). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/**
 * A stand-in for a Chromium that dies and leaves a helper behind, which keeps writing into the
 * profile (as a renderer or GPU process does for a moment after its browser was killed).
 */
function dyingChromiumWithBusyHelper(name: string): { executable: string; helperFile: string } {
  const executable = join(dir, name);
  const helperFile = join(dir, `${name}.helper`);
  const script = [
    '#!/bin/sh',
    'for a in "$@"; do case "$a" in --user-data-dir=*) p="${a#--user-data-dir=}";; esac; done',
    'i=0',
    '(while :; do i=$((i+1)); mkdir -p "$p/d$i/e"; : > "$p/d$i/e/f"; done) &',
    `echo $! > '${helperFile}'`,
    // Let the helper fill the profile a little, then die as a killed browser would.
    'while [ ! -d "$p/d200" ]; do :; done',
    'kill -KILL $$',
  ].join('\n');
  writeFileSync(executable, `${script}\n`);
  chmodSync(executable, 0o700);
  return { executable, helperFile };
}

describe('Chromium window of the browser shell', () => {
  it('a Chromium that dies ends its left-over helpers and still deletes its profile, without ending the app', async () => {
    const fake = dyingChromiumWithBusyHelper('dies');
    const log: string[] = [];
    const window = openChromium({
      executable: fake.executable,
      url: 'http://127.0.0.1:1/launch?k=x',
      kiosk: true,
      profileParent: dir,
      log: (line) => log.push(line),
    });
    const exit = await window.exited;
    expect(exit.signal).toBe('SIGKILL');
    const helper = Number(readFileSync(fake.helperFile, 'utf8').trim());
    expect(running(helper)).toBe(false);
    expect(existsSync(window.profile)).toBe(false);
    expect(log.filter((line) => line.includes('could not be deleted'))).toEqual([]);
  });

  it('deletes its profile when Chromium exits by itself', async () => {
    const fake = fakeChromium('exits', 'exit');
    const window = openChromium({
      executable: fake.executable,
      url: 'http://127.0.0.1:1/launch?k=secret',
      kiosk: true,
      profileParent: dir,
    });
    expect(existsSync(window.profile)).toBe(true);
    await window.exited;
    expect(existsSync(window.profile)).toBe(false);
    const args = readFileSync(fake.argsFile, 'utf8').split('\n');
    expect(args).toContain('--app=http://127.0.0.1:1/launch?k=secret');
    expect(args).toContain(`--user-data-dir=${window.profile}`);
    expect(args).toContain('--kiosk');
    expect(args).toContain('--disable-features=Translate');
  });

  it('stop() ends Chromium and its helpers, then deletes the profile', async () => {
    const fake = fakeChromium('waits', 'wait');
    const window = openChromium({ executable: fake.executable, url: 'http://127.0.0.1:1/launch?k=x', kiosk: false, profileParent: dir });
    // Wait until the stand-in and its helper have started.
    const helperFile = `${fake.argsFile}.helper`;
    while (!existsSync(helperFile) || readFileSync(helperFile, 'utf8').trim() === '') await new Promise((resolve) => setImmediate(resolve));
    const helper = Number(readFileSync(helperFile, 'utf8').trim());
    expect(readFileSync(fake.argsFile, 'utf8').split('\n')).not.toContain('--kiosk');
    expect(running(helper)).toBe(true);
    await window.stop();
    expect(existsSync(window.profile)).toBe(false);
    // The helper in Chromium's process group is ended too.
    // The operating system takes its moment to end it: wait for that, not for a fixed number of turns.
    await vi.waitFor(() => expect(running(helper)).toBe(false), { timeout: 5_000, interval: 20 });
  });
});
