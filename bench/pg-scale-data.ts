/**
 * Generated data of the PostgreSQL scale benchmark: register persons and accounts as an insurer's
 * branch database holds them, made from their number alone (deterministic, no file to ship, no
 * personal data). KVNRs are valid and unique (a bijection of the number, so they are spread over
 * the whole key space rather than counting up); birth dates cover 1930–2025, so a date matches a
 * few hundred persons as it does at an insurer with millions; names carry umlauts and ß, so the
 * search key's folding does real work. An account is about 1.6 kB of JSON: three mailbox messages,
 * a password history, an e-mail with re-send instants.
 */
import { createHash } from 'node:crypto';
import type { Account } from '../src-main/core/account.js';
import { kvnrCheckDigit } from '../src-main/core/kvnr.js';
import { usernameKey } from '../src-main/core/registration/username.js';
import type { InsuredPerson } from '../src-main/core/register/person.js';
import { nameKey } from '../src-main/store/pg/register-store.js';

const FIRST = [
  'Anna',
  'Jürgen',
  'Sophie',
  'Lukas',
  'Marie',
  'Jörg',
  'Hannah',
  'Felix',
  'Lea',
  'Björn',
  'Mia',
  'Jonas',
  'Emilia',
  'Özlem',
  'Paul',
  'Lena',
  'Günther',
  'Clara',
  'Ben',
  'Käthe',
  'Elias',
  'Ida',
  'Noah',
  'Zoë',
  'Leon',
  'Frieda',
  'Finn',
  'Anneliese',
  'Maximilian',
  'Greta',
  'Hans-Peter',
  'Fatma',
  'Mehmet',
  'Ursula',
  'Dieter',
  'Renée',
  'Karl',
  'Ilse',
  'Matthias',
  'Sabine',
];
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Schmitz',
  'Krause',
  'Meier',
  'Lehmann',
  'Schmid',
  'Schulze',
  'Maier',
  'Köhler',
  'Herrmann',
  'König',
  'Walter',
  'Mayer',
  'Huber',
  'Kaiser',
  'Fuchs',
  'Peters',
  'Lang',
  'Scholz',
  'Möller',
  'Weiß',
  'Jung',
  'Hahn',
  'Yılmaz',
  'Kaya',
  'Nowak',
  'Kowalski',
  'Groß',
  'Vogel',
  'Friedrich',
  'Keller',
  'Günther',
  'Frank',
  'Berger',
  'Roth',
];
const STREETS = ['Hauptstraße', 'Schulstraße', 'Gartenweg', 'Bahnhofstraße', 'Am Markt', 'Lindenallee', 'Kirchplatz', 'Bergstraße'];
const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig', 'Dortmund'];

