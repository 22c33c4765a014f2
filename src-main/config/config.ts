/**
 * Configuration, validated with zod. Every number of SPEC.md is a default here; an operator's
 * config.json in the data directory (or the file named by KONTOKIOSK_CONFIG) overrides any part.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';

const positiveInt = z.number().int().positive();

const policySchema = z
  .object({
    minimumAge: positiveInt.default(DEFAULT_POLICY.minimumAge),
    password: z
      .object({
        minLength: positiveInt.default(DEFAULT_POLICY.password.minLength),
        maxLength: positiveInt.default(DEFAULT_POLICY.password.maxLength),
        minClasses: z.number().int().min(1).max(4).default(DEFAULT_POLICY.password.minClasses),
      })
      .strict()
      .prefault({}),
    emailCode: z
      .object({
        digits: z.number().int().min(6).max(12).default(DEFAULT_POLICY.emailCode.digits),
        validityMs: positiveInt.default(DEFAULT_POLICY.emailCode.validityMs),
        maxFailures: positiveInt.default(DEFAULT_POLICY.emailCode.maxFailures),
        maxResendsPerHour: positiveInt.default(DEFAULT_POLICY.emailCode.maxResendsPerHour),
      })
      .strict()
      .prefault({}),
    activationKey: z
      .object({
        validityDays: positiveInt.default(DEFAULT_POLICY.activationKey.validityDays),
        maxFailures: positiveInt.default(DEFAULT_POLICY.activationKey.maxFailures),
      })
      .strict()
      .prefault({}),
    login: z
      .object({
        maxFailures: positiveInt.default(DEFAULT_POLICY.login.maxFailures),
        lockMs: positiveInt.default(DEFAULT_POLICY.login.lockMs),
        failureFloorMs: z.number().int().min(0).max(5_000).default(DEFAULT_POLICY.login.failureFloorMs),
      })
      .strict()
      .prefault({}),
    passwordReset: z
      .object({
        validityMs: positiveInt.default(DEFAULT_POLICY.passwordReset.validityMs),
        maxFailures: positiveInt.default(DEFAULT_POLICY.passwordReset.maxFailures),
        maxRequestsPerHour: positiveInt.default(DEFAULT_POLICY.passwordReset.maxRequestsPerHour),
      })
      .strict()
      .prefault({}),
    passwordChange: z
      .object({
        historySize: z.number().int().min(1).max(24).default(DEFAULT_POLICY.passwordChange.historySize),
        reminderDays: positiveInt.default(DEFAULT_POLICY.passwordChange.reminderDays),
      })
      .strict()
      .prefault({}),
    session: z
      .object({
        idleMs: positiveInt.default(DEFAULT_POLICY.session.idleMs),
        absoluteMs: positiveInt.default(DEFAULT_POLICY.session.absoluteMs),
      })
      .strict()
      .prefault({}),
    mtan: z
      .object({
        cardMaxFailures: positiveInt.default(DEFAULT_POLICY.mtan.cardMaxFailures),
        enrolmentMs: positiveInt.default(DEFAULT_POLICY.mtan.enrolmentMs),
        smsCodeValidityMs: positiveInt.default(DEFAULT_POLICY.mtan.smsCodeValidityMs),
        smsCodeMaxFailures: positiveInt.default(DEFAULT_POLICY.mtan.smsCodeMaxFailures),
        tanValidityMs: positiveInt.default(DEFAULT_POLICY.mtan.tanValidityMs),
        tanMaxFailures: positiveInt.default(DEFAULT_POLICY.mtan.tanMaxFailures),
        defaultRegion: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .default(DEFAULT_POLICY.mtan.defaultRegion),
      })
      .strict()
      .prefault({}),
    loginCode: z
      .object({ validityDays: positiveInt.default(DEFAULT_POLICY.loginCode.validityDays) })
      .strict()
      .prefault({}),
    consents: z
      .object({
        privacyVersion: z.string().min(1).default(DEFAULT_POLICY.consents.privacyVersion),
        participationVersion: z.string().min(1).default(DEFAULT_POLICY.consents.participationVersion),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const configSchema = z
  .object({
    brand: z
      .object({
        name: z.string().min(1).max(60).default('Kontokiosk'),
        senderLine: z.string().max(120).default('Kontokiosk · Musterallee 1 · 10115 Berlin'),
        serviceHint: z
          .string()
          .max(300)
          .default('Fragen? Unsere Geschäftsstellen helfen Ihnen gern. / Questions? Our branch offices are glad to help.'),
        primaryColor: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/)
          .default('#005a7a'),
      })
      .strict()
      .prefault({}),
    policy: policySchema.prefault({}),
    terminalId: z.string().min(1).max(40).default('kiosk-1'),
    kiosk: z
      .object({
        enabled: z.boolean().default(false),
        idleWarnAfterMs: positiveInt.default(90_000),
        idleCountdownMs: positiveInt.default(20_000),
      })
      .strict()
      .prefault({}),
    mail: z
      .object({
        from: z.string().default('Kontokiosk <noreply@kontokiosk.invalid>'),
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            secure: z.boolean().default(false),
            requireTls: z.boolean().default(true),
            user: z.string().optional(),
            password: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    sms: z
      .object({
        gateway: z
          .object({
            url: z.url({ protocol: /^https?$/ }),
            token: z.string().optional(),
            user: z.string().optional(),
            password: z.string().optional(),
            sender: z.string().max(11).default('Kontokiosk'),
            timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    postident: z
      .object({
        mode: z.literal('simulator').default('simulator'),
        simulatorPort: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .prefault({}),
    browserShell: z
      .object({ port: z.number().int().min(0).max(65535).default(0) })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export function parseConfig(raw: unknown): Config {
  return configSchema.parse(raw);
}

export async function loadConfig(path: string | undefined): Promise<Config> {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({});
    throw error;
  }
  const result = configSchema.safeParse(JSON.parse(text));
  if (!result.success) throw new Error(`Invalid configuration in ${path}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function policyOf(config: Config): Policy {
  return config.policy;
}
