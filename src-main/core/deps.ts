import type { Policy } from './policy.js';
import type {
  AccountStore,
  AuditEntry,
  AuditEvent,
  AuditTrail,
  Clock,
  CommonPasswords,
  DocumentRenderer,
  InboxStore,
  MailboxStore,
  LetterPrinter,
  OutboundStore,
  Courier,
  Mailer,
  Outbox,
  Pacer,
  PasswordHasher,
  PostidentProvider,
  Random,
  RegisterStore,
  SecretBox,
  SecretHasher,
  SmsGateway,
  StaffStore,
} from './ports.js';

/** The core names the brand in mails and SMS; letters take the rest of it in their adapter. */
interface Brand {
  readonly name: string;
}

export interface CoreDeps {
  readonly clock: Clock;
  readonly pacer: Pacer;
  readonly random: Random;
  readonly passwords: PasswordHasher;
  readonly secrets: SecretHasher;
  readonly commonPasswords: CommonPasswords;
  readonly accounts: AccountStore;
  readonly register: RegisterStore;
  readonly staff: StaffStore;
  readonly inbox: InboxStore;
  readonly mailbox: MailboxStore;
  /** Seals TOTP secrets with a key outside the store. */
  readonly secretBox: SecretBox;
  readonly mailer: Mailer;
  readonly sms: SmsGateway;
  readonly letters: LetterPrinter;
  readonly documents: DocumentRenderer;
  readonly outbox: Outbox;
  /** Mail and SMS waiting for their next try (the counter lists the given-up ones). */
  readonly outbound: OutboundStore;
  /** Messages written with the account change that creates them, then tried (see Courier). */
  readonly courier: Courier;
  readonly postident: PostidentProvider;
  readonly audit: AuditTrail;
  readonly policy: Policy;
  readonly brand: Brand;
}

/** Who acts, from where: every audit entry carries it. */
export interface Actor {
  readonly actor: string;
  readonly terminal: string;
}

/** Audit entries to record with an account change (AccountChange.audit): committed with it, or not at all. */
export function auditEntries(who: Actor, now: Date, ...events: readonly Omit<AuditEvent, 'actor' | 'terminal'>[]): AuditEntry[] {
  return events.map((event) => ({ event: { ...event, actor: who.actor, terminal: who.terminal }, at: now }));
}

export function auditEvent(deps: CoreDeps, who: Actor, now: Date, event: Omit<AuditEvent, 'actor' | 'terminal'>): Promise<void> {
  return deps.audit.append({ ...event, actor: who.actor, terminal: who.terminal }, now);
}
