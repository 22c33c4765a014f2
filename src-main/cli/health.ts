/**
 * Is this terminal able to work? One line per check, beside the running service:
 *   npm run health -- [--data-dir DIR]   (configuration: $KONTOKIOSK_CONFIG, else <data dir>/config.json)
 * Checks: config (valid), store (the embedded files readable and sealed with this directory's key,
 * or the branch database reachable with the schema this version expects), mail (the SMTP server
 * greets, negotiates TLS and accepts the login; without SMTP the mail outbox is writable), sms (the
 * gateway answers an HTTP HEAD; without a gateway the SMS outbox is writable) and each letter
 * route (its dispatch's probe(): the outbox folder writable, the provider's host answering, the
 * counter's printer known to CUPS and not stopped). Exit 0 when every line says ok, 1 otherwise.
 *
 * Model: it runs while the service runs on the same data directory, so it takes no lock (a second
 * holder would stop the service or be refused) and changes nothing the service owns: it reads the
 * store's files or asks the database which migrations it has (never migrating), sends no mail and
 * no SMS (HEAD without credentials), and proves an outbox writable with an empty probe file that it
 * removes at once (the outbox touches only names it wrote). Run it as the service's user
 * (deploy/kontokiosk-health does): as root every folder is writable, so then a folder the service
 * user does not own counts as a failure.
 *
 * Threats: its output goes to terminals, logs and monitoring, so it names hosts, ports, folders and
 * error codes, never a password, token, database user, URL path or query, or a server's own words.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, readdir, readFile, rm } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../config/config.js';
import { SmtpMailer } from '../delivery/mailer.js';
import type { LetterDispatch } from '../delivery/letter-dispatch.js';
import { openLetterRoutes } from '../delivery/letter-routes.js';
import { headPathFor } from '../audit/audit-head.js';
import { LOCK_HOLDER_FILE } from '../startup/data-dir-lock.js';
import { KEY_FILE, listDataDir, readKey, STORE_DIR } from '../startup/data-files.js';
import { checkMarker, MARKER_FILE, markerFileSchema, type MarkerFile } from '../startup/marker.js';
import { asStartupRefusal, StartupRefusal } from '../startup/refusal.js';
import { readBranchKey } from '../store/pg/branch-key.js';
import { describeDatabase } from '../store/pg/branch-store.js';
import { readJsonFile } from '../store/json-file.js';
import { REGISTER_FILE_NAME } from '../store/register-store.js';

interface Line {
  readonly ok: boolean;
  readonly detail: string;
}
const ok = (detail: string): Line => ({ ok: true, detail });
const failed = (detail: string): Line => ({ ok: false, detail });

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(option('--data-dir') ?? process.env['KONTOKIOSK_DATA_DIR'] ?? join(root, 'data'));
const configPath = process.env['KONTOKIOSK_CONFIG'] ?? join(dataDir, 'config.json');
const asRoot = process.getuid?.() === 0;

/** An error as far as it may be printed: its code, or the refusal's own words (which never quote contents). */
function why(error: unknown): string {
  const refusal = asStartupRefusal(error);
  if (refusal instanceof StartupRefusal) return refusal.reason;
  // Errors made to be shown name a file and its problem, never its content (an unusable CA file).
  const { file, problem } = error as { file?: unknown; problem?: unknown };
  if (typeof file === 'string' && typeof problem === 'string') return `${file}: ${problem}`;
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  return error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'an unexpected error';
}

