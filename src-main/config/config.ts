/**
 * Configuration, validated with zod. Every number of SPEC.md is a default here; an operator's
 * config.json in the data directory (or the file named by KONTOKIOSK_CONFIG) overrides any part.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { policySchema } from '../core/policy.js';
import { lettersSchema } from './letters-config.js';
import { DamagedFileError, describeIssues, parseJsonSyntax } from '../store/json-file.js';

const positiveInt = z.number().int().positive();

/** A letter text in each language; one string (as older configurations give it) stands for both. */
function perLanguage(max: number, de: string, en: string) {
  const text = z.string().max(max);
  return z
    .preprocess((v) => (typeof v === 'string' ? { de: v, en: v } : v), z.object({ de: text.default(de), en: text.default(en) }).strict())
    .prefault({});
}

const configSchema = z
  .object({
    brand: z
      .object({
        name: z.string().min(1).max(60).default('Kontokiosk'),
        senderLine: z.string().max(120).default('Kontokiosk · Musterallee 1 · 10115 Berlin'),
        serviceHint: perLanguage(
          300,
          'Fragen? Unsere Geschäftsstellen und unser Kundenservice helfen Ihnen gern.',
          'Questions? Our branch offices and our customer service are glad to help.',
        ),
        /** The information block of letters: one line per "\n". */
        serviceContact: perLanguage(
          300,
          'Kundenservice\nTelefon 030 23125 400\nMo–Fr 8–18 Uhr\nservice@kontokiosk.invalid',
          'Customer service\nPhone +49 30 23125 400\nMon–Fri 8 am–6 pm\nservice@kontokiosk.invalid',
        ),
        /** The foot of every letter (legal form, address, board, supervision): one line per "\n". */
        legalFooter: perLanguage(
          600,
          'Kontokiosk Krankenkasse · Körperschaft des öffentlichen Rechts · Musterallee 1 · 10115 Berlin\nVorstand: Dr. Erika Beispiel · Aufsicht: Bundesamt für Soziale Sicherung, Bonn',
          'Kontokiosk health insurance fund · corporation under public law · Musterallee 1 · 10115 Berlin\nExecutive board: Dr Erika Beispiel · Supervised by the Federal Office for Social Security, Bonn',
        ),
        primaryColor: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/)
          .default('#005a7a'),
      })
      .strict()
      .prefault({}),
    policy: policySchema.prefault({}),
    terminalId: z.string().min(1).max(40).default('kiosk-1'),
    /** What this terminal is: a self-service kiosk (default) or a counter desk for staff. */
    terminalRole: z.enum(['kiosk', 'counter']).default('kiosk'),
    /** The terminal id of a counter desk (terminalRole "counter", --counter, or the counter of --kiosk-and-counter): the audit names the desk by it. */
    counterTerminalId: z.string().min(1).max(40).default('counter-1'),
    kiosk: z
      .object({
        enabled: z.boolean().default(false),
        idleWarnAfterMs: positiveInt.default(90_000),
        idleCountdownMs: positiveInt.default(20_000),
        /**
         * The screen's CSS pixels per millimetre, measured on the device: touch targets are 9 mm and
         * gaps 2 mm wide there. 4.9 makes 9 mm about 44 CSS px; a dense panel needs more.
         */
        pixelsPerMm: z.number().min(2).max(20).default(4.9),
        /** System name of the printer that kiosk mode prints to without a dialog (default printer when absent). */
        printerName: z.string().min(1).max(200).optional(),
        /** Where the counter is, shown by the kiosk's help button in each kiosk language. */
        helpText: z
          .object({
            de: z.string().min(1).max(300).default('Unser Kundenservice ist am Schalter im Eingangsbereich. Sprechen Sie uns gern an.'),
            en: z.string().min(1).max(300).default('Our customer service is at the counter in the entrance area. Feel free to ask us.'),
            tr: z.string().min(1).max(300).default('Müşteri hizmetlerimiz giriş alanındaki gişededir. Bize seve seve danışabilirsiniz.'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    mail: z
      .object({
        from: z.string().default('Kontokiosk <noreply@kontokiosk.invalid>'),
        /** Where answers to the app's mails go (the insurer's service address); absent: to `from`. */
        replyTo: z.string().min(3).optional(),
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            secure: z.boolean().default(false),
            requireTls: z.boolean().default(true),
            /** Only for a local relay without TLS; needs requireTls false. */
            ignoreTls: z.boolean().default(false),
            caFile: z.string().min(1).optional(),
            servername: z.string().min(1).optional(),
            connectionTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
            greetingTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
            socketTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
            user: z.string().optional(),
            password: z.string().optional(),
          })
          .strict()
          .refine((smtp) => !(smtp.ignoreTls && smtp.requireTls), {
            path: ['ignoreTls'],
            message: 'ignoreTls needs requireTls false: plain text is never a silent fallback',
          })
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
    /** The outbound queue of mail and SMS (delivery/outbound-queue.ts). */
    delivery: z
      .object({
        /** How long a person waits for the first try before the screen says "on its way". */
        waitMs: z.number().int().min(0).max(30_000).default(2_000),
        /** Tries in all before a message is given up and shown to staff. */
        maxAttempts: z.number().int().min(1).max(50).default(8),
        /** Pause before the second try; it doubles with each try up to maxPauseMinutes. */
        firstPauseSeconds: z.number().int().min(1).max(3_600).default(30),
        maxPauseMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
        /** How often this terminal looks for messages that are due. */
        passSeconds: z.number().int().min(1).max(3_600).default(15),
      })
      .strict()
      .prefault({}),
    postident: z
      .object({
        // simulator: the labelled test page (default); http: a real provider's case API; off: not offered.
        mode: z.enum(['simulator', 'http', 'off']).default('simulator'),
        simulatorPort: z.number().int().min(0).max(65535).default(0),
        // The provider's case API as assumed here: POST <baseUrl>/cases -> {caseId, continueUrl},
        // GET <baseUrl>/cases/{caseId} -> {status}. Paths, field names and status names can be mapped.
        http: z
          .object({
            baseUrl: z.url({ protocol: /^https?$/ }),
            token: z.string().min(1),
            // Plain http sends the bearer token readable: only loopback, or a deliberate operator choice.
            allowPlainHttp: z.boolean().default(false),
            timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
            pollIntervalMs: z.number().int().min(1_000).max(86_400_000).default(60_000),
            label: z.string().min(1).max(60).default('POSTIDENT'),
            paths: z
              .object({
                openCase: z
                  .string()
                  .regex(/^\/[^?#]*$/)
                  .default('/cases'),
                caseStatus: z
                  .string()
                  .regex(/^\/[^?#]*\{caseId\}[^?#]*$/)
                  .default('/cases/{caseId}'),
              })
              .strict()
              .prefault({}),
            fields: z
              .object({
                reference: z.string().min(1).default('reference'),
                firstName: z.string().min(1).default('firstName'),
                lastName: z.string().min(1).default('lastName'),
                birthDate: z.string().min(1).default('birthDate'),
                caseId: z.string().min(1).default('caseId'),
                continueUrl: z.string().min(1).default('continueUrl'),
                status: z.string().min(1).default('status'),
              })
              .strict()
              .prefault({}),
            statuses: z
              .object({
                OPEN: z.array(z.string().min(1)).min(1).default(['OPEN']),
                SUCCESS: z.array(z.string().min(1)).min(1).default(['SUCCESS']),
                DECLINED: z.array(z.string().min(1)).min(1).default(['DECLINED']),
                ABANDONED: z.array(z.string().min(1)).min(1).default(['ABANDONED']),
              })
              .strict()
              .prefault({}),
          })
          .strict()
          .superRefine((http, ctx) => {
            const url = new URL(http.baseUrl);
            const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
            if (url.protocol === 'http:' && !loopback && !http.allowPlainHttp) {
              ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'must use https (plain http only on 127.0.0.1)' });
            }
            if (url.username || url.password || url.search || url.hash) {
              ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'must not carry credentials, a query or a fragment' });
            }
            const names = Object.values(http.statuses).flat();
            if (new Set(names).size !== names.length) {
              ctx.addIssue({ code: 'custom', path: ['statuses'], message: 'a provider status may map to one state only' });
            }
          })
          .optional(),
      })
      .strict()
      .refine((p) => p.mode !== 'http' || p.http !== undefined, { path: ['http'], message: 'required when mode is "http"' })
      .prefault({}),
    /**
     * Where accounts, staff, the register, the counter's queue and the audit trail live: the
     * embedded files of this terminal's data directory (lowdb, one kiosk), or the branch's
     * PostgreSQL database shared by every terminal. `keyFile` is the branch key (32 bytes) that
     * every terminal of the branch must have the same copy of; it never goes into the database.
     */
    store: z
      .discriminatedUnion('kind', [
        z
          .object({
            kind: z.literal('lowdb'),
            /** The embedded register's ceiling: a larger import is refused (use kind "postgres" for it). */
            maxRegisterPersons: positiveInt.default(2_000_000),
          })
          .strict(),
        z
          .object({
            kind: z.literal('postgres'),
            url: z.string().min(1),
            keyFile: z.string().min(1).optional(),
            poolSize: z.number().int().min(1).max(100).default(10),
            connectionTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
          })
          .strict(),
      ])
      .prefault({ kind: 'lowdb' }),
    /** Password hashing: hashes at once (default: one per core) and how many may wait (default: four per core). */
    hashing: z
      .object({ workers: z.number().int().min(1).max(64).optional(), maxWaiting: z.number().int().min(0).max(10_000).optional() })
      .strict()
      .prefault({}),
    browserShell: z
      .object({ port: z.number().int().min(0).max(65535).default(0) })
      .strict()
      .prefault({}),
    /** Where the consent texts' version folders are (default: the consents folder of the app's assets). */
    consentTexts: z
      .object({ dir: z.string().min(1).optional() })
      .strict()
      .prefault({}),
    /** Where rendered letters go: the postal and the counter route (letters-config.ts). */
    letters: lettersSchema,
    // The outbox is the hand-over point to print and mail staff: items older than this count as delivered.
    outbox: z
      .object({
        retentionDays: z.number().int().min(1).max(3650).default(30),
        /** On a branch database: how often this terminal removes the items of accounts deleted at another terminal. */
        orphanSweepMinutes: z.number().int().min(1).max(1440).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    // The kiosk warns before the session ends, never after: a session that dies while the warning
    // still counts down would throw the person out mid-sentence.
    const { idleWarnAfterMs, idleCountdownMs } = config.kiosk;
    if (config.policy.session.idleMs < idleWarnAfterMs + idleCountdownMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['policy', 'session', 'idleMs'],
        message: `must be at least kiosk.idleWarnAfterMs + kiosk.idleCountdownMs (${idleWarnAfterMs + idleCountdownMs} ms)`,
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export function parseConfig(raw: unknown): Config {
  return configSchema.parse(raw);
}

/**
 * config.json holds credentials (POSTIDENT bearer token, SMTP and SMS passwords): an error about it
 * names the file and a position or a schema path, never a value (V8's JSON messages and zod's
 * prettifyError can quote them).
 */
export class InvalidConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'InvalidConfigError';
  }
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
  let raw: unknown;
  try {
    raw = parseJsonSyntax(path, text);
  } catch (error) {
    throw error instanceof DamagedFileError ? new InvalidConfigError(path, error.problem) : error;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new InvalidConfigError(path, describeIssues(result.error.issues, raw));
  return result.data;
}
