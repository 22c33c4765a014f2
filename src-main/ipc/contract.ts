/**
 * The IPC contract shared by both shells: channel names, their input schemas (parsed from
 * `unknown`, strict: unknown fields are refused), who may call them and on which kind of terminal.
 * The renderer imports only the types from here. Code lengths come from the policy (contractFor),
 * so a configured length is the length the contract accepts.
 *
 * Who may call (`auth`): `none` (anyone at the terminal), `account` (a logged-in insured person),
 * `staff` (a counter staff member whose login is complete) or `supervisor`. Where (`terminal`): a
 * kiosk's channels, the counter's, or both. Every entry is made by one of the helpers below, whose
 * types require both, so a channel without a level cannot be written.
 */
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';

/**
 * Text is well-formed and free of NUL: the branch database stores neither a lone surrogate nor a
 * NUL (PostgreSQL refuses both in text and jsonb), so such text is refused here on every store,
 * not stored on one and an INTERNAL failure on the other.
 */
const storable = (s: string) => s.isWellFormed() && !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(storable, { message: 'not storable text' });
/** Passwords must be well-formed UTF-16: a lone surrogate would be hashed as a replacement character. */
const secret = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.isWellFormed(), { message: 'not well-formed text' });
const empty = z.strictObject({});
/** A register file from the console arrives in base64 pieces (see ipc/register-upload.ts). */
/** Larger registers are imported on the machine (npm run register:import), not through a window. */
export const MAX_REGISTER_BYTES = 64 * 1024 * 1024;
/** Base64 characters per piece: 48 KiB of text (36 KiB of file), well inside a call body. */
export const REGISTER_CHUNK_CHARS = 48 * 1024;

export type AuthLevel = 'none' | 'account' | 'staff' | 'supervisor';
export type TerminalRole = 'kiosk' | 'counter';
type Where = TerminalRole | 'any';
interface ChannelSpec<A extends AuthLevel, W extends Where, I extends z.ZodType> {
  readonly auth: A;
  readonly terminal: W;
  readonly input: I;
}
const spec = <A extends AuthLevel, W extends Where, I extends z.ZodType>(auth: A, terminal: W, input: I): ChannelSpec<A, W, I> => ({
  auth,
  terminal,
  input,
});
/** A kiosk channel: for anyone (`none`) or a logged-in person (`account`). */
const kiosk = <A extends 'none' | 'account', I extends z.ZodType>(auth: A, input: I) => spec(auth, 'kiosk', input);
/** A counter channel: `none` only for the steps of the staff login, otherwise staff or supervisor. */
const counter = <A extends 'none' | 'staff' | 'supervisor', I extends z.ZodType>(auth: A, input: I) => spec(auth, 'counter', input);

/** Every staff action names why it is taken: one line, 1 to 500 characters. */
const reason = z
  .string()
  .max(500)
  .refine(storable, { message: 'not storable text' })
  .refine((s) => s.trim().length > 0, { message: 'a reason is required' });
const id = text(64).min(1);
const identityDocument = z.enum(['ID_CARD', 'PASSPORT', 'RESIDENCE_PERMIT', 'ARRIVAL_CERTIFICATE']);
const onAccount = z.strictObject({ accountId: id, reason });
const onAccountWithDocument = z.strictObject({ accountId: id, reason, document: identityDocument });
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A code of exactly n digits, surrounding spaces allowed (people type them). */
const digits = (n: number) => z.string().regex(new RegExp(`^\\s*\\d{${n}}\\s*$`));

const registrationInput = z.strictObject({
  kvnr: text(20).min(1),
  firstName: text(100).min(1),
  lastName: text(100).min(1),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  email: text(254).min(3),
  username: text(64).min(1),
  // Longer than the policy allows, so that the policy can name the rule (TOO_LONG).
  password: text(4096).min(1),
  privacyVersion: text(20),
  participationVersion: text(20),
  language: z.enum(['de', 'en']),
});