async function holderNote(): Promise<string> {
  try {
    const holder = JSON.parse(await readFile(join(dataDir, LOCK_HOLDER_FILE), 'utf8')) as { pid?: unknown };
    if (typeof holder.pid !== 'number') return '';
    process.kill(holder.pid, 0);
    return `; in use by pid ${holder.pid}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? '; in use by a process of another user' : '';
  }
}

/** The embedded store, read only: set up, sealed with this key, every file there and readable. */
async function embeddedStore(): Promise<Line> {
  const marker = join(dataDir, MARKER_FILE);
  const audit = join(dataDir, 'audit.jsonl');
  const found = await listDataDir(dataDir, { marker, audit, head: headPathFor(audit) });
  if (!found.marker) return failed(`${dataDir} is not set up (no ${MARKER_FILE}): start the service once`);
  const sealed = await readJsonFile<MarkerFile>(marker, { schema: markerFileSchema });
  if (!sealed) return failed(`${marker} cannot be read`);
  const key = await readKey(join(dataDir, KEY_FILE), dataDir);
  if (sealed.format === 2) {
    const verdict = checkMarker(key, sealed);
    if (verdict !== 'OK') return failed(`${marker} does not match ${KEY_FILE} (${verdict})`);
    if (sealed.state !== 'ready') return failed(`${dataDir} is still being set up (state ${sealed.state})`);
  }
  const store = join(dataDir, STORE_DIR);
  const absent = [
    [found.store, store],
    [found.register, join(store, REGISTER_FILE_NAME)],
    [found.accounts || found.shards.size > 0, join(store, 'accounts')],
    [found.audit, audit],
  ].find(([present]) => !present);
  if (absent) return failed(`${String(absent[1])} is missing`);
  await access(join(store, REGISTER_FILE_NAME), constants.R_OK);
  await access(audit, constants.R_OK);
  if (found.accounts) await readdir(join(store, 'accounts'));
  return ok(`embedded files in ${dataDir} readable${await holderNote()}`);
}

/** The branch database, asked and never migrated: a schema behind or ahead of this version is a failure. */
async function branchStore(store: Extract<Config['store'], { kind: 'postgres' }>): Promise<Line> {
  const where = describeDatabase(store.url);
  if (!store.keyFile) return failed('store.keyFile is not set (the branch key file)');
  await readBranchKey(store.keyFile);
  const known = (await readdir(join(root, 'assets', 'migrations'))).filter((f) => f.endsWith('.sql')).map((f) => parse(f).name);
  const client = new pg.Client({ connectionString: store.url, connectionTimeoutMillis: store.connectionTimeoutMs });
  // A connection that breaks later must not end this process with an unhandled error event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    return failed(`PostgreSQL ${where} not reachable (${why(error)})`);
  }
  try {
    const table = await client.query<{ present: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`);
    const applied = table.rows[0]?.present
      ? (await client.query<{ name: string }>('SELECT name FROM public.schema_migrations')).rows.map((r) => r.name)
      : [];
    const newer = applied.filter((name) => !known.includes(name));
    const pending = known.filter((name) => !applied.includes(name));
    if (newer.length > 0) return failed(`PostgreSQL ${where}: the schema is newer than this version (${newer.join(', ')})`);
    if (pending.length > 0)
      return failed(`PostgreSQL ${where}: ${pending.length} migration(s) not applied (the service applies them at its start)`);
    return ok(`PostgreSQL ${where} reachable, schema current (${known.length} migrations)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Writable as the files the service writes there: an empty probe file, created exclusively and removed. */
async function outboxWritable(kind: 'mail' | 'sms' | 'letters'): Promise<Line> {
  const dir = join(dataDir, 'outbox', kind);
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return failed(`outbox ${dir} is missing (the service creates it at its start)`);
  if (!info.isDirectory()) return failed(`outbox ${dir} is not a folder`);
  if (asRoot) {
    const owner = (await lstat(dataDir)).uid;
    if (info.uid !== owner) return failed(`outbox ${dir} is owned by uid ${info.uid}, the data directory by uid ${owner}`);
  }
  const probe = join(dir, `.health-${randomBytes(6).toString('hex')}`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
  } catch (error) {
    return failed(`outbox ${dir} not writable (${why(error)})`);
  }
  await rm(probe, { force: true });
  return ok(`outbox ${dir} writable`);
}

async function mail(config: Config): Promise<Line> {
  const smtp = config.mail.smtp;
  if (!smtp) return outboxWritable('mail');
  const where = `SMTP ${smtp.host}:${smtp.port}`;
  try {
    await new SmtpMailer(smtp, { from: config.mail.from }).verify();
  } catch (error) {
    const code = why(error);
    return failed(code === 'EAUTH' ? `${where} refused the login (EAUTH)` : `${where} unreachable (${code})`);
  }
  return ok(`${where} reachable${smtp.user ? ', login accepted' : ''}`);
}

async function sms(config: Config): Promise<Line> {
  const gateway = config.sms.gateway;
  if (!gateway) return outboxWritable('sms');
  // The origin only: a gateway URL may carry a key in its path or query.
  const where = `gateway ${new URL(gateway.url).origin}`;
  try {
    const response = await fetch(gateway.url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(gateway.timeoutMs) });
    return ok(`${where} reachable (HTTP ${response.status})`);
  } catch (error) {
    return failed(`${where} unreachable (${why(error)})`);
  }
}

/**
 * A letter route as its dispatch sees it (probe() sends nothing). An outbox route is also written
 * to, since its probe asks the file system for permission, which says yes to root.
 */
async function letterRoute(route: LetterDispatch): Promise<Line> {
  const probed = await route.probe();
  if (!probed.ok || route.kind !== 'outbox') return { ok: probed.ok, detail: `${route.kind}: ${probed.detail}` };
  return outboxWritable('letters');
}

async function run(name: string, check: () => Promise<Line>): Promise<boolean> {
  const line = await check().catch((error: unknown) => failed(why(error)));
  console.log(`${name.padEnd(15)} ${line.ok ? 'ok  ' : 'FAIL'}  ${line.detail}`);
  return line.ok;
}

let routes: ReturnType<typeof openLetterRoutes> | undefined;
/** Built once, as the service builds them: a provider's token file missing or exposed fails both lines. */
const routesOf = (c: Config) => (routes ??= openLetterRoutes(c.letters, { dataDir, lettersDir: join(dataDir, 'outbox', 'letters') }));

let config: Config | undefined;
const results = [
  await run('config', async () => {
    const present = await access(configPath).then(
      () => true,
      () => false,
    );
    config = await loadConfig(configPath);
    return ok(present ? `${configPath} valid` : `no ${configPath}: the built-in defaults apply`);
  }),
];
const checks: [string, (c: Config) => Promise<Line>][] = [
  ['store', (c) => (c.store.kind === 'postgres' ? branchStore(c.store) : embeddedStore())],
  ['mail', mail],
  ['sms', sms],
  ['letters-postal', async (c) => letterRoute((await routesOf(c)).postal)],
  ['letters-counter', async (c) => letterRoute((await routesOf(c)).counter)],
];
for (const [name, check] of checks) {
  const loaded = config;
  results.push(await run(name, () => (loaded ? check(loaded) : Promise.resolve(failed('not checked: the configuration is not valid')))));
}
process.exit(results.every(Boolean) ? 0 : 1);
