/**
 * Outbox file names: sortable by time, unique, and tagged with the pseudonymous account id the item
 * belongs to, so an account's undelivered items go with the account and old items can be aged out
 * by the time in their name. A name never carries a KVNR, a name or an address.
 *   2026-11-29T10-15-02-123Z-EMAIL_CODE-1a2b3c~<accountId>.eml   (without "~<accountId>" when unowned)
 * The temp file of a write in progress is the final name plus ".tmp-<hex>", so it parses too.
 */
import { randomBytes } from 'node:crypto';

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NAME =
  /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-([A-Z0-9_]+)-([0-9a-f]{6})(?:~([A-Za-z0-9_-]{1,64}))?\.[a-z]+(?:\.tmp-[0-9a-f]+)?$/;

export interface OutboxItemName {
  readonly at: Date;
  readonly kind: string;
  readonly accountId?: string;
}

export function outboxName(kind: string, extension: string, at: Date, accountId?: string): string {
  // Account ids are random tokens; anything else here would be a bug that could reach a path.
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) throw new Error('invalid account id for an outbox name');
  if (!/^[A-Z0-9_]+$/.test(kind)) throw new Error('invalid outbox item kind');
  const stamp = at.toISOString().replace(/:/g, '-').replace('.', '-');
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}${accountId === undefined ? '' : `~${accountId}`}.${extension}`;
}

/** Undefined for names the outbox did not write (those are left alone). */
export function parseOutboxName(name: string): OutboxItemName | undefined {
  const match = NAME.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  const [date = '', time = ''] = match[1].split('T');
  const [h, m, s, ms] = time.replace('Z', '').split('-');
  const at = new Date(`${date}T${h}:${m}:${s}.${ms}Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  return { at, kind: match[2], ...(match[4] ? { accountId: match[4] } : {}) };
}
