/**
 * Composition root shared by both shells: opens the data directory and wires the core to its
 * adapters. With no configuration this is the embedded default: lowdb files, the demo register,
 * an outbox folder for mail and letters, and the POSTIDENT simulator.
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AesSecretBox, Argon2PasswordHasher, BoundedPasswordHasher, HmacSecretHasher, nodeRandom } from './adapters/crypto.js';
import { loadCommonPasswords } from './adapters/common-passwords.js';
import { realPacer } from './adapters/pacer.js';
import { FileAuditTrail } from './audit/file-audit-trail.js';
import { loadConfig, type Config } from './config/config.js';
import { createCore, type Core } from './core/index.js';
import type { Clock, Letter, Mailer, PasswordHasher, SmsGateway } from './core/ports.js';
import { fail } from './core/result.js';
import { PdfDocumentRenderer, renderLetter } from './delivery/letters.js';
import { RoutedLetterPrinter, type LetterRoutes } from './delivery/letter-dispatch.js';
import { openLetterRoutes } from './delivery/letter-routes.js';
import { OutboxMailer, SmtpCaFileError, SmtpMailer } from './delivery/mailer.js';
import { OutboundQueue } from './delivery/outbound-queue.js';
import { FileOutbox, scheduleOutboxRetention } from './delivery/outbox.js';
import { openPostident, type PostidentSetup } from './delivery/postident-mode.js';
import { HttpSmsGateway, OutboxSms } from './delivery/sms.js';
import { DEMO_REGISTER } from './demo/demo-register.js';
import { createDispatcher, type Dispatcher } from './ipc/dispatcher.js';
import type { TerminalRole } from './ipc/contract.js';
import { PendingDocuments } from './ipc/pending-documents.js';
import { RegisterUploads } from './ipc/register-upload.js';
import { verifyAuditFile } from './audit/verify-trail.js';
import { ShardedAccountStore } from './store/account-store.js';
import { LowdbRegisterStore } from './store/register-store.js';
import { AuditedRegisterStore } from './store/audited-register-store.js';
import { LowdbStaffStore } from './store/staff-store.js';
import { LowdbInboxStore } from './store/inbox-store.js';
import { LowdbOutboundStore } from './store/outbound-store.js';
import { AuditedOutboundStore } from './store/audited-outbound-store.js';
import { openDataDirectory, type OpenDataDir } from './startup/data-dir.js';
import { asStartupRefusal, StartupRefusal } from './startup/refusal.js';
import { openBranchStore } from './store/pg/branch-store.js';
import { FileMailboxStore, MAILBOX_DIR } from './store/mailbox-store.js';
import { AuditedAccountStore } from './store/audited-account-store.js';
import { AuditedInboxStore, AuditedStaffStore } from './store/audited-counter-stores.js';
import { verifyPgTrail } from './audit/pg-audit-trail.js';
import { ChainWitness, recordedRollback } from './audit/pg-witness.js';
import { loadConsentTexts } from './startup/consent-texts.js';

/** The start-up line about POSTIDENT, for the shells: they reach adapters only through here. */
export { postidentNotice } from './delivery/postident-mode.js';

export interface AppOptions {
  readonly dataDir: string;
  readonly assetsDir: string;
  readonly configPath?: string | undefined;
  readonly config?: Config;
  readonly clock?: Clock;
  readonly passwords?: PasswordHasher;
  readonly mailer?: Mailer;
  readonly sms?: SmsGateway;
}

export interface App {
  readonly config: Config;
  readonly core: Core;
  /** The dispatcher for this terminal's configured role (kiosk by default). */
  readonly dispatcher: Dispatcher;
  /** A dispatcher for a given role on the same core (one process serving a kiosk and a counter). */
  dispatcherFor(role: TerminalRole): Dispatcher;
  readonly paths: { readonly data: string; readonly outbox: string; readonly audit: string };
  /** The configured POSTIDENT provider (simulator by default, a provider's API, or off). */
  readonly postident: PostidentSetup;
  /** The simulator's page while the simulator is on. */
  readonly postidentUrl: string | undefined;
  /** Where letters go (config `letters`), for a health check: each route's probe() sends nothing. */
  readonly letterRoutes: LetterRoutes;
  /** The outbox's sweep as its timers run it (age, and on a branch database the items of deleted accounts). */
  sweepOutbox(): Promise<number>;
  /** The outbound queue of mail and SMS; its background pass runs on a timer, runDue() runs one now. */
  readonly outbound: OutboundQueue;
  close(): Promise<void>;
}

/**
 * Takes the data directory before anything reads it: its lock (one process per directory), the
 * HMAC key for codes and tokens (beside, not inside, the store) and the presence of every store
 * file, or refuses with a StartupRefusal (startup/data-dir.ts). A new directory gets the demo
 * register. The lock is released by close(), or at once if the start fails.
 */
