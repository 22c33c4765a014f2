/**
 * The only counter file that touches the bridge. In Electron the counter's preload exposes one
 * function per counter channel on window.kontokioskCounter and the main process keeps the staff
 * session; in the browser shell a fetch shim carries the session token in memory only (never in
 * any storage, so a reload ends the shift's session) and forgets it on logout.
 */
import type { CounterBridge } from '../../../src-main/ipc/bridge.js';
import type { ChannelInput, CounterChannel } from '../../../src-main/ipc/contract.js';
import type { IpcResult } from '../../../src-main/ipc/responses.js';

declare global {
  interface Window {
    kontokioskCounter?: CounterBridge;
  }
}

const SESSION_HEADER = 'x-kontokiosk-session';
let sessionToken = '';

async function viaFetch<C extends CounterChannel>(channel: C, payload: ChannelInput<C>): Promise<IpcResult<C>> {
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

export function call<C extends CounterChannel>(channel: C, payload: ChannelInput<C>): Promise<IpcResult<C>> {
  const bridge = window.kontokioskCounter;
  if (bridge) return (bridge[channel] as (p: ChannelInput<C>) => Promise<IpcResult<C>>)(payload);
  return viaFetch(channel, payload);
}

/** Ends the staff session in the main process and forgets the token here, whatever the answer. */
export async function endSession(): Promise<void> {
  try {
    await call('staff.logout', {});
  } finally {
    sessionToken = '';
  }
}
