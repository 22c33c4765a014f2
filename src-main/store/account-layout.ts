/**
 * The on-disk layout of the embedded account store (store/accounts/):
 *
 *   layout.json              format and fan-out, written once at set-up
 *   catalog.json             the funnel counters and the number of entries of every index shard
 *   00/ … ff/<hex id>.json   one file per account (fan-out folders by a hash of the id)
 *   index/<kind>-NNNN.json   key → account id, for kind kvnr, username and case (by a hash of the key)
 *   pending/<hex id>.json    the intent of a change that touches the indexes or the catalog
 *
 * One account change rewrites one small file, whatever the number of accounts. File names are the
 * hex of the id, so no id can name a path outside the store and ids that differ only in case stay
 * apart on case-insensitive file systems.
 *
 * Threat: a reader trusts nothing here it has not checked: every file is checked against its
 * schema when read (DamagedFileError names the file, never its content).
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Account } from '../core/account.js';
import type { JsonSchema } from './json-file.js';
import { ACCOUNT_SCHEMA } from './schemas.js';

export const ACCOUNTS_DIR = 'accounts';
export const LAYOUT_FILE = 'layout.json';
export const CATALOG_FILE = 'catalog.json';
export const INDEX_DIR = 'index';
export const PENDING_DIR = 'pending';
/** Fan-out folders of account files (and the number in the data directory's marker). */
const FANOUT = 256;
export const DEFAULT_INDEX_SHARDS = 256;

export const INDEX_KINDS = ['kvnr', 'username', 'case'] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/** FNV-1a: stable across versions, so a file's place never depends on the Node version. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const folderName = (id: string): string => (hashOf(id) % FANOUT).toString(16).padStart(2, '0');
export const allFolders = (): string[] => Array.from({ length: FANOUT }, (_, i) => i.toString(16).padStart(2, '0'));
export const fileNameOf = (id: string): string => `${Buffer.from(id, 'utf8').toString('hex')}.json`;
export const idOfFileName = (name: string): string | undefined =>
  /^(?:[0-9a-f]{2})+\.json$/.test(name) ? Buffer.from(name.slice(0, -5), 'hex').toString('utf8') : undefined;

export function accountPath(root: string, id: string): string {
  return join(root, folderName(id), fileNameOf(id));
}

export const indexShardOf = (key: string, shards: number): number => hashOf(key) % shards;
export const indexFileName = (kind: IndexKind, shard: number): string => `${kind}-${String(shard).padStart(4, '0')}.json`;

/** The keys an account is found by; every one of them is unique among accounts. */
export function keysOf(account: Account | undefined): Record<IndexKind, string | undefined> {
  return {
    kvnr: account?.kvnr,
    username: account?.usernameKey,
    case: account?.identity.postident?.caseId,
  };
}

export interface Funnel {
  registered: number;
  emailConfirmed: number;
  identityConfirmed: number;
  mailboxDecided: number;
}

export function funnelOf(account: Account | undefined): Funnel {
  if (!account) return { registered: 0, emailConfirmed: 0, identityConfirmed: 0, mailboxDecided: 0 };
  return {
    registered: 1,
    emailConfirmed: account.email.confirmedAt ? 1 : 0,
    identityConfirmed: account.identity.confirmedAt ? 1 : 0,
    mailboxDecided: account.mailbox.state !== 'PENDING' ? 1 : 0,
  };
}

const count = z.number().int().nonnegative();

export interface Layout {
  format: 1;
  indexShards: number;
}
export const LAYOUT_SCHEMA: JsonSchema = {
  schema: z.strictObject({ format: z.literal(1), indexShards: z.number().int().min(1).max(65_536) }),
};

export interface Catalog {
  funnel: Funnel;
  /** Entries per index shard: a shard read from disk must hold exactly this many (a deleted or older copy shows). */
  entries: Record<IndexKind, number[]>;
  /** The intent last applied to this catalog (repair of a cut-short change applies it once). */
  lastIntent: string;
}
export const CATALOG_SCHEMA: JsonSchema = {
  schema: z.strictObject({
    funnel: z.strictObject({ registered: count, emailConfirmed: count, identityConfirmed: count, mailboxDecided: count }),
    entries: z.strictObject({ kvnr: z.array(count), username: z.array(count), case: z.array(count) }),
    lastIntent: z.string(),
  }),
};

export const emptyCatalog = (indexShards: number): Catalog => ({
  funnel: funnelOf(undefined),
  entries: {
    kvnr: Array<number>(indexShards).fill(0),
    username: Array<number>(indexShards).fill(0),
    case: Array<number>(indexShards).fill(0),
  },
  lastIntent: '',
});

export interface IndexShard {
  entries: Record<string, string>;
}
export const INDEX_SCHEMA: JsonSchema = {
  schema: z.strictObject({ entries: z.record(z.string(), z.string().min(1)) }),
  recordField: 'entries',
};

/** What a cut-short change needs for its repair: the keys before and after, the funnel before. */
export interface Intent {
  token: string;
  id: string;
  before: Record<IndexKind, string | null>;
  after: Record<IndexKind, string | null>;
  funnelBefore: Funnel;
}
const keySet = z.strictObject({ kvnr: z.string().nullable(), username: z.string().nullable(), case: z.string().nullable() });
export const INTENT_SCHEMA: JsonSchema = {
  schema: z.strictObject({
    token: z.string().min(1),
    id: z.string().min(1),
    before: keySet,
    after: keySet,
    funnelBefore: z.strictObject({ registered: count, emailConfirmed: count, identityConfirmed: count, mailboxDecided: count }),
  }),
};

export const ACCOUNT_FILE: JsonSchema = { schema: ACCOUNT_SCHEMA };

export const nullable = (keys: Record<IndexKind, string | undefined>): Record<IndexKind, string | null> => ({
  kvnr: keys.kvnr ?? null,
  username: keys.username ?? null,
  case: keys.case ?? null,
});
