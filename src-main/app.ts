/**
 * Composition root shared by both shells: opens the data directory and wires the core to its
 * adapters. With no configuration this is the embedded default: lowdb files, the demo register,
 * an outbox folder for mail and letters, and the POSTIDENT simulator.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Argon2PasswordHasher, HmacSecretHasher, nodeRandom } from './adapters/crypto.js';
import { loadCommonPasswords } from './adapters/common-passwords.js';
import { realPacer } from './adapters/pacer.js';
import { FileAuditTrail } from './audit/file-audit-trail.js';
import { loadConfig, type Config } from './config/config.js';
import { createCore, type Core } from './core/index.js';
import type { Clock, Mailer, PasswordHasher, SmsGateway } from './core/ports.js';
import { OutboxLetterPrinter } from './delivery/letters.js';
import { OutboxMailer, SmtpMailer } from './delivery/mailer.js';
import { PostidentSimulator } from './delivery/postident-simulator.js';
import { HttpSmsGateway, OutboxSms } from './delivery/sms.js';
import { DEMO_REGISTER } from './demo/demo-register.js';
import { createDispatcher, type Dispatcher } from './ipc/dispatcher.js';
import { ShardedAccountStore } from './store/account-store.js';
import { writeFileDurably } from './store/durable-file.js';
import { LowdbRegisterStore } from './store/register-store.js';

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
  readonly dispatcher: Dispatcher;
  readonly paths: { readonly data: string; readonly outbox: string; readonly audit: string };
  readonly postident: PostidentSimulator;
  readonly postidentUrl: string;
  close(): Promise<void>;
}

/** The HMAC key for codes and tokens lives beside, not inside, the store file. */
async function loadOrCreateKey(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const key = randomBytes(32);
    await writeFileDurably(path, key);
    return key;
  }
}

export async function openApp(options: AppOptions): Promise<App> {
  const config = options.config ?? (await loadConfig(options.configPath ?? join(options.dataDir, 'config.json')));
  const data = options.dataDir;
  const outbox = join(data, 'outbox');
  const paths = { data, outbox, audit: join(data, 'audit.jsonl') };
  await Promise.all(
    [join(data, 'store'), join(outbox, 'mail'), join(outbox, 'letters'), join(outbox, 'sms')].map((d) =>
      mkdir(d, { recursive: true, mode: 0o700 }),
    ),
  );
  const [key, accounts, register, audit] = await Promise.all([
    loadOrCreateKey(join(data, 'secret.key')),
    ShardedAccountStore.openDirectory(join(data, 'store')),
    LowdbRegisterStore.openDirectory(join(data, 'store')),
    FileAuditTrail.open(paths.audit),
  ]);
  if ((await register.count()) === 0) await register.replaceAll(DEMO_REGISTER);

  const brand = config.brand;
  const mailer =
    options.mailer ??
    (config.mail.smtp ? new SmtpMailer(config.mail.smtp, config.mail.from) : new OutboxMailer(join(outbox, 'mail'), config.mail.from));
  // The simulator reports to the core, which needs the simulator: tie the knot through a reference.
  const coreRef: { current?: Core } = {};
  const postident = new PostidentSimulator(async (caseId, outcome) => {
    if (!coreRef.current) return false;
    return (await coreRef.current.handlePostidentResult(caseId, outcome)).ok;
  });
  const postidentUrl = await postident.listen(config.postident.simulatorPort);
  const core = createCore({
    clock: options.clock ?? { now: () => new Date() },
    pacer: realPacer,
    random: nodeRandom,
    passwords: options.passwords ?? new Argon2PasswordHasher(),
    secrets: new HmacSecretHasher(key),
    commonPasswords: loadCommonPasswords(),
    accounts,
    register,
    mailer,
    sms: options.sms ?? (config.sms.gateway ? new HttpSmsGateway(config.sms.gateway) : new OutboxSms(join(outbox, 'sms'))),
    letters: new OutboxLetterPrinter(join(outbox, 'letters'), brand, join(options.assetsDir, 'fonts')),
    postident,
    audit,
    policy: config.policy,
    brand,
  });
  coreRef.current = core;
  const letterDir = join(outbox, 'letters');
  const dispatcher = createDispatcher(core, config, { documentPath: (ref) => join(letterDir, ref) });
  return {
    config,
    core,
    dispatcher,
    paths,
    postident,
    postidentUrl,
    close: async () => {
      await postident.close();
      await audit.close();
    },
  };
}
