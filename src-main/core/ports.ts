/**
 * The core's view of the outside world. Everything that reads time, draws randomness, hashes,
 * stores or delivers goes through one of these small interfaces, so the rules stay pure and tests
 * can drive them with a fake clock and recorded deliveries.
 */
import type { Account, MailboxMessage } from './account.js';
import type { HelpRequest, InboxItem } from './counter/inbox-item.js';
import type { InsuredPerson } from './register/person.js';
import type { StaffAccount } from './staff/staff-account.js';

export interface Clock {
  now(): Date;
}

/**
 * Holds an answer until a minimum time has passed since a mark, so that the answer's timing does
 * not depend on which path produced it. Tests use one that never waits.
 */
export interface Pacer {
  mark(): number;
  hold(mark: number, minimumMs: number): Promise<void>;
}

export interface Random {
  /** Uniform integer in [0, max) from a CSPRNG. */
  int(max: number): number;
  /** Opaque identifier / token with at least 128 bits of entropy, URL-safe. */
  token(bytes?: number): string;
}

/**
 * Thrown by a PasswordHasher whose bounded work queue is full. Nothing has been decided when it is
 * thrown (a store update that sees it writes nothing); the caller answers BUSY.
 */
export class HashingBusyError extends Error {
  constructor() {
    super('password hashing is busy');
    this.name = 'HashingBusyError';
  }
}

/**
 * Thrown by a store whose backing database cannot be reached (gone, restarting, every connection
 * busy). Nothing was changed: a transaction that saw it was rolled back. The caller answers
 * STORE_UNAVAILABLE; the store recovers by itself when the database is back.
 */
