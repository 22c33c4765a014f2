/** Where the Electron binary is, if this machine has one (its npm package installs it only where it may download). */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export function electronBinary(): string | undefined {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return undefined;
  }
}