export async function openApp(options: AppOptions): Promise<App> {
  // Read first: whether the store is this directory's or the branch database's decides what a new directory gets.
  const config =
    options.config ??
    (await loadConfig(options.configPath ?? join(options.dataDir, 'config.json')).catch((error: unknown) => {
      throw asStartupRefusal(error);
    }));
  const dataDir = await openDataDirectory({
    dataDir: options.dataDir,
    auditFile: join(options.dataDir, 'audit.jsonl'),
    // A shared database never gets the demo register by a start: `npm run register:demo` loads it on purpose.
    initialRegister: config.store.kind === 'postgres' ? [] : DEMO_REGISTER,
  });
  return dataDir.guard(() => wireApp(options, config, dataDir));
}

/** SMTP when configured, else .eml files in the outbox; a CA file that cannot serve refuses the start, named. */
function openMailer(config: Config, outboxDir: string, clock: Clock): Mailer {
  const headers = { from: config.mail.from, replyTo: config.mail.replyTo };
  if (!config.mail.smtp) return new OutboxMailer(outboxDir, headers, clock);
  try {
    return new SmtpMailer(config.mail.smtp, headers);
  } catch (error) {
    if (!(error instanceof SmtpCaFileError)) throw error;
    throw new StartupRefusal(
      'SMTP_CA_UNREADABLE',
      error.file,
      `mail.smtp.caFile names ${error.file}, but ${error.problem}. Put the PEM certificate of the CA that signed the mail server's certificate there, or fix the path.`,
    );
  }
}

/**
 * How long a terminal holds a message it is trying: longer than the slowest try the configuration
 * allows (SMTP connection, greeting and socket time-outs; the SMS gateway's and the letter
 * provider's time-outs), so another terminal never takes it up while it is still under way.
 */
function holdFor(config: Config): number {
  const smtp = config.mail.smtp;
  const mail = smtp ? smtp.connectionTimeoutMs + smtp.greetingTimeoutMs + smtp.socketTimeoutMs : 0;
  const sms = config.sms.gateway?.timeoutMs ?? 0;
  const letters = config.letters.postal.kind === 'http' ? config.letters.postal.timeoutMs : 0;
  return Math.max(2 * 60_000, Math.max(mail, sms, letters) + 30_000);
}

const WITNESS_FILE = 'audit-witness.json';
const WITNESS_EVERY_MS = 5 * 60_000;

/**
 * This terminal's witness of the branch chain (audit/pg-witness.ts): checked at start and every
 * few minutes, moved on to the head it sees. A rollback below what it saw is logged and recorded
 * in the chain once (AUDIT_ROLLBACK_FOUND), so the supervisor's journal and audit:verify show it.
 */
async function watchBranchChain(branch: Awaited<ReturnType<typeof openBranchStore>>, path: string, terminal: string) {
  const witness = new ChainWitness(branch.db, branch.audit, path);
  /** A finding recorded whose witness could not be moved on yet: moved on next time, not recorded again. */
  let recordedUnmoved = false;
  const look = async () => {
    if (recordedUnmoved) {
      await witness.remember(true);
      recordedUnmoved = false;
      return;
    }
    const finding = await witness.check();
    if (finding) {
      console.error(
        `[audit] the branch chain ends at entry ${finding.headSeq}, but this terminal saw entry ${finding.witnessSeq}: entries were removed and an older head put back; recorded in the chain, keep the database's logs and backups`,
      );
      await branch.audit.append(
        { type: 'AUDIT_ROLLBACK_FOUND', actor: 'system', terminal, data: { witnessSeq: finding.witnessSeq, headSeq: finding.headSeq } },
        new Date(),
      );
      recordedUnmoved = true;
    }
    await witness.remember(finding !== undefined);
    recordedUnmoved = false;
  };
  // A witness that cannot be read or moved on does not stop the terminal: it says so and looks again.
  const lookQuietly = () =>
    look().catch((error: unknown) => {
      const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : 'unknown';
      console.error(`[audit] the witness of the branch chain could not be checked (${reason}); checked again in five minutes`);
    });
  await lookQuietly();
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(lookQuietly);
  }, WITNESS_EVERY_MS);
  timer.unref();
  return {
    check: () => witness.check(),
    stop: async () => {
      clearInterval(timer);
      await running;
      await witness.remember().catch(() => undefined);
    },
  };
}

