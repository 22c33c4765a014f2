/**
 * Sends a register file to the main process in pieces (ipc/register-upload.ts has the protocol):
 * begin with the byte size and the reason, then base64 pieces of the file's raw bytes in order,
 * then finish with the reason. The bytes are read slice by slice, never as text and never whole:
 * the main process decides the encoding (and refuses anything but UTF-8), and a register of
 * hundreds of megabytes does not sit in the page's memory. Each piece is a call, so the page stays
 * responsive and the progress moves per piece. Stops at the first refusal or when aborted (the
 * staff member logged out or left the page). A file that would shrink the register is sent again
 * with acceptShrink only when the supervisor confirmed the numbers the main process named.
 */
import type { ChannelInput } from '../../../src-main/ipc/contract.js';
import type { AppError, IpcResult, RegisterImportReport } from '../../../src-main/ipc/responses.js';

/** The contract's limit (MAX_REGISTER_BYTES in ipc/contract.ts; a unit test keeps both equal). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

type UploadChannel = 'register.importBegin' | 'register.importChunk' | 'register.importFinish';
export type Send = <C extends UploadChannel>(channel: C, payload: ChannelInput<C>) => Promise<IpcResult<C>>;
export type UploadResult = { readonly ok: true; readonly value: RegisterImportReport } | { readonly ok: false; readonly error: AppError };

/** Base64 of raw bytes, in slices so a large piece does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const ABORTED: UploadResult = { ok: false, error: { code: 'NOT_AUTHENTICATED' } };

export async function uploadRegister(
  file: Blob,
  reason: string,
  send: Send,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
  acceptShrink = false,
): Promise<UploadResult> {
  // Refused here with the main process's own answer, so the page names the same problem either way.
  if (file.size > MAX_UPLOAD_BYTES)
    return { ok: false, error: { code: 'CSV_INVALID', details: { problem: 'SIZE', max: MAX_UPLOAD_BYTES } } };
  const begun = await send('register.importBegin', { size: file.size, reason });
  if (!begun.ok) return begun;
  const { uploadId, chunkChars } = begun.value;
  // Whole groups of 3 bytes, so every piece is base64 without padding but the last.
  const pieceBytes = Math.floor(chunkChars / 4) * 3;
  onProgress(0, file.size);
  for (let seq = 0, offset = 0; offset < file.size; seq += 1, offset += pieceBytes) {
    if (signal?.aborted) return ABORTED;
    const bytes = new Uint8Array(await file.slice(offset, offset + pieceBytes).arrayBuffer());
    const piece = await send('register.importChunk', { uploadId, seq, data: toBase64(bytes) });
    if (!piece.ok) return piece;
    onProgress(Math.min(offset + bytes.length, file.size), file.size);
  }
  if (signal?.aborted) return ABORTED;
  // Only after the supervisor saw the numbers of a shrinking register and confirmed them.
  return send('register.importFinish', { uploadId, reason, ...(acceptShrink ? { acceptShrink: true } : {}) });
}
