/**
 * The letter provider's bearer token and optional CA certificate, read once at start from files
 * named in the configuration (relative names are in the data directory). The token is a
 * credential: whoever has it posts letters in the insurer's name. So its file is read like the
 * branch key (no link followed, no pipe waited on) and must not be readable by other users; every
 * problem refuses the start naming the file, never its content.
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StartupRefusal } from '../startup/refusal.js';

/** Group write and any access for others: what a token file must not allow. */
const EXPOSED = 0o027;
const MAX_TOKEN_BYTES = 4096;

export async function readTokenFile(dataDir: string, name: string): Promise<string> {
  const file = resolve(dataDir, name);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new StartupRefusal(
        'LETTER_TOKEN_MISSING',
        file,
        `the letter provider's token file ${file} (letters.postal.tokenFile) does not exist. Put the provider's API token there (mode 600), or set letters.postal.kind to "outbox".`,
      );
    }
    if (code === 'ELOOP') {
      throw new StartupRefusal(
        'LETTER_TOKEN_INVALID',
        file,
        `the letter provider's token file ${file} is a symbolic link. Put the file itself there (mode 600).`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new StartupRefusal(
        'LETTER_TOKEN_INVALID',
        file,
        `the letter provider's token file ${file} cannot be read by the user Kontokiosk runs as.`,
      );
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new StartupRefusal('LETTER_TOKEN_INVALID', file, `the letter provider's token file ${file} is not a regular file.`);
    }
    // File modes say nothing on Windows; there the folder's access list guards the token.
    if (process.platform !== 'win32' && (info.mode & EXPOSED) !== 0) {
      throw new StartupRefusal(
        'LETTER_TOKEN_EXPOSED',
        file,
        `the letter provider's token file ${file} can be read or changed by other users of this machine (mode ${(info.mode & 0o777).toString(8)}). ` +
          `Make it readable by the Kontokiosk user only: chmod 600 ${file}. Nothing was sent.`,
      );
    }
    if (info.size > MAX_TOKEN_BYTES) {
      throw new StartupRefusal(
        'LETTER_TOKEN_INVALID',
        file,
        `the letter provider's token file ${file} is larger than ${MAX_TOKEN_BYTES} bytes.`,
      );
    }
    const token = (await handle.readFile('utf8')).trim();
    // Visible ASCII only: anything else would break (or split) the Authorization header.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new StartupRefusal(
        'LETTER_TOKEN_INVALID',
        file,
        `the letter provider's token file ${file} is empty or holds more than one token (spaces, line breaks or non-ASCII characters).`,
      );
    }
    return token;
  } finally {
    await handle.close();
  }
}

export async function readCaFile(dataDir: string, name: string): Promise<string> {
  const file = resolve(dataDir, name);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    throw new StartupRefusal(
      'LETTER_CA_INVALID',
      file,
      `the letter provider's CA file ${file} (letters.postal.caFile) cannot be read (${code}).`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new StartupRefusal('LETTER_CA_INVALID', file, `the letter provider's CA file ${file} holds no PEM certificate.`);
  }
  return pem;
}