/** This terminal's stores: the data directory's files, or the branch database shared by every terminal. */
async function openStores(options: AppOptions, config: Config, dataDir: OpenDataDir, auditPath: string) {
  if (config.store.kind === 'postgres') {
    const branch = await openBranchStore(config.store, join(options.assetsDir, 'migrations'));
    const witness = await watchBranchChain(branch, join(options.dataDir, WITNESS_FILE), config.terminalId);
    const verify = async () => {
      const rolledBack = await witness.check();
      if (rolledBack) return { ok: false, code: rolledBack.code, entries: rolledBack.headSeq };
      const check = await verifyPgTrail(branch.db, branch.key);
      // A rollback a terminal found and recorded stays a finding of every later check.
      const recorded = check.ok ? await recordedRollback(branch.db) : undefined;
      if (recorded) return { ok: false, code: 'ROLLED_BACK', entries: check.entries, brokenAtLine: recorded.seq };
      return {
        ok: check.ok,
        code: check.code,
        entries: check.entries,
        ...(check.ok ? {} : 'brokenAtSeq' in check ? { brokenAtLine: check.brokenAtSeq, problem: check.reason } : {}),
      };
    };
    return {
      ...branch,
      verify,
      close: async () => {
        await witness.stop();
        await branch.close();
      },
    };
  }
  const dir = join(options.dataDir, 'store');
  const [accounts, register, staff, inbox, outbound] = await Promise.all([
    ShardedAccountStore.openDirectory(dir),
    LowdbRegisterStore.openDirectory(dir, { maxPersons: config.store.maxRegisterPersons }),
    LowdbStaffStore.openDirectory(dir),
    LowdbInboxStore.openDirectory(dir),
    LowdbOutboundStore.openDirectory(dir),
  ]);
  const key = dataDir.key;
  // Opened only once the stores passed their checks: a refused start leaves no open handle.
  const audit = await FileAuditTrail.open(auditPath, key, { origin: dataDir.origin });
  /** The console's check of the trail: everything written is synced and named by the head first. */
  const verify = async () => {
    await audit.flush();
    const check = await verifyAuditFile(auditPath, { key });
    return {
      ok: check.ok,
      code: check.code,
      ...('entries' in check ? { entries: check.entries } : {}),
      ...(check.code === 'CHAIN_BROKEN' ? { brokenAtLine: check.brokenAtLine, problem: check.reason } : {}),
      ...(check.code === 'ALTERED_BEFORE_START' ? { brokenAtLine: check.line, problem: check.finding } : {}),
    };
  };
  const mailbox = new FileMailboxStore(join(dir, MAILBOX_DIR));
  // The embedded store has no transactions: audit entries of a change follow it (store/audited-account-store.ts,
  // store/audited-counter-stores.ts).
  return {
    key,
    accounts: new AuditedAccountStore(accounts, audit, outbound),
    register: new AuditedRegisterStore(register, audit),
    staff: new AuditedStaffStore(staff, audit),
    inbox: new AuditedInboxStore(inbox, audit),
    mailbox,
    outbound: new AuditedOutboundStore(outbound, audit),
    audit,
    verify,
    close: () => audit.close(),
  };
}

