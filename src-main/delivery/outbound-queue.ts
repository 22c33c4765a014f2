/**
 * Mail and SMS that retry. Every message is first stored (sealed) in the outbound queue, then
 * tried at once; the person waits at most `waitMs` for that try, so a mail server that does not
 * answer costs a registration seconds, not half a minute, and the screen can say honestly whether
 * the message left or is on its way. What did not leave is tried again in the background with a
 * growing pause, by whichever terminal of the branch gets to it first (a lease keeps two from
 * sending it at once), and after the last try it is given up: logged, recorded in the audit trail
 * and listed for staff.
 * Threats: a queue that keeps codes in clear (sealed with the store's key, dropped once sent or
 * given up); a code delivered after it stopped working (a message with an expiry is dropped, not
 * sent late); a message for an account deleted meanwhile (dropped, nothing sent); a server's
 * answer quoting the address in the log or trail (only codes are kept).
 */
import type {
  AccountStore,
  Courier,
  Letter,
  AuditEvent,
  AuditTrail,
  Clock,
  Mailer,
  OutboundRecord,
  OutboundStore,
  OutgoingMail,
  Random,
  SecretBox,
  SendOutcome,
  Sms,
  SmsGateway,
} from '../core/ports.js';
import { DeliveryFailure } from './delivery-failure.js';

export interface OutboundSettings {
  /** How long a person waits for the first try before hearing "on its way". */
  readonly waitMs: number;
  /** Tries in all, the first included, before a message is given up. */
  readonly maxAttempts: number;
  /** Pause before the second try; it doubles with each further try, up to `maxPauseMs`. */
  readonly firstPauseMs: number;
  readonly maxPauseMs: number;
  /** How long a sender holds a record it is trying: longer than one try can take. */
  readonly leaseMs: number;
  /** How long a given-up message stays listed for staff (it names an account), like the outbox's items. */
  readonly keepGivenUpMs: number;
}

export const DEFAULT_OUTBOUND: OutboundSettings = {
  waitMs: 2_000,
  maxAttempts: 8,
  firstPauseMs: 30_000,
  maxPauseMs: 60 * 60_000,
  leaseMs: 2 * 60_000,
  keepGivenUpMs: 30 * 24 * 3_600_000,
};

type Message =
  | { readonly channel: 'EMAIL'; readonly mail: OutgoingMail }
  | { readonly channel: 'SMS'; readonly sms: Sms }
  | { readonly channel: 'LETTER'; readonly letter: Letter; readonly reference: string };

/** Renders a letter and hands it to the postal route under the reference it was given when queued. */
export type PostLetter = (letter: Letter, reference: string) => Promise<void>;
type TryResult = 'SENT' | 'RETRY' | 'GAVE_UP' | 'DROPPED';

/** The code a failure is kept under: ours, an SMTP reply class, or the socket's. */
function failureCode(error: unknown): { code: string; permanent: boolean } {
  if (error instanceof DeliveryFailure) return { code: error.code, permanent: error.permanent };
  const e = error as { code?: unknown; responseCode?: unknown };
  // SMTP 5xx: the server refuses for good (unknown recipient, rejected content); 4xx: try later.
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) {
    return { code: `SMTP_${e.responseCode}`, permanent: true };
  }
  if (typeof e.responseCode === 'number') return { code: `SMTP_${e.responseCode}`, permanent: false };
  return { code: typeof e.code === 'string' && /^[A-Z_]{2,40}$/.test(e.code) ? e.code : 'SEND_FAILED', permanent: false };
}