export class StoreUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`the store is unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/** argon2id for passwords. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * Keyed hashing of short secrets (codes, keys, tokens). Short numeric codes cannot be protected by a
 * plain hash, so the implementation uses an HMAC with a key kept outside the store file.
 */
export interface SecretHasher {
  hash(secret: string): string;
  /** Constant-time comparison. */
  verify(secret: string, hash: string): boolean;
}

export interface CommonPasswords {
  isCommon(password: string): boolean;
}

/** An audit entry recorded together with the change it belongs to. */
export interface AuditEntry {
  readonly event: AuditEvent;
  readonly at: Date;
}

/**
 * What an account update decides: the next state (none: nothing is written), the answer, and the
 * audit entries of this decision. A store with transactions appends the entries in the same
 * transaction as the change; otherwise right after it, in the account's order. Only the entries of
 * the run whose decision is kept are recorded.
 */
export interface AccountChange<R> {
  readonly next?: Account;
  readonly result: R;
  readonly audit?: readonly AuditEntry[];
  /**
   * Messages this decision creates (a code by e-mail), queued with the change like its audit
   * entries: in its transaction where the store has them, otherwise right after it. So a code that
   * is stored is also on its way, and one that is not stored is never sent. Courier.prepare makes them.
   */
  readonly outbound?: readonly OutboundRecord[];
}

export interface AccountStore {
  get(id: string): Promise<Account | undefined>;
  findByUsernameKey(usernameKey: string): Promise<Account | undefined>;
  findByKvnr(kvnr: string): Promise<Account | undefined>;
  findByPostidentCase(caseId: string): Promise<Account | undefined>;
  /**
   * Durable insert; resolves only when the write is on disk. Fails when kvnr or username is taken.
   * `audit` is recorded with the insert (see AccountChange), and not when the insert fails.
   */
  insert(
    account: Account,
    audit?: readonly AuditEntry[],
    outbound?: readonly OutboundRecord[],
  ): Promise<'OK' | 'KVNR_TAKEN' | 'USERNAME_TAKEN'>;
  /**
   * Atomic, durable read-modify-write of one account. `fn` sees the current state and is
   * synchronous and free of side effects: an adapter may run it more than once (a retried
   * transaction), and nothing slow (hashing) may happen while the account is held. Returning no
   * `next` writes nothing. Calls on the same account are serialised, in one process and across
   * processes, so counters are exact under concurrency.
   *
   * `seen` is the account as this store handed it to the caller a moment ago (unchanged): a store
   * that can check at write time that the row is still that version may decide on it first and
   * spare the read; when it is not, the decision is made again on the account as it is.
   */
  update<R>(id: string, fn: (current: Account) => AccountChange<R>, seen?: Account): Promise<R | undefined>;
  /** Removes the account; `audit` is recorded with the removal (see AccountChange). */
  delete(id: string, audit?: readonly AuditEntry[]): Promise<void>;
  count(): Promise<number>;
  /** How many accounts have reached each registration step (the dashboard's funnel). */
  funnel(): Promise<{ registered: number; emailConfirmed: number; identityConfirmed: number; mailboxDecided: number }>;
}

/**
 * What an update of a staff account, an inbox message or a help request decides, like
 * AccountChange: the next state (none: nothing is written), the answer, and the audit entries of
 * this decision, recorded with the change (also when it writes nothing) and only for the run whose
 * decision is kept.
 */
export interface RecordChange<T, R> {
  readonly next?: T;
  readonly result: R;
  readonly audit?: readonly AuditEntry[];
}

/** Staff accounts of the counter; usernames are unique without regard to case (usernameKey). */
export interface StaffStore {
  get(id: string): Promise<StaffAccount | undefined>;
  findByUsernameKey(usernameKey: string): Promise<StaffAccount | undefined>;
  list(): Promise<readonly StaffAccount[]>;
  /** Durable insert; fails when the username is taken. `audit` is recorded with the insert, not when it fails. */
  insert(staff: StaffAccount, audit?: readonly AuditEntry[]): Promise<'OK' | 'USERNAME_TAKEN'>;
  /**
   * Atomic, durable read-modify-write of one staff account. `fn` is synchronous and free of side
   * effects (hashing happens before or after it); returning no `next` writes nothing.
   */
  update<R>(id: string, fn: (current: StaffAccount) => RecordChange<StaffAccount, R>): Promise<R | undefined>;
}

/**
 * The insurer's inbox at the counter: messages that persons wrote through their mailbox. The
 * person's own copy stays in their mailbox; this is the counter's queue.
 */
export interface InboxStore {
  /** `audit` is recorded with the message (see RecordChange). */
  add(item: InboxItem, audit?: readonly AuditEntry[]): Promise<void>;
  get(id: string): Promise<InboxItem | undefined>;
  /** Newest first, unhandled before handled, at most `limit`. */
  list(limit: number): Promise<readonly InboxItem[]>;
  update<R>(id: string, fn: (current: InboxItem) => RecordChange<InboxItem, R>): Promise<R | undefined>;
  /** Removes every message of an account (deletion, R9); returns how many went. */
  removeFor(accountId: string): Promise<number>;
  /**
   * Help requests (core/counter/help.ts), kept in the same queue. `decide` runs under the store's
   * lock with every request of that terminal, so two taps at once cannot both open one.
   */
  addHelp<R>(
    id: string,
    terminal: string,
    decide: (sameTerminal: readonly HelpRequest[]) => { add?: HelpRequest; result: R; audit?: readonly AuditEntry[] },
  ): Promise<R>;
  /** Open ones first (oldest first: who waits longest), then done ones (newest first), at most `limit`. */
  listHelp(limit: number): Promise<readonly HelpRequest[]>;
  updateHelp<R>(id: string, fn: (current: HelpRequest) => RecordChange<HelpRequest, R>): Promise<R | undefined>;
  /** Removes done help requests older than `before` (they are in the audit trail); returns how many went. */
  pruneHelp(before: string): Promise<number>;
}

/**
 * The secure mailbox's messages, kept apart from the account document so that a login (which
 * rewrites the account) does not rewrite them. Per account; each call on one account is atomic.
 */
export interface MailboxStore {
  /** The account's messages in the order they were added. */
  list(accountId: string): Promise<readonly MailboxMessage[]>;
  /** Adds what `decide` returns, decided under the mailbox's lock with every message there is. */
  add<R>(accountId: string, decide: (current: readonly MailboxMessage[]) => { add?: readonly MailboxMessage[]; result: R }): Promise<R>;
  /** Changes one message; undefined when there is no such message. */
  update<R>(accountId: string, id: string, fn: (current: MailboxMessage) => { next?: MailboxMessage; result: R }): Promise<R | undefined>;
  remove(accountId: string, id: string): Promise<void>;
  /** Removes every message of the account (leaving the mailbox, deletion); returns how many went. */
  removeFor(accountId: string): Promise<number>;
}

/** Authenticated encryption of small secrets (TOTP seeds) with a key kept outside the store. */
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the sealed text was not made with this key or was changed. */
  open(sealed: string): string;
}

export interface RegisterStore {
  getByKvnr(kvnr: string): Promise<InsuredPerson | undefined>;
  /** Persons born on that date (an index by birth date, never a scan of the register). */
  findByBirthDate(birthDate: string): Promise<readonly InsuredPerson[]>;
  /** The KVNRs of the register that the given set lacks (what an import would remove). */
  missingFrom(kvnrs: ReadonlySet<string>): Promise<readonly string[]>;
  /** Replaces the whole register; `audit` (the import's entry) is recorded with the swap (see RecordChange). */
  replaceAll(persons: readonly InsuredPerson[], audit?: readonly AuditEntry[]): Promise<void>;
  count(): Promise<number>;
  /** The most persons this store holds (the embedded store's ceiling); absent: no ceiling. */
  readonly maxPersons?: number | undefined;
}

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly kind: string;
  /** Pseudonymous id of the account the mail belongs to, so undelivered copies go with the account. */
  readonly accountId?: string;
  /** When what the mail carries (a code) stops working: a queued copy is not sent after it. */
  readonly expiresAt?: string;
}

/**
 * What a send promises: nothing (undefined) when the message was handed to the server, 'QUEUED'
 * when it is stored and will be tried again in the background (the server did not answer in time
 * or refused for now). A send that throws did not send and will not: the message is given up.
 */
export type SendOutcome = void | 'QUEUED';

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendOutcome>;
}

export interface Sms {
  readonly to: string;
  readonly text: string;
  readonly kind: string;
  /** Pseudonymous id of the account the SMS belongs to (see OutgoingMail). */
  readonly accountId?: string;
  /** When the code in the SMS stops working: a queued SMS is dropped after it, never sent late. */
  readonly expiresAt?: string;
}

/** SMS delivery; throws when the message will not be delivered (see SendOutcome). */
export interface SmsGateway {
  send(sms: Sms): Promise<SendOutcome>;
}

/**
 * A mail or SMS waiting for its next try. Its content (address, number, text with a code) is
 * sealed with the SecretBox and dropped once it was sent or given up; what stays is what staff
 * need to see that a message did not go out, and for whom.
 */
export interface OutboundRecord {
  readonly id: string;
  readonly channel: 'EMAIL' | 'SMS' | 'LETTER';
  readonly kind: string;
  readonly accountId?: string;
  readonly createdAt: string;
  /** Tries made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: string;
  /** A sender holds the record until then, so two terminals never send it at once. */
  readonly leaseUntil?: string;
  readonly expiresAt?: string;
  readonly state: 'PENDING' | 'GAVE_UP';
  /** Why the last try failed, as a code (never a server's text, which may name the address). */
  readonly lastError?: string;
  readonly gaveUpAt?: string;
  readonly sealed?: string;
  /**
   * A code that replaces the account's earlier one of this kind (written with the change that
   * stores it): queuing it drops the account's waiting records of the same kind, whose codes no
   * longer work.
   */
  readonly supersedes?: true;
}

/** A message for the outbound queue, as the core hands it over. */
type OutboundMessage = { readonly channel: 'EMAIL'; readonly mail: OutgoingMail } | { readonly channel: 'SMS'; readonly sms: Sms };

/**
 * The outbound queue as the core uses it for messages created by an account change: `prepare`
 * seals the message into a record held by this terminal for its first try, the core writes it
 * with the change (AccountChange.outbound), then `firstTry` tries it and says what to tell the
 * person. A crash between the two leaves the record for the queue's next pass.
 */
export interface Courier {
  prepare(message: OutboundMessage): OutboundRecord;
  firstTry(record: OutboundRecord): Promise<'SENT' | 'QUEUED' | 'FAILED'>;
}

/** A decision on one outbound record: its next state (null: removed), the answer, and the entries that record it. */
export interface OutboundChange<R> {
  readonly next?: OutboundRecord | null;
  readonly result: R;
  readonly audit?: readonly AuditEntry[];
}

/** The durable queue of outgoing mail and SMS, shared by every terminal of a branch store. */
export interface OutboundStore {
  add(record: OutboundRecord): Promise<void>;
  /**
   * Atomic read-modify-write of one record; `next: null` removes it, no `next` writes nothing.
   * `audit` is recorded with the change (in its transaction where the store has them).
   */
  update<R>(id: string, fn: (current: OutboundRecord) => OutboundChange<R>): Promise<R | undefined>;
  /** Pending records whose next try is due at `now` and that nobody holds, oldest first. */
  due(now: string, limit: number): Promise<readonly OutboundRecord[]>;
  /** Given-up records, newest first (the counter's list of messages that did not go out). */
  gaveUp(limit: number): Promise<readonly OutboundRecord[]>;
  /** Removes given-up records given up before `before` (kept no longer than the outbox's items); returns how many went. */
  pruneGaveUp(before: string): Promise<number>;
  /** Removes every record of the account (deletion, R9); returns how many went. */
  removeFor(accountId: string): Promise<number>;
}

export interface PostalAddress {
  readonly name: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
}

/** A letter to post: it waits in print/outbox until staff send it, then goes with its retention. */
export type Letter = (
  | {
      readonly kind: 'ACTIVATION_KEY';
      readonly to: PostalAddress;
      readonly date: string;
      /** Named in the letter, so the person knows which account the key is for. */
      readonly username: string;
      readonly key: string;
      readonly validUntil: string;
      readonly language: 'de' | 'en';
    }
  | {
      readonly kind: 'LOGIN_CODE';
      readonly to: PostalAddress;
      readonly date: string;
      readonly code: string;
      readonly validUntil: string;
      readonly language: 'de' | 'en';
    }
  | {
      readonly kind: 'TEMPORARY_PASSWORD';
      readonly to: PostalAddress;
      readonly date: string;
      readonly username: string;
      readonly password: string;
      readonly validUntil: string;
      readonly language: 'de' | 'en';
    }
  | {
      readonly kind: 'POSTIDENT_COUPON';
      readonly to: PostalAddress;
      readonly date: string;
      readonly caseId: string;
      /** A coupon of the POSTIDENT simulator: printed with a marking that no branch takes it. */
      readonly simulated: boolean;
      readonly language: 'de' | 'en';
    }
) & {
  /** Pseudonymous id of the account the letter belongs to (see OutgoingMail). */
  readonly accountId?: string;
};

export interface LetterPrinter {
  /** Renders the letter (PDF) and hands it to print/outbox; returns a reference for staff. */
  print(letter: Letter): Promise<string>;
}

/**
 * A document for the person at the kiosk, not a letter to post: it is rendered in memory and
 * handed over once (download or print dialog), and nothing of it is kept.
 */
export interface KioskDocument {
  readonly kind: 'MEMBERSHIP_CERTIFICATE';
  readonly to: PostalAddress;
  readonly date: string;
  readonly kvnr: string;
  readonly birthDate: string;
  readonly insuranceStart: string;
  readonly insuranceEnd?: string;
  readonly language: 'de' | 'en';
  /** Pseudonymous id of the account, for the reference printed on the document. */
  readonly accountId?: string;
}

export interface DocumentRenderer {
  /** The document as PDF bytes; writes nothing anywhere. */
  render(document: KioskDocument): Promise<Uint8Array>;
}

/** The outbox of undelivered letters, mails and SMS, indexed by pseudonymous account id. */
export interface Outbox {
  /** Removes every undelivered item of the account; returns how many went. */
  purgeFor(accountId: string): Promise<number>;
}

export interface PostidentCase {
  readonly caseId: string;
  /** Where the person continues on a camera-capable device. */
  readonly continueUrl: string;
}

export type PostidentOutcome = 'SUCCESS' | 'DECLINED' | 'ABANDONED';
export type PostidentStatus = 'OPEN' | PostidentOutcome;

export interface PostidentProvider {
  readonly label: string;
  readonly simulated: boolean;
  /** `false` when the operator switched POSTIDENT off: the kiosk does not offer it. Absent means offered. */
  readonly available?: boolean;
  openCase(request: {
    readonly reference: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly birthDate: string;
  }): Promise<PostidentCase>;
  /** For providers that are asked rather than calling back; throws when the provider cannot answer. */
  status?(caseId: string): Promise<PostidentStatus>;
}

export type AuditEventType =
  | 'REGISTRATION'
  | 'EMAIL_CODE_SENT'
  | 'EMAIL_CODE_CHECKED'
  | 'EMAIL_CONFIRMED'
  | 'ACTIVATION_KEY_SENT'
  | 'ACTIVATION_KEY_CHECKED'
  | 'POSTIDENT_OPENED'
  | 'POSTIDENT_RESULT'
  | 'IDENTITY_CONFIRMED'
  | 'MAILBOX_CONSENT'
  | 'LOGIN_SUCCESS'
  | 'LOGIN_FAILURE'
  | 'TERMINAL_PAUSED'
  | 'LIMIT_REACHED'
  | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_DEACTIVATED'
  | 'LOGOUT'
  | 'PASSWORD_RESET_REQUESTED'
  | 'PASSWORD_RESET'
  | 'PASSWORD_CHANGED'
  | 'USERNAME_RECOVERY_REQUESTED'
  | 'USERNAME_RECOVERED'
  | 'MTAN_CODE_SENT'
  | 'MTAN_ENROLLED'
  | 'CODE_CHECKED'
  | 'MTAN_LEFT'
  | 'TAN_SENT'
  | 'TAN_CHECKED'
  | 'EMAIL_CHANGED'
  | 'MOBILE_CHANGE_STARTED'
  | 'MAILBOX_LEFT'
  | 'LOGIN_CODE_ISSUED'
  | 'LOGIN_CODE_USED'
  | 'ACCOUNT_DELETED'
  | 'ACCOUNT_DATA_REMOVED'
  | 'TEMPORARY_PASSWORD_STORED'
  | 'REGISTER_IMPORTED'
  | 'STAFF_CREATED'
  | 'STAFF_LOGIN_SUCCESS'
  | 'STAFF_LOGIN_FAILURE'
  | 'STAFF_LOCKED'
  | 'STAFF_UNLOCKED'
  | 'STAFF_DISABLED'
  | 'STAFF_PASSWORD_RESET'
  | 'STAFF_PASSWORD_CHANGED'
  | 'STAFF_TOTP_ENROLLED'
  | 'STAFF_TOTP_RESET'
  | 'STAFF_ROLE_CHANGED'
  | 'STAFF_LOGOUT'
  | 'STAFF_ACTION_REFUSED'
  | 'COUNTER_SEARCH'
  | 'COUNTER_ACCOUNT_VIEWED'
  | 'ACCOUNT_UNLOCKED'
  | 'ACCOUNT_REACTIVATED'
  | 'TEMPORARY_PASSWORD_SET'
  | 'INBOX_LISTED'
  | 'INBOX_MESSAGE_READ'
  | 'INBOX_MESSAGE_ANSWERED'
  | 'HELP_REQUESTED'
  | 'HELP_DONE'
  | 'AUDIT_VERIFIED'
  | 'AUDIT_ROLLBACK_FOUND'
  | 'DELIVERY_QUEUED'
  | 'DELIVERY_SENT'
  | 'DELIVERY_GAVE_UP'
  | 'DELIVERY_DISMISSED';

export interface AuditEvent {
  readonly type: AuditEventType;
  /** Pseudonymous account id (random, never personal data). */
  readonly subject?: string;
  readonly actor: string;
  readonly terminal: string;
  readonly data?: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditTrail {
  append(event: AuditEvent, at: Date): Promise<void>;
  /** The newest events about one subject, newest first, at most `limit` (an account's security history). */
  history(subject: string, limit: number): Promise<readonly RecordedAuditEvent[]>;
  /** Events of the given types at or after `since`, oldest first (the dashboard's daily counts). */
  eventsSince(since: Date, types: readonly AuditEventType[]): Promise<readonly RecordedAuditEvent[]>;
}

export interface RecordedAuditEvent extends AuditEvent {
  readonly at: string;
}
