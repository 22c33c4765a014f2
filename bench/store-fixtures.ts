/**
 * Fixtures of the store benchmarks: realistic accounts (about 1.6 kB: mailbox messages, password
 * history, a confirmed e-mail) and a layout of the embedded account store written directly, as the
 * store would have left it (without a sync per file, which would take minutes at 100k accounts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from '../src-main/core/account.js';
import { kvnrCheckDigit } from '../src-main/core/kvnr.js';
import type { InsuredPerson } from '../src-main/core/register/person.js';
import {
  ACCOUNTS_DIR,
  CATALOG_FILE,
  INDEX_DIR,
  INDEX_KINDS,
  LAYOUT_FILE,
  PENDING_DIR,
  DEFAULT_INDEX_SHARDS,
  allFolders,
  emptyCatalog,
  fileNameOf,
  folderName,
  funnelOf,
  indexFileName,
  indexShardOf,
  keysOf,
  type IndexKind,
} from '../src-main/store/account-layout.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

export const kvnrOf = (n: number): string => {
  const body = `K${String(n).padStart(8, '0')}`;
  return `${body}${kvnrCheckDigit(body)}`;
};

export function realisticAccount(n: number): Account {
  const at = '2026-11-29T10:00:00.000Z';
  return {
    id: `acc-${String(n).padStart(7, '0')}-${(n * 2654435761) % 2 ** 32}`,
    kvnr: kvnrOf(n),
    username: `user.${n}`,
    usernameKey: `user.${n}`,
    language: 'de',
    createdAt: at,
    password: { hash: HASH, changedAt: at, history: [HASH, HASH, HASH] },
    consents: { privacy: { version: '2026-01', acceptedAt: at }, participation: { version: '2026-01', acceptedAt: at } },
    email: { email: `user${n}@example.org`, confirmedAt: '2026-11-29T10:05:00.000Z', resentAt: [] },
    identity: { confirmedAt: '2026-11-30T10:00:00.000Z', method: 'LETTER' },
    mailbox: {
      state: 'ACTIVE',
      decidedAt: '2026-11-30T10:01:00.000Z',
      messages: [
        {
          id: `m1-${n}`,
          from: 'INSURER',
          subject: 'Willkommen im Postfach',
          body: 'Ihr Postfach ist eingerichtet. '.repeat(6),
          at,
          read: true,
        },
        {
          id: `m2-${n}`,
          from: 'PERSON',
          subject: 'Frage zur Bescheinigung',
          body: 'Bitte senden Sie mir eine Bescheinigung. '.repeat(4),
          at,
          read: true,
        },
      ],
    },
    login: { failures: 0 },
  };
}

/** The account store's files for these accounts, written without syncing. */
export function layOutAccounts(storeDir: string, accounts: Iterable<Account>): void {
  const root = join(storeDir, ACCOUNTS_DIR);
  for (const folder of [...allFolders(), INDEX_DIR, PENDING_DIR]) mkdirSync(join(root, folder), { recursive: true });
  const catalog = emptyCatalog(DEFAULT_INDEX_SHARDS);
  const index: Record<IndexKind, Map<number, Record<string, string>>> = { kvnr: new Map(), username: new Map(), case: new Map() };
  for (const account of accounts) {
    writeFileSync(join(root, folderName(account.id), fileNameOf(account.id)), JSON.stringify(account));
    const keys = keysOf(account);
    for (const kind of INDEX_KINDS) {
      const key = keys[kind];
      if (key === undefined) continue;
      const shard = indexShardOf(key, DEFAULT_INDEX_SHARDS);
      const entries = index[kind].get(shard) ?? {};
      entries[key] = account.id;
      index[kind].set(shard, entries);
    }
    const one = funnelOf(account);
    for (const k of ['registered', 'emailConfirmed', 'identityConfirmed', 'mailboxDecided'] as const) catalog.funnel[k] += one[k];
  }
  for (const kind of INDEX_KINDS) {
    for (const [shard, entries] of index[kind]) {
      catalog.entries[kind][shard] = Object.keys(entries).length;
      writeFileSync(join(root, INDEX_DIR, indexFileName(kind, shard)), JSON.stringify({ entries }));
    }
  }
  writeFileSync(join(root, CATALOG_FILE), JSON.stringify(catalog));
  writeFileSync(join(root, LAYOUT_FILE), JSON.stringify({ format: 1, indexShards: DEFAULT_INDEX_SHARDS }));
}

export function person(n: number): InsuredPerson {
  // About 25 000 birth dates (1930–1998): some 40 persons share each in a register of a million.
  const birthDate = new Date(Date.UTC(1930, 0, 1) + ((n * 7919) % 25_000) * 86_400_000).toISOString().slice(0, 10);
  return {
    kvnr: kvnrOf(n),
    firstName: `Vorname${n}`,
    lastName: `Nachname${n}`,
    birthDate,
    street: `Musterstraße ${n % 200}`,
    postalCode: String(10_000 + (n % 89_999)),
    city: 'Berlin',
    insuranceStart: '2004-01-01',
    cardNumber: String(80_276_883_110_000_000_000n + BigInt(n)),
    receipts: [],
  };
}
