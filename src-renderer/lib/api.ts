/**
 * The only file that touches the bridge. In Electron the preload exposes one function per channel
 * on window.kontokiosk and the main process keeps the session; in the browser shell a fetch shim
 * carries the session token in memory only (never in any storage), and forgets it on reset.
 */
import type { KontokioskBridge } from '../../src-main/ipc/bridge.js';
import type { ChannelInput, KioskChannel as Channel } from '../../src-main/ipc/contract.js';
import type { ChannelOutputs, IpcResult } from '../../src-main/ipc/responses.js';

export type { ChannelOutputs, IpcResult };

declare global {
  interface Window {
    kontokiosk?: KontokioskBridge;
  }
}

const SESSION_HEADER = 'x-kontokiosk-session';
let sessionToken = '';

async function viaFetch<C extends Channel>(channel: C, payload: ChannelInput<C>): Promise<IpcResult<C>> {
  try {
    const response = await fetch(`/ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SESSION_HEADER]: sessionToken },
      body: JSON.stringify(payload),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) return { ok: false, error: { code: 'INTERNAL' } };
    const next = response.headers.get(SESSION_HEADER);
    if (next !== null) sessionToken = next;
    return (await response.json()) as IpcResult<C>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', details: { network: true } } };
  }
}

/**
 * Hands a printed document to the person: in Electron to the printer dialog, in the browser shell
 * as a file download.
 */
export async function openDocument(token: string): Promise<void> {
  const bridge = window.kontokiosk;
  if (bridge) {
    await bridge['document.print'](token);
    return;
  }
  const link = document.createElement('a');
  link.href = `/documents/${encodeURIComponent(token)}`;
  link.download = 'Kontokiosk-Dokument.pdf';
  document.body.append(link);
  link.click();
  link.remove();
}

export function call<C extends Channel>(channel: C, payload: ChannelInput<C>): Promise<IpcResult<C>> {
  const bridge = window.kontokiosk;
  if (bridge) return (bridge[channel] as (p: ChannelInput<C>) => Promise<IpcResult<C>>)(payload);
  return viaFetch(channel, payload);
}

/** Ends the session in the main process and forgets the token here. */
export async function endSession(): Promise<void> {
  await call('session.logout', {});
  sessionToken = '';
}
