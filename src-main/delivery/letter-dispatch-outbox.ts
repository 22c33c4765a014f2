/**
 * The outbox route: the PDF is written durably into the letters folder of the outbox under its
 * reference, where print and mail staff take it (and where the retention sweep and an account's
 * deletion remove it). A reference that is not an outbox name is refused: it becomes a path.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../lib/durable-file.js';
import { DeliveryFailure } from './delivery-failure.js';
import type { DispatchItem, LetterDispatch } from './letter-dispatch.js';
import { parseOutboxName } from './outbox-name.js';

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';

export class OutboxLetterDispatch implements LetterDispatch {
  readonly kind = 'outbox' as const;

  constructor(private readonly dir: string) {}

  async dispatch(item: DispatchItem): Promise<void> {
    if (parseOutboxName(item.reference) === undefined || item.reference.includes('.tmp-')) {
      throw new DeliveryFailure('REFERENCE_INVALID', 'the letter reference is not an outbox name', true);
    }
    try {
      await writeFileDurably(join(this.dir, item.reference), item.pdf);
    } catch (error) {
      // A full disk or a folder made read-only can be put right; the letter is tried again then.
      throw new DeliveryFailure('OUTBOX_WRITE_FAILED', `the letter could not be written to the outbox (${errno(error)})`, false);
    }
  }

  async probe(): Promise<{ ok: boolean; detail: string }> {
    try {
      if (!(await stat(this.dir)).isDirectory()) return { ok: false, detail: 'the outbox letters folder is not a folder' };
      await access(this.dir, constants.W_OK);
      return { ok: true, detail: 'the outbox letters folder is writable' };
    } catch (error) {
      return { ok: false, detail: `the outbox letters folder is not writable (${errno(error)})` };
    }
  }
}
