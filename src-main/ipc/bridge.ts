/**
 * The shape of window.kontokiosk: what the Electron preload exposes and what the renderer calls.
 * It lives beside the contract so that the main process never reaches into the renderer's files;
 * types only, so the renderer may import it.
 */
import type { ChannelInput, CounterChannel, KioskChannel } from './contract.js';
import type { IpcResult } from './responses.js';

export type KontokioskBridge = { [C in KioskChannel]: (payload: ChannelInput<C>) => Promise<IpcResult<C>> } & {
  /** Electron only: sends a document (by its one-time token) to the printer dialog. */
  'document.print': (token: string) => Promise<boolean>;
};

/** The counter window's bridge (its own preload): only the counter's channels. */
export type CounterBridge = { [C in CounterChannel]: (payload: ChannelInput<C>) => Promise<IpcResult<C>> };