export class OutboundQueue {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Messages whose person was told "on its way": their late delivery is recorded too. */
  private readonly toldQueued = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly deps: {
      readonly store: OutboundStore;
      readonly box: SecretBox;
      readonly clock: Clock;
      readonly random: Random;
      /** The senders that really deliver (SMTP or outbox files; the SMS gateway or outbox files). */
      readonly mailer: Mailer;
      readonly sms: SmsGateway;
      /** Letters to post (never the counter's printer: a password printed late would lie in the tray). */
      readonly letters?: PostLetter;
      readonly accounts: AccountStore;
      readonly audit: AuditTrail;
      readonly terminal: string;
      readonly log?: (line: string) => void;
    },
    private readonly settings: OutboundSettings = DEFAULT_OUTBOUND,
  ) {}

  /** The Mailer the core uses: queued, tried at once, never lost. */
  readonly mailer: Mailer = { send: (mail) => this.submit({ channel: 'EMAIL', mail }) };
  readonly smsGateway: SmsGateway = { send: (sms) => this.submit({ channel: 'SMS', sms }) };
  /** A letter to post under its reference: queued, tried at once, tried again like mail. */
  readonly postLetter = (letter: Letter, reference: string): Promise<SendOutcome> => this.submit({ channel: 'LETTER', letter, reference });

  private async submit(message: Message): Promise<SendOutcome> {
    const record = this.recordOf(message);
    // Stored before the first try: a crash during it leaves the message for the next pass.
    await this.deps.store.add(record);
    const first = await this.tryAndWait(record, message);
    if (first === 'GAVE_UP') throw new DeliveryFailure('GAVE_UP', 'the message was refused and will not be sent', true);
    return first === 'QUEUED' ? 'QUEUED' : undefined;
  }

  /** The Courier the core uses for messages it writes with the account change that creates them. */
  readonly courier: Courier = {
    // A code written with its change replaces the account's earlier code of the kind: a mail still waiting with that one would arrive dead.
    prepare: (message) => ({ ...this.recordOf(message), supersedes: true }),
    firstTry: async (record) => {
      if (record.sealed === undefined) return 'FAILED';
      const outcome = await this.tryAndWait(record, JSON.parse(this.deps.box.open(record.sealed)) as Message).catch(
        () => 'GAVE_UP' as const,
      );
      return outcome === 'GAVE_UP' ? 'FAILED' : outcome === 'QUEUED' ? 'QUEUED' : 'SENT';
    },
  };

  private recordOf(message: Message): OutboundRecord {
    const now = this.deps.clock.now();
    const item = message.channel === 'EMAIL' ? message.mail : message.channel === 'SMS' ? message.sms : message.letter;
    return {
      id: this.deps.random.token(),
      channel: message.channel,
      kind: item.kind,
      ...(item.accountId === undefined ? {} : { accountId: item.accountId }),
      createdAt: now.toISOString(),
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      // Held for the first try, so a background pass elsewhere does not send it a second time.
      leaseUntil: new Date(now.getTime() + this.settings.leaseMs).toISOString(),
      ...('expiresAt' in item && item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
      state: 'PENDING',
      sealed: this.deps.box.seal(JSON.stringify(message)),
    };
  }

  /** The first try of a stored record; the person waits for it at most `waitMs`. */
  private async tryAndWait(record: OutboundRecord, message: Message): Promise<'SENT' | 'QUEUED' | 'GAVE_UP'> {
    const now = this.deps.clock.now();
    const attempt = this.track(this.attempt(record.id, message));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'WAITING'>((resolve) => {
      timer = setTimeout(() => {
        this.toldQueued.add(record.id);
        resolve('WAITING');
      }, this.settings.waitMs);
    });
    const first = await Promise.race([attempt, waited]);
    clearTimeout(timer);
    if (first === 'SENT') return 'SENT';
    // Dropped: its account went meanwhile (or the record was never written): nothing was sent.
    if (first === 'GAVE_UP' || first === 'DROPPED') return 'GAVE_UP';
    await this.record(record, now, 'DELIVERY_QUEUED', {});
    return 'QUEUED';
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private async record(record: OutboundRecord, at: Date, type: AuditEvent['type'], data: Record<string, string | number>) {
    await this.deps.audit
      .append(
        {
          type,
          ...(record.accountId === undefined ? {} : { subject: record.accountId }),
          actor: 'system',
          terminal: this.deps.terminal,
          data: { channel: record.channel, kind: record.kind, message: record.id, ...data },
        },
        at,
      )
      .catch(() => this.deps.log?.(`[delivery] could not record ${type} for message ${record.id}`));
  }

  /** One try of a record this sender holds; settles the record by what happened. */
  private async attempt(id: string, message: Message): Promise<TryResult> {
    const now = this.deps.clock.now();
    const held = await this.deps.store.update(id, (current) => ({ result: current }));
    if (!held || held.state !== 'PENDING') return 'DROPPED';
    if (held.expiresAt !== undefined && held.expiresAt <= now.toISOString()) return this.giveUp(held, 'EXPIRED', now);
    // A message for an account deleted meanwhile goes with it: nothing is sent.
    if (held.accountId !== undefined && !(await this.deps.accounts.get(held.accountId))) {
      await this.deps.store.update(id, () => ({ next: null, result: null }));
      this.toldQueued.delete(id);
      this.deps.log?.(`[delivery] dropped ${held.channel} ${held.kind} ${id}: its account is gone`);
      return 'DROPPED';
    }
    try {
      if (message.channel === 'EMAIL') await this.deps.mailer.send(message.mail);
      else if (message.channel === 'SMS') await this.deps.sms.send(message.sms);
      else if (this.deps.letters) await this.deps.letters(message.letter, message.reference);
      else throw new DeliveryFailure('NO_LETTER_ROUTE', 'this terminal has no postal route for letters', false);
    } catch (error) {
      this.toldQueued.delete(id);
      const failure = failureCode(error);
      const tries = held.attempts + 1;
      if (failure.permanent || tries >= this.settings.maxAttempts) return this.giveUp({ ...held, attempts: tries }, failure.code, now);
      const pause = Math.min(this.settings.firstPauseMs * 2 ** (tries - 1), this.settings.maxPauseMs);
      const at = this.deps.clock.now();
      await this.deps.store.update(id, (current) => {
        const { leaseUntil: _held, ...rest } = current;
        return {
          next: { ...rest, attempts: tries, lastError: failure.code, nextAttemptAt: new Date(at.getTime() + pause).toISOString() },
          result: null,
        };
      });
      return 'RETRY';
    }
    await this.deps.store.update(id, () => ({ next: null, result: null }));
    const late = this.toldQueued.delete(id) || held.attempts > 0;
    if (late) await this.record(held, this.deps.clock.now(), 'DELIVERY_SENT', { attempts: held.attempts + 1 });
    return 'SENT';
  }

  private async giveUp(held: OutboundRecord, code: string, now: Date): Promise<TryResult> {
    this.toldQueued.delete(held.id);
    const at = now.toISOString();
    await this.deps.store.update(held.id, (current) => {
      const { sealed: _content, leaseUntil: _held, ...rest } = current;
      return { next: { ...rest, attempts: held.attempts, state: 'GAVE_UP', lastError: code, gaveUpAt: at }, result: null };
    });
    this.deps.log?.(`[delivery] gave up ${held.channel} ${held.kind} ${held.id} after ${held.attempts} tries: ${code}`);
    await this.record(held, now, 'DELIVERY_GAVE_UP', { attempts: held.attempts, reason: code });
    return 'GAVE_UP';
  }

  /** One background pass: tries every due record it can hold; returns how many it tried. */
  runDue(limit = 50): Promise<number> {
    this.running ??= this.pass(limit).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(limit: number): Promise<number> {
    const now = this.deps.clock.now();
    await this.deps.store.pruneGaveUp(new Date(now.getTime() - this.settings.keepGivenUpMs).toISOString());
    const due = await this.deps.store.due(now.toISOString(), limit);
    let tried = 0;
    for (const candidate of due) {
      const leaseUntil = new Date(now.getTime() + this.settings.leaseMs).toISOString();
      const claimed = await this.deps.store.update(candidate.id, (current) => {
        const free = current.state === 'PENDING' && (current.leaseUntil === undefined || current.leaseUntil <= now.toISOString());
        return free ? { next: { ...current, leaseUntil }, result: current } : { result: undefined };
      });
      if (!claimed?.sealed) continue;
      let message: Message;
      try {
        message = JSON.parse(this.deps.box.open(claimed.sealed)) as Message;
      } catch {
        // Sealed with another key (a terminal of another branch, a replaced key file): it cannot be read, so it cannot go.
        await this.giveUp(claimed, 'UNREADABLE', now);
        continue;
      }
      tried += 1;
      await this.track(this.attempt(claimed.id, message));
    }
    return tried;
  }

  /** Runs a pass now and then every `everyMs`, until stop(). */
  start(everyMs: number): void {
    const pass = () => void this.runDue().catch((error: unknown) => this.deps.log?.(`[delivery] pass failed: ${(error as Error).name}`));
    pass();
    this.timer = setInterval(pass, everyMs);
    this.timer.unref();
  }

  /** Stops the passes and waits for the tries under way (a try that hangs is left to its lease). */
  async stop(graceMs = 5_000): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight, this.running]), grace]);
    clearTimeout(timer);
  }
}
