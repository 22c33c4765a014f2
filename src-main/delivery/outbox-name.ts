import { randomBytes } from 'node:crypto';

/** Sortable, unique outbox file names: 2026-11-29T10-15-02-123Z-EMAIL_CODE-1a2b3c.eml */
export function outboxName(kind: string, extension: string): string {
  const stamp = new Date().toISOString().replace(/:/g, '-').replace('.', '-');
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}.${extension}`;
}