/** A well-mixed 32-bit value of (n, salt): spreads names and dates without a random generator. */
function mix(n: number, salt: number): number {
  let x = (n ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const pick = <T>(list: readonly T[], n: number, salt: number): T => list[mix(n, salt) % list.length] as T;

/** 26 letters × 10^8 bodies; the multiplier is coprime to that, so n ↦ body is one-to-one. */
const KVNR_SPACE = 2_600_000_000;
export function kvnrAt(n: number): string {
  const v = (n * 1_000_003 + 12_345_678) % KVNR_SPACE;
  const body = `${String.fromCharCode(65 + Math.floor(v / 100_000_000))}${String(v % 100_000_000).padStart(8, '0')}`;
  return `${body}${kvnrCheckDigit(body)}`;
}

const DAY = 86_400_000;
const FIRST_BIRTH = Date.UTC(1930, 0, 1);
const BIRTH_DAYS = Math.floor((Date.UTC(2025, 11, 31) - FIRST_BIRTH) / DAY);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Dates as text, made once: formatting 11 million dates would cost more than the import itself. */
const days = (from: number, count: number) => Array.from({ length: count }, (_, d) => isoDay(from + d * DAY));
const BIRTH_DATES = days(FIRST_BIRTH, BIRTH_DAYS);
const INSURANCE_STARTS = days(Date.UTC(1995, 0, 1), 10_000);
const RECEIPT_DATES = days(Date.UTC(2025, 0, 1), 300);

export function birthDateAt(n: number): string {
  return BIRTH_DATES[mix(n, 3) % BIRTH_DAYS] as string;
}

export function personAt(n: number): InsuredPerson {
  const receipts = Array.from({ length: mix(n, 7) % 4 }, (_, k) => ({
    date: RECEIPT_DATES[mix(n, 11 + k) % 300] as string,
    provider: pick(['Praxis Dr. Weber', 'Apotheke am Markt', 'Klinikum Mitte', 'Zahnarztpraxis Sonne'], n, 13 + k),
    service: pick(['Untersuchung', 'Arzneimittel', 'Behandlung', 'Vorsorge'], n, 17 + k),
    amountCents: 500 + (mix(n, 19 + k) % 50_000),
  }));
  return {
    kvnr: kvnrAt(n),
    firstName: pick(FIRST, n, 1),
    lastName: pick(LAST, n, 2),
    birthDate: birthDateAt(n),
    street: `${pick(STREETS, n, 4)} ${1 + (mix(n, 5) % 120)}`,
    postalCode: String(10_000 + (mix(n, 6) % 89_999)),
    city: pick(CITIES, n, 8),
    insuranceStart: INSURANCE_STARTS[mix(n, 9) % 10_000] as string,
    cardNumber: `80276883110${String(n).padStart(9, '0')}`,
    receipts,
  };
}

/** COPY's text format: backslash, tab and line breaks escaped. */
const escapeCopy = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** The search key of each name pair, folded once (there are only so many pairs). */
const nameKeys = new Map<string, string>();
function nameKeyOf(p: InsuredPerson): string {
  const pair = `${p.firstName}\u0000${p.lastName}`;
  let key = nameKeys.get(pair);
  if (key === undefined) nameKeys.set(pair, (key = nameKey(p)));
  return key;
}

/** The register import's lines (kvnr, birth date, name key, document), a batch at a time. */
export function* registerLines(persons: number, batch = 2_000): Generator<string> {
  for (let start = 0; start < persons; start += batch) {
    let chunk = '';
    for (let n = start; n < Math.min(persons, start + batch); n++) {
      const p = personAt(n);
      chunk += `${[p.kvnr, p.birthDate, nameKeyOf(p), JSON.stringify(p)].map(escapeCopy).join('\t')}\n`;
    }
    yield chunk;
  }
}

const fakeHash = (n: number, k: number) =>
  `$argon2id$v=19$m=19456,t=2,p=1$${createHash('md5').update(`salt${n}.${k}`).digest('base64').replace(/=+$/, '')}$${createHash('sha256')
    .update(`hash${n}.${k}`)
    .digest('base64')
    .replace(/=+$/, '')}`;

export function accountIdAt(n: number): string {
  return createHash('md5').update(`account-${n}`).digest('base64url');
}

const ascii = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** Account number `n` of the person number `personIndex`; `hash` is its password's (a made-up one if absent). */
export function accountAt(n: number, personIndex: number, hash?: string): Account {
  const person = personAt(personIndex);
  const created = Date.UTC(2024, 0, 1) + (mix(n, 21) % 600) * DAY;
  const at = (offsetMinutes: number) => new Date(created + offsetMinutes * 60_000).toISOString();
  const username = `${ascii(person.firstName)}.${ascii(person.lastName)}${n}`;
  return {
    id: accountIdAt(n),
    kvnr: person.kvnr,
    username,
    usernameKey: usernameKey(username),
    language: mix(n, 22) % 10 === 0 ? 'en' : 'de',
    createdAt: at(0),
    password: { hash: hash ?? fakeHash(n, 0), changedAt: at(60 * 24 * 30), history: [fakeHash(n, 1), fakeHash(n, 2), fakeHash(n, 3)] },
    consents: { privacy: { version: '2026-01', acceptedAt: at(0) }, participation: { version: '2026-01', acceptedAt: at(0) } },
    email: { email: `${username}@example.org`, confirmedAt: at(5), resentAt: [at(2), at(3)] },
    identity: { confirmedAt: at(60 * 24 * 3), method: 'LETTER' },
    mailbox: {
      state: 'ACTIVE',
      decidedAt: at(60 * 24 * 3 + 1),
      messages: [
        {
          id: `m1-${n}`,
          from: 'INSURER',
          subject: 'Willkommen im Postfach',
          body: 'Ihr Postfach ist eingerichtet. Bescheide und Briefe kommen ab jetzt hierher.',
          at: at(60 * 24 * 3 + 2),
          read: true,
        },
        {
          id: `m2-${n}`,
          from: 'PERSON',
          subject: 'Frage zur Bescheinigung',
          body: 'Bitte senden Sie mir eine Mitgliedsbescheinigung zu.',
          at: at(60 * 24 * 20),
          read: true,
        },
        {
          id: `m3-${n}`,
          from: 'INSURER',
          subject: 'Ihre Mitgliedsbescheinigung',
          body: 'Die Bescheinigung liegt bei.',
          at: at(60 * 24 * 22),
          read: mix(n, 23) % 2 === 0,
        },
      ],
    },
    login: { failures: 0 },
  };
}

/** COPY lines (id, document) for the accounts table. */
export function accountLine(account: Account): string {
  return `${escapeCopy(account.id)}\t${escapeCopy(JSON.stringify(account))}\n`;
}
