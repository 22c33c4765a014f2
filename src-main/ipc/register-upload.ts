/**
 * A register file sent from the supervisor's console in pieces (a call body holds at most 64 KiB;
 * a register can be hundreds of megabytes). Pieces arrive in order as base64, are kept in memory
 * only, and are decoded as UTF-8 only when the upload is complete: a file in another encoding is
 * refused whole (CSV_INVALID, problem ENCODING) and nothing is parsed.
 *
 * Limits: one upload per staff member (a new one replaces it), the size announced at the start and
 * never exceeded, at most MAX_UPLOAD_BYTES (64 MiB; larger registers go through the command on the
 * machine), at most two uploads held at once, and an upload untouched for 30 minutes is dropped
 * (looked at whenever any upload begins or goes on).
 */
import type { Clock, Random } from '../core/ports.js';
import { fail, ok, type Result } from '../core/result.js';
import { MAX_REGISTER_BYTES as MAX_UPLOAD_BYTES, REGISTER_CHUNK_CHARS as CHUNK_CHARS } from './contract.js';
const IDLE_MS = 30 * 60_000;
const MAX_HELD = 2;

interface Upload {
  readonly id: string;
  readonly size: number;
  readonly parts: Buffer[];
  received: number;
  touchedAt: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class RegisterUploads {
  private readonly byStaff = new Map<string, Upload>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [staffId, upload] of this.byStaff) if (now - upload.touchedAt > IDLE_MS) this.byStaff.delete(staffId);
  }

  begin(staffId: string, size: number): Result<{ uploadId: string; chunkChars: number }> {
    this.sweep();
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_UPLOAD_BYTES) {
      return fail('CSV_INVALID', { problem: 'SIZE', max: MAX_UPLOAD_BYTES });
    }
    this.byStaff.delete(staffId);
    if (this.byStaff.size >= MAX_HELD) return fail('BUSY');
    const upload: Upload = { id: this.random.token(16), size, parts: [], received: 0, touchedAt: this.clock.now().getTime() };
    this.byStaff.set(staffId, upload);
    return ok({ uploadId: upload.id, chunkChars: CHUNK_CHARS });
  }

  private current(staffId: string, uploadId: string): Upload | undefined {
    const upload = this.byStaff.get(staffId);
    if (!upload || upload.id !== uploadId) return undefined;
    if (this.clock.now().getTime() - upload.touchedAt > IDLE_MS) {
      this.byStaff.delete(staffId);
      return undefined;
    }
    return upload;
  }

  chunk(staffId: string, uploadId: string, seq: number, data: string): Result<{ received: number; size: number }> {
    this.sweep();
    const upload = this.current(staffId, uploadId);
    if (!upload) return fail('NOT_FOUND');
    // In order, each piece once: a repeated or skipped piece would corrupt the file silently.
    if (seq !== upload.parts.length) return fail('CSV_INVALID', { problem: 'SEQUENCE', expected: upload.parts.length });
    const bytes = Buffer.from(data, 'base64');
    if (upload.received + bytes.length > upload.size) {
      this.byStaff.delete(staffId);
      return fail('CSV_INVALID', { problem: 'SIZE', max: upload.size });
    }
    upload.parts.push(bytes);
    upload.received += bytes.length;
    upload.touchedAt = this.clock.now().getTime();
    return ok({ received: upload.received, size: upload.size });
  }

  /** The whole file as text, or a refusal; the upload is gone either way. */
  finish(staffId: string, uploadId: string): Result<string> {
    const upload = this.current(staffId, uploadId);
    if (!upload) return fail('NOT_FOUND');
    this.byStaff.delete(staffId);
    if (upload.received !== upload.size)
      return fail('CSV_INVALID', { problem: 'INCOMPLETE', received: upload.received, size: upload.size });
    try {
      return ok(utf8.decode(Buffer.concat(upload.parts)));
    } catch {
      return fail('CSV_INVALID', { problem: 'ENCODING' });
    }
  }
}
