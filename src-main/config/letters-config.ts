/**
 * Where rendered letters go (config key `letters`), by route. The postal route carries what is
 * posted to the register's address (activation keys, login codes, POSTIDENT coupons): the outbox
 * folder (default) or a hybrid-mail provider's upload API, never a printer at the terminal, where a
 * key would lie in the tray for whoever stands there. The counter route carries the temporary
 * password handed over at the desk: the outbox (default) or the counter's CUPS printer.
 *
 * Threats: a provider URL that sends the address, the PDF and the bearer token readable (plain
 * http is accepted on loopback only), a token or credentials in the configuration file or the URL
 * (the token comes from a file of its own), a printer name that `lp` would read as an option.
 */
import { z } from 'zod';

const timeoutMs = z.number().int().min(100).max(120_000);

/** Letters to post never go to a printer: the refusal says why, before any other issue. */
const POSTAL_PRINT_REFUSED =
  'letters to post (activation keys, login codes, POSTIDENT coupons) never go to a printer at the terminal: use "outbox" or "http"';

const outboxRoute = z.object({ kind: z.literal('outbox') }).strict();

/** 127.0.0.0/8 and ::1 as URL hostnames; names are not trusted to resolve to loopback. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const fieldName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'a field name is 1 to 64 letters, digits, ".", "-" or "_"' });

const httpRoute = z
  .object({
    kind: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }),
    /** A file holding the bearer token (mode 600, like the branch key): read at start, never logged. */
    tokenFile: z.string().min(1),
    /** A CA certificate (PEM) for a provider or gateway with a private certificate; the system's CAs otherwise. */
    caFile: z.string().min(1).optional(),
    timeoutMs: timeoutMs.default(15_000),
    /** multipart/form-data with the PDF as a file part (default), or one JSON object with the PDF in base64. */
    format: z.enum(['multipart', 'json']).default('multipart'),
    fields: z
      .object({ file: fieldName.default('file'), address: fieldName.default('address'), reference: fieldName.default('reference') })
      .strict()
      .refine((f) => new Set(Object.values(f)).size === 3, { message: 'the field names must differ' })
      .prefault({}),
    /** Fixed product options the provider expects with every letter (e.g. {"product": "standard"}). */
    extraFields: z.record(fieldName, z.string().max(200)).default({}),
  })
  .strict()
  .superRefine((http, ctx) => {
    const url = new URL(http.url);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must use https (plain http only on a loopback address such as 127.0.0.1)' });
    }
    if (url.username || url.password || url.hash) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must not carry credentials or a fragment (the token comes from tokenFile)' });
    }
    const taken = new Set(Object.values(http.fields));
    if (Object.keys(http.extraFields).some((name) => taken.has(name))) {
      ctx.addIssue({ code: 'custom', path: ['extraFields'], message: 'must not use the name of the file, address or reference field' });
    }
  });

const printRoute = z
  .object({
    kind: z.literal('print'),
    /** The CUPS queue of the counter's printer (`lpstat -p` lists them). */
    printer: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,126}$/, { message: 'a CUPS printer name: letters, digits, "_", ".", "-", "@"' }),
    timeoutMs: timeoutMs.default(15_000),
    /** lp options, each passed as `-o <option>` (e.g. "media=A4", "sides=one-sided"). */
    options: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}(=[A-Za-z0-9_.,:-]{1,64})?$/, { message: 'an lp option such as "media=A4"' }))
      .max(16)
      .default([]),
  })
  .strict();

const postalRoute = z.preprocess(
  (value, ctx) => {
    if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'print') {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: POSTAL_PRINT_REFUSED });
    }
    return value;
  },
  z.discriminatedUnion('kind', [outboxRoute, httpRoute]),
);

export const lettersSchema = z
  .object({
    postal: postalRoute.prefault({ kind: 'outbox' }),
    counter: z.discriminatedUnion('kind', [outboxRoute, printRoute]).prefault({ kind: 'outbox' }),
  })
  .strict()
  .prefault({});

export type LettersConfig = z.infer<typeof lettersSchema>;
