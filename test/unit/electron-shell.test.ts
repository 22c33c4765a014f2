/**
 * The Electron shell's wiring, checked without an Electron binary: the preload exposes exactly one
 * function per channel (and the document printer), the sender check, and the Forge fuses.
 */
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../src-main/ipc/contract.js';

const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  ipcRenderer: { invoke: (channel: string, payload: unknown) => (invoked.push([channel, payload]), Promise.resolve(null)) },
  app: { on: () => undefined },
  session: {},
}));

describe('Electron preload', () => {
  it('exposes one function per channel and nothing else', async () => {
    await import('../../src-main/shell/electron/preload.js');
    const bridge = exposed['kontokiosk'] as Record<string, (p: unknown) => Promise<unknown>>;
    expect(Object.keys(bridge).sort()).toEqual([...CHANNELS, 'document.print'].sort());
    await bridge['session.login']?.({ username: 'u', password: 'p' });
    expect(invoked.at(-1)).toEqual(['session.login', { username: 'u', password: 'p' }]);
  });
});

describe('Electron sender check', () => {
  it('accepts only our window’s top frame showing our page', async () => {
    const { trustedSender } = await import('../../src-main/shell/electron/security.js');
    const mainFrame = { url: 'file:///app/index.html' };
    const ours = { mainFrame } as never;
    const isApp = (url: string) => url === 'file:///app/index.html';
    const event = (sender: unknown, frame: unknown) => ({ sender, senderFrame: frame }) as never;
    expect(trustedSender(event(ours, mainFrame), ours, isApp)).toBe(true);
    expect(trustedSender(event({ mainFrame }, mainFrame), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, { url: 'file:///app/index.html' }), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, null), ours, isApp)).toBe(false);
    expect(trustedSender(event(ours, mainFrame), undefined, isApp)).toBe(false);
    mainFrame.url = 'https://evil.example/';
    expect(trustedSender(event(ours, mainFrame), ours, isApp)).toBe(false);
  });
});

describe('Electron Forge configuration', () => {
  it('flips the security fuses and builds main, preload and renderer with Vite', async () => {
    const { default: config } = await import('../../forge.config.js');
    const names = (config.plugins ?? []).map((p) => (p as { name?: string }).name);
    expect(names).toEqual(expect.arrayContaining(['vite', 'fuses']));
    const fuses = (config.plugins ?? []).find((p) => (p as { name?: string }).name === 'fuses') as unknown as {
      fusesConfig: Record<number, unknown>;
    };
    const { FuseV1Options } = await import('@electron/fuses');
    expect(fuses.fusesConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses.fusesConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });
});