export function contractFor(policy: Policy) {
  const emailCode = digits(policy.emailCode.digits);
  const smsCode = digits(policy.mtan.smsCodeDigits);
  const tanCode = digits(policy.mtan.tanDigits);
  const totp = digits(6);
  return {
    'app.info': spec('none', 'any', empty),
    'registration.submit': kiosk('none', registrationInput),
    'session.login': kiosk('none', z.strictObject({ username: text(64).min(1), password: secret(4096) })),
    'session.logout': kiosk('none', empty),
    'session.touch': kiosk('account', empty),
    // More time at the idle warning, or for a person who needs it throughout: bounded in the core.
    'session.moreTime': kiosk('account', z.strictObject({ kind: z.enum(['MORE_TIME', 'NEEDS_MORE_TIME']) })),
    'onboarding.state': kiosk('account', empty),
    'email.confirm': kiosk('account', z.strictObject({ email: text(254).min(3), code: emailCode })),
    'email.resend': kiosk('account', empty),
    'identity.requestLetter': kiosk('account', empty),
    'identity.enterKey': kiosk('account', z.strictObject({ key: text(40).min(1) })),
    'identity.startPostident': kiosk('account', empty),
    'identity.printCoupon': kiosk('account', empty),
    'mailbox.decide': kiosk('account', z.strictObject({ accept: z.boolean() })),
    'password.forgot': kiosk(
      'none',
      z.strictObject({ username: text(64).min(1), kvnr: text(20).min(1), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    ),
    'password.reset': kiosk('none', z.strictObject({ username: text(64).min(1), code: emailCode, newPassword: secret(4096) })),
    'username.forgot': kiosk('none', z.strictObject({ kvnr: text(20).min(1), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
    'username.reveal': kiosk('none', z.strictObject({ kvnr: text(20).min(1), code: emailCode })),
    'password.change': kiosk('account', z.strictObject({ currentPassword: secret(4096), newPassword: secret(4096) })),
    'session.loginCode': kiosk(
      'none',
      z.strictObject({ kvnr: text(20).min(1), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), code: text(20).min(1) }),
    ),
    'session.lockNotice': kiosk(
      'none',
      z.union([z.strictObject({ username: text(64).min(1) }), z.strictObject({ kvnr: text(20).min(1) })]),
    ),
    'mtan.start': kiosk('account', empty),
    'mtan.card': kiosk('account', z.strictObject({ digits: z.string().regex(/^\d{5}$/) })),
    'mtan.phone': kiosk('account', z.strictObject({ phone: text(30).min(3) })),
    'mtan.resend': kiosk('account', empty),
    'mtan.confirm': kiosk('account', z.strictObject({ code: smsCode })),
    'mtan.leave': kiosk('account', empty),
    'tan.request': kiosk(
      'account',
      z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('RECEIPT_VIEW') }),
        z.strictObject({ action: z.literal('CHANGE_MOBILE'), phone: text(30).min(3) }),
        z.strictObject({ action: z.literal('CHANGE_EMAIL'), email: text(254).min(3) }),
      ]),
    ),
    'receipt.view': kiosk('account', z.strictObject({ tan: tanCode })),
    'personal.data': kiosk('account', empty),
    'contact.changeEmail': kiosk('account', z.strictObject({ email: text(254).min(3), tan: tanCode })),
    'contact.confirmEmail': kiosk('account', z.strictObject({ code: emailCode })),
    'contact.changeMobile': kiosk('account', z.strictObject({ phone: text(30).min(3), tan: tanCode })),
    'mailbox.list': kiosk('account', empty),
    'mailbox.write': kiosk('account', z.strictObject({ subject: text(120).min(1), body: text(5000).min(1) })),
    'mailbox.markRead': kiosk('account', z.strictObject({ id: text(40).min(1) })),
    'certificate.create': kiosk('account', empty),
    'account.delete': kiosk('account', z.strictObject({ password: secret(4096), confirm: z.literal(true) })),
    'password.chooseOwn': kiosk('account', z.strictObject({ newPassword: secret(4096) })),
    // Anyone at a kiosk may call for help; the request names the terminal, never the person.
    'help.request': kiosk('none', empty),

    // The counter: the staff login and its stages (a session under way, not yet a principal).
    'staff.login': counter('none', z.strictObject({ username: text(64).min(1), password: secret(4096) })),
    'staff.state': counter('none', empty),
    'staff.totp': counter('none', z.strictObject({ code: totp })),
    'staff.enrolTotp': counter('none', empty),
    'staff.confirmTotp': counter('none', z.strictObject({ code: totp })),
    'staff.replacePassword': counter('none', z.strictObject({ newPassword: secret(4096) })),
    'staff.logout': counter('none', empty),
    'staff.touch': counter('staff', empty),
    'staff.changePassword': counter('staff', z.strictObject({ currentPassword: secret(4096), newPassword: secret(4096) })),
    // Counter actions (R10), each with a reason.
    'counter.search': counter(
      'staff',
      z.strictObject({
        query: z.discriminatedUnion('by', [
          z.strictObject({ by: z.literal('KVNR'), kvnr: text(20).min(1) }),
          z.strictObject({ by: z.literal('USERNAME'), username: text(64).min(1) }),
          z.strictObject({ by: z.literal('NAME'), lastName: text(100).min(1), firstName: text(100).optional(), birthDate: isoDay }),
        ]),
        reason,
      }),
    ),
    'counter.account': counter('staff', onAccount),
    'counter.confirmIdentity': counter('staff', onAccountWithDocument),
    'counter.liftLock': counter('staff', onAccount),
    'counter.reactivate': counter('staff', onAccountWithDocument),
    'counter.temporaryPassword': counter('staff', onAccountWithDocument),
    'counter.newActivationLetter': counter('staff', onAccount),
    'counter.issueLoginCode': counter('staff', onAccountWithDocument),
    'counter.resendEmailCode': counter('staff', onAccount),
    'counter.deleteAccount': counter(
      'staff',
      z.strictObject({ accountId: id, reason, document: identityDocument, confirm: z.literal(true) }),
    ),
    'inbox.list': counter('staff', empty),
    'inbox.read': counter('staff', z.strictObject({ id, reason })),
    'inbox.answer': counter('staff', z.strictObject({ id, subject: text(120).min(1), body: text(5000).min(1), reason })),
    // Help requests from kiosks: terminal and time only, so closing one needs no reason.
    'help.list': counter('staff', empty),
    'help.done': counter('staff', z.strictObject({ id })),
    // Mail and SMS that could not be delivered.
    'undelivered.list': counter('staff', empty),
    'undelivered.dismiss': counter('staff', z.strictObject({ id })),
    // Supervisors: staff accounts.
    'staff.list': counter('supervisor', empty),
    'staff.create': counter(
      'supervisor',
      z.strictObject({ username: text(64).min(1), role: z.enum(['staff', 'supervisor']), ownKvnr: text(20).min(1).optional(), reason }),
    ),
    'staff.change': counter(
      'supervisor',
      z.strictObject({
        staffId: id,
        change: z.union([
          z.enum(['DISABLE', 'RESET_PASSWORD', 'RESET_TOTP', 'UNLOCK']),
          z.strictObject({ role: z.enum(['staff', 'supervisor']) }),
        ]),
        reason,
      }),
    ),
    'register.importBegin': counter('supervisor', z.strictObject({ size: z.number().int().min(1).max(MAX_REGISTER_BYTES), reason })),
    'register.importChunk': counter(
      'supervisor',
      z.strictObject({
        uploadId: id,
        seq: z.number().int().min(0),
        data: z
          .string()
          .max(REGISTER_CHUNK_CHARS)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/),
      }),
    ),
    // acceptShrink: the supervisor confirmed an import that removes persons with an online account or a tenth of the register.
    'register.importFinish': counter('supervisor', z.strictObject({ uploadId: id, reason, acceptShrink: z.boolean().optional() })),
    'audit.verify': counter('supervisor', z.strictObject({ reason })),
    'dashboard.stats': counter('supervisor', empty),
  } as const satisfies Record<string, ChannelSpec<AuthLevel, Where, z.ZodType>>;
}

/** The contract with the default policy: the source of the channel names and input types. */
export const channels = contractFor(DEFAULT_POLICY);

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.infer<(typeof channels)[C]['input']>;
/** Channels a kiosk's renderer may call, and those of the counter's. */
export type KioskChannel = { [C in Channel]: (typeof channels)[C]['terminal'] extends 'counter' ? never : C }[Channel];
export type CounterChannel = { [C in Channel]: (typeof channels)[C]['terminal'] extends 'kiosk' ? never : C }[Channel];
/** The channels a terminal of this role may call (the counter's Electron preload exposes only these). */
export function channelsFor(role: TerminalRole): Channel[] {
  return CHANNELS.filter((c) => channels[c].terminal === 'any' || channels[c].terminal === role);
}
export const CHANNELS = Object.keys(channels) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
