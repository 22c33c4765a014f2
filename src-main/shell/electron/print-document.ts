/**
 * Prints one of our PDFs from memory. A hidden window loads it from `app://documents/<token>` (a
 * token minted for this job only; never a file:// URL) and Chromium's PDF viewer prints it.
 * At a kiosk the native dialog must not appear: its "Print to file" and printer choice would let a
 * stranger save someone's document on the terminal or send it elsewhere. So kiosk mode prints
 * silently to the configured printer; elsewhere the person chooses in the dialog.
 */
import { BrowserWindow, type WebContentsPrintOptions } from 'electron';
import type { PrintJobs } from './app-protocol.js';

export interface PrintSettings {
  readonly enabled: boolean;
  readonly printerName?: string | undefined;
}

export function printOptions(kiosk: PrintSettings): WebContentsPrintOptions {
  if (!kiosk.enabled) return { silent: false };
  return { silent: true, printBackground: true, ...(kiosk.printerName ? { deviceName: kiosk.printerName } : {}) };
}

export async function printDocument(
  bytes: Uint8Array,
  options: { readonly printJobs: PrintJobs; readonly kiosk: PrintSettings; readonly parent?: BrowserWindow | undefined },
): Promise<boolean> {
  const job = options.printJobs.open(bytes);
  const printer = new BrowserWindow({
    show: false,
    ...(options.parent ? { parent: options.parent } : {}),
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, devTools: false },
  });
  try {
    await printer.loadURL(job.url);
    return await new Promise<boolean>((resolve) => printer.webContents.print(printOptions(options.kiosk), (success) => resolve(success)));
  } catch (error) {
    // The reason names no document content; the person sees that printing failed.
    console.error('[print] failed:', error instanceof Error ? error.message : 'unknown');
    return false;
  } finally {
    job.close();
    printer.destroy();
  }
}
