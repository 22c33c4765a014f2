/**
 * Schemas of the store files, checked on every read. They cover the structure, the fields the
 * store indexes on (id, kvnr, usernameKey, POSTIDENT case) and the fields every rule reads without
 * a guard; optional parts are checked only as far as the store relies on them, and unknown fields
 * pass, so a newer field never blocks the start. Custom messages never include values.
 */
import { z } from 'zod';
import type { JsonSchema } from './json-file.js';

const text = z.string().min(1);
const instant = z.string().min(1);

export const ACCOUNT_SCHEMA = z.looseObject({
  id: text,
  kvnr: text,
  username: text,
  usernameKey: text,
  language: z.enum(['de', 'en']),
  createdAt: instant,
  password: z.looseObject({ hash: text, changedAt: instant, history: z.array(z.string()) }),
  consents: z.looseObject({
    privacy: z.looseObject({ version: z.string(), acceptedAt: instant }),
    participation: z.looseObject({ version: z.string(), acceptedAt: instant }),
  }),
  email: z.looseObject({ email: text, resentAt: z.array(z.string()) }),
  identity: z.looseObject({ postident: z.looseObject({ caseId: text }).optional() }),
  mailbox: z.looseObject({ state: z.enum(['PENDING', 'ACTIVE', 'DECLINED']) }),
  login: z.looseObject({ failures: z.number().int().nonnegative() }),
});

const shardSchema = z.strictObject({
  accounts: z.record(z.string(), ACCOUNT_SCHEMA).superRefine((accounts, ctx) => {
    for (const [key, account] of Object.entries(accounts)) {
      if (account.id !== key) ctx.addIssue({ code: 'custom', path: [key, 'id'], message: 'the id differs from the entry key' });
    }
  }),
});

export const SHARD_FILE: JsonSchema = { schema: shardSchema, recordField: 'accounts' };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const personSchema = z.looseObject({
  kvnr: text,
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  street: z.string(),
  postalCode: z.string(),
  city: z.string(),
  insuranceStart: isoDate,
  insuranceEnd: isoDate.optional(),
  cardNumber: z.string(),
  receipts: z.array(z.looseObject({ date: isoDate, provider: z.string(), service: z.string(), amountCents: z.number().int() })),
});

export const REGISTER_FILE: JsonSchema = { schema: z.strictObject({ persons: z.array(personSchema) }) };

const staffSchema = z.looseObject({
  id: text,
  username: text,
  usernameKey: text,
  role: z.enum(['staff', 'supervisor']),
  createdAt: instant,
  createdBy: text,
  password: z.looseObject({ hash: text, changedAt: instant, mustChange: z.boolean() }),
  totp: z.looseObject({ sealedSecret: text, enrolledAt: instant, lastStep: z.number().int() }).optional(),
  login: z.looseObject({ failures: z.number().int().nonnegative(), lockedUntil: instant.optional() }),
  disabledAt: instant.optional(),
  epoch: z.number().int().nonnegative(),
});

const byId = <T extends z.ZodType<{ id: string }>>(record: T) =>
  z.strictObject({
    records: z.record(z.string(), record).superRefine((records, ctx) => {
      for (const [key, value] of Object.entries(records)) {
        if (value.id !== key) ctx.addIssue({ code: 'custom', path: [key, 'id'], message: 'the id differs from the entry key' });
      }
    }),
  });

export const STAFF_FILE: JsonSchema = { schema: byId(staffSchema), recordField: 'records' };

const messageSchema = z.looseObject({ id: text, accountId: text, subject: z.string(), body: z.string(), at: instant });
// A help request names a terminal and times, nothing else: strict, so nothing personal can ride along.
const helpSchema = z.strictObject({
  id: text,
  kind: z.literal('HELP'),
  terminal: text,
  at: instant,
  doneAt: instant.optional(),
  doneBy: text.optional(),
});
const inboxSchema = z.union([helpSchema, messageSchema]);

export const INBOX_FILE: JsonSchema = { schema: byId(inboxSchema), recordField: 'records' };

// A queued message: its content only sealed, the rest what scheduling and staff need.
const outboundSchema = z.strictObject({
  id: text,
  channel: z.enum(['EMAIL', 'SMS', 'LETTER']),
  kind: text,
  accountId: text.optional(),
  createdAt: instant,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: instant,
  leaseUntil: instant.optional(),
  expiresAt: instant.optional(),
  state: z.enum(['PENDING', 'GAVE_UP']),
  lastError: text.optional(),
  gaveUpAt: instant.optional(),
  sealed: text.optional(),
  supersedes: z.literal(true).optional(),
});

export const OUTBOUND_FILE: JsonSchema = { schema: byId(outboundSchema), recordField: 'records' };
