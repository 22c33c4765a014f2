/**
 * The IPC contract shared by both shells: channel names, their input schemas (parsed from
 * `unknown`, strict: unknown fields are refused) and who may call them. The renderer imports only
 * the types from here. Code lengths come from the policy (contractFor), so a configured length is
 * the length the contract accepts.
 */
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';

const text = (max: number) => z.string().max(max);
/** Passwords must be well-formed UTF-16: a lone surrogate would be hashed as a replacement character. */
const secret = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.isWellFormed(), { message: 'not well-formed text' });
const empty = z.strictObject({});

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
  return {
    'app.info': { auth: 'none', input: empty },
    'registration.submit': { auth: 'none', input: registrationInput },
    'session.login': { auth: 'none', input: z.strictObject({ username: text(64).min(1), password: secret(4096) }) },
    'session.logout': { auth: 'none', input: empty },
    'session.touch': { auth: 'account', input: empty },
    'onboarding.state': { auth: 'account', input: empty },
    'email.confirm': {
      auth: 'account',
      input: z.strictObject({ email: text(254).min(3), code: emailCode }),
    },
    'email.resend': { auth: 'account', input: empty },
    'identity.requestLetter': { auth: 'account', input: empty },
    'identity.enterKey': { auth: 'account', input: z.strictObject({ key: text(40).min(1) }) },
    'identity.startPostident': { auth: 'account', input: empty },
    'identity.printCoupon': { auth: 'account', input: empty },
    'mailbox.decide': { auth: 'account', input: z.strictObject({ accept: z.boolean() }) },
    'password.forgot': {
      auth: 'none',
      input: z.strictObject({ username: text(64).min(1), kvnr: text(20).min(1), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    },
    'password.reset': {
      auth: 'none',
      input: z.strictObject({ username: text(64).min(1), code: emailCode, newPassword: secret(4096) }),
    },
    'password.change': {
      auth: 'account',
      input: z.strictObject({ currentPassword: secret(4096), newPassword: secret(4096) }),
    },
    'session.loginCode': {
      auth: 'none',
      input: z.strictObject({ kvnr: text(20).min(1), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), code: text(20).min(1) }),
    },
    'session.lockNotice': {
      auth: 'none',
      input: z.union([z.strictObject({ username: text(64).min(1) }), z.strictObject({ kvnr: text(20).min(1) })]),
    },
    'mtan.start': { auth: 'account', input: empty },
    'mtan.card': { auth: 'account', input: z.strictObject({ digits: z.string().regex(/^\d{5}$/) }) },
    'mtan.phone': { auth: 'account', input: z.strictObject({ phone: text(30).min(3) }) },
    'mtan.resend': { auth: 'account', input: empty },
    'mtan.confirm': { auth: 'account', input: z.strictObject({ code: smsCode }) },
    'mtan.leave': { auth: 'account', input: empty },
    'tan.request': {
      auth: 'account',
      input: z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('RECEIPT_VIEW') }),
        z.strictObject({ action: z.literal('CHANGE_MOBILE'), phone: text(30).min(3) }),
        z.strictObject({ action: z.literal('CHANGE_EMAIL'), email: text(254).min(3) }),
      ]),
    },
    'receipt.view': { auth: 'account', input: z.strictObject({ tan: tanCode }) },
    'personal.data': { auth: 'account', input: empty },
    'contact.changeEmail': { auth: 'account', input: z.strictObject({ email: text(254).min(3), tan: tanCode }) },
    'contact.confirmEmail': { auth: 'account', input: z.strictObject({ code: emailCode }) },
    'contact.changeMobile': { auth: 'account', input: z.strictObject({ phone: text(30).min(3), tan: tanCode }) },
    'mailbox.list': { auth: 'account', input: empty },
    'mailbox.write': { auth: 'account', input: z.strictObject({ subject: text(120).min(1), body: text(5000).min(1) }) },
    'mailbox.markRead': { auth: 'account', input: z.strictObject({ id: text(40).min(1) }) },
    'certificate.create': { auth: 'account', input: empty },
    'account.delete': { auth: 'account', input: z.strictObject({ password: secret(4096), confirm: z.literal(true) }) },
  } as const satisfies Record<string, { auth: 'none' | 'account'; input: z.ZodType }>;
}

/** The contract with the default policy: the source of the channel names and input types. */
export const channels = contractFor(DEFAULT_POLICY);

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.infer<(typeof channels)[C]['input']>;
export const CHANNELS = Object.keys(channels) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