async function wireApp(options: AppOptions, config: Config, dataDir: OpenDataDir): Promise<App> {
  // Before anything is opened: a kiosk must not ask for consent to texts it cannot show.
  const consentTexts = await loadConsentTexts(config.consentTexts.dir ?? join(options.assetsDir, 'consents'), config.policy.consents);
  const data = options.dataDir;
  const outbox = join(data, 'outbox');
  const paths = { data, outbox, audit: join(data, 'audit.jsonl') };
  await Promise.all(
    [join(outbox, 'mail'), join(outbox, 'letters'), join(outbox, 'sms')].map((d) => mkdir(d, { recursive: true, mode: 0o700 })),
  );
  // Before the stores open: a provider's token file that is missing or exposed refuses the start.
  const letterRoutes = await openLetterRoutes(config.letters, { dataDir: data, lettersDir: join(outbox, 'letters') });
  const stores = await openStores(options, config, dataDir, paths.audit);
  const { key, accounts, register, staff, inbox, mailbox, outbound: outboundStore, audit } = stores;
  // A start that fails from here on leaves nothing open: the pool and the witness go with it.
  try {
    const clock = options.clock ?? { now: () => new Date() };
    // Outbox items carry personal data until hand-over: swept by age now and daily (README: outbox).
    const outboxItems = new FileOutbox([join(outbox, 'letters'), join(outbox, 'mail'), join(outbox, 'sms')]);
    // On a branch database an account can be deleted at another terminal: its items here go by a sweep,
    // on proof only: the account is gone and the branch's trail records its deletion. An account a
    // wrong, empty or lagging database merely lacks keeps its letters.
    const deleted = async (id: string) =>
      (await accounts.get(id)) === undefined && (await audit.history(id, 10)).some((event) => event.type === 'ACCOUNT_DELETED');
    const orphans = config.store.kind === 'postgres' ? { deleted, everyMs: config.outbox.orphanSweepMinutes * 60_000 } : undefined;
    const retention = scheduleOutboxRetention(outboxItems, clock, config.outbox.retentionDays, orphans);
    await retention.sweep().catch((error: unknown) => {
      retention.stop();
      throw error;
    });
    const brand = config.brand;
    const mailer = options.mailer ?? openMailer(config, join(outbox, 'mail'), clock);
    const sms = options.sms ?? (config.sms.gateway ? new HttpSmsGateway(config.sms.gateway) : new OutboxSms(join(outbox, 'sms'), clock));
    const secretBox = new AesSecretBox(key);
    const renderWithBrand = (letter: Letter, at: Date) => renderLetter(letter, brand, join(options.assetsDir, 'fonts'), at);
    // The queue's later tries of a letter to post go straight to the postal route.
    const postDirectly = new RoutedLetterPrinter(renderWithBrand, letterRoutes, clock);
    // Every mail and SMS goes through the queue: stored sealed, tried at once, tried again until it goes or is given up.
    const outbound = new OutboundQueue(
      {
        store: outboundStore,
        box: secretBox,
        clock,
        random: nodeRandom,
        mailer,
        sms,
        accounts,
        audit,
        terminal: config.terminalId,
        log: console.error,
        letters: (letter, reference) => postDirectly.dispatchAs(letter, reference),
      },
      {
        waitMs: config.delivery.waitMs,
        maxAttempts: config.delivery.maxAttempts,
        firstPauseMs: config.delivery.firstPauseSeconds * 1_000,
        maxPauseMs: config.delivery.maxPauseMinutes * 60_000,
        leaseMs: holdFor(config),
        keepGivenUpMs: config.outbox.retentionDays * 24 * 3_600_000,
      },
    );
    // The provider reports to the core, which needs the provider: tie the knot through a reference.
    const coreRef: { current?: Core } = {};
    const postident = await openPostident(config.postident, {
      result: async (caseId, outcome) => (coreRef.current ? (await coreRef.current.identity.postidentResult(caseId, outcome)).ok : false),
      refresh: (accountId) => (coreRef.current ? coreRef.current.identity.refreshPostident(accountId) : Promise.resolve(fail('INTERNAL'))),
    });
    const postidentUrl = postident.simulatorUrl;
    const core = createCore({
      clock,
      pacer: realPacer,
      random: nodeRandom,
      passwords: new BoundedPasswordHasher(
        options.passwords ?? new Argon2PasswordHasher(),
        config.hashing.workers ?? availableParallelism(),
        config.hashing.maxWaiting ?? 4 * availableParallelism(),
      ),
      secrets: new HmacSecretHasher(key),
      commonPasswords: loadCommonPasswords(),
      accounts,
      register,
      staff,
      inbox,
      mailbox,
      secretBox,
      mailer: outbound.mailer,
      sms: outbound.smsGateway,
      letters: new RoutedLetterPrinter(renderWithBrand, letterRoutes, clock, outbound.postLetter),
      documents: new PdfDocumentRenderer(brand, join(options.assetsDir, 'fonts'), clock),
      outbox: outboxItems,
      outbound: outboundStore,
      courier: outbound.courier,
      postident: postident.provider,
      audit,
      policy: config.policy,
      brand,
    });
    coreRef.current = core;
    // One store of pending documents for every dispatcher of this process.
    const documents = new PendingDocuments(core.deps.clock, core.deps.random);
    const uploads = new RegisterUploads(core.deps.clock, core.deps.random);
    const verifyAudit = stores.verify;
    const dispatchers = new Map<TerminalRole, Dispatcher>();
    const dispatcherFor = (role: TerminalRole): Dispatcher => {
      const existing = dispatchers.get(role);
      if (existing) return existing;
      const made = createDispatcher(core, config, { role, documents, uploads, verifyAudit, consentTexts });
      dispatchers.set(role, made);
      return made;
    };
    const dispatcher = dispatcherFor(config.terminalRole);
    // What an earlier run left in the queue goes now; then every few seconds.
    outbound.start(config.delivery.passSeconds * 1_000);
    return {
      config,
      core,
      dispatcher,
      dispatcherFor,
      paths,
      postident,
      postidentUrl,
      letterRoutes,
      sweepOutbox: () => retention.sweep(),
      outbound,
      close: async () => {
        try {
          retention.stop();
          await outbound.stop();
          await postident.close();
          await stores.close();
        } finally {
          await dataDir.release();
        }
      },
    };
  } catch (error) {
    await stores.close().catch(() => undefined);
    throw error;
  }
}
