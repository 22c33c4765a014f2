/**
 * deploy/install.sh into a scratch tree (--root), twice: the second run changes nothing and keeps
 * the operator's configuration. The installed server unit is then run as systemd would run it (its
 * ExecStart, Environment and WorkingDirectory, the unit's paths moved into the scratch tree, as an
 * unprivileged user when the test runs as root): it starts, answers on the configured port, and
 * stops cleanly on SIGTERM. `npm run health` beside it says ok without disturbing it, and names an
 * unreachable SMTP server without printing its password. systemd-analyze verifies both units where
 * it is installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgAdminUrl } from '../fixtures/pg.js';

const APP = resolve(import.meta.dirname, '../..');
const INSTALL = join(APP, 'deploy', 'install.sh');
/** The stand-in for the service user in the scratch tree: the real one is not created by a test. */
const OWNER = { user: 'nobody', group: 'nogroup' };
/**
 * As root the server runs as the stand-in, as systemd would run it as its user; unless the app
 * tree lies where that user cannot reach it (a checkout in a private folder): then as root.
 */
const asRoot =
  process.getuid?.() === 0 &&
  spawnSync('setpriv', ['--reuid', OWNER.user, '--regid', OWNER.group, '--clear-groups', 'test', '-r', join(APP, 'package.json')])
    .status === 0;
if (process.getuid?.() === 0 && !asRoot) console.log(`${OWNER.user} cannot read ${APP}: the server runs as root in this test`);
const scratch = mkdtempSync(join(tmpdir(), 'kontokiosk-install-'));
// The stand-in user must reach the scratch tree (mkdtemp makes it 0700).
chmodSync(scratch, 0o755);
const root = join(scratch, 'root');
const installArgs = ['--root', root, '--no-users', ...(asRoot ? ['--owner', `${OWNER.user}:${OWNER.group}`] : [])];
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  readonly status: number | null;
  readonly out: string;
  readonly err: string;
}

function run(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Ran> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? APP, env: options.env ?? process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => done({ status, out, err }));
  });
}

/** A systemd unit file: each section's keys with every value they were given, in order. */
function parseUnit(path: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = new Map();
      sections.set(section[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Any HTTP answer on the port (the shell answers 403 without its launch cookie): the server is up. */
function answers(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 1_000 }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('error', () => done(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);
const owner = (path: string) => {
  const s = statSync(path);
  return `${s.uid}:${s.gid}`;
};
const idOf = (flag: '-u' | '-g', name: string) => spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim();
const groupId = (name: string) => (spawnSync('getent', ['group', name], { encoding: 'utf8' }).stdout.split(':')[2] ?? '').trim();

/** The unit's absolute paths, moved into the scratch tree. */
const inRoot = (value: string) => value.replace(/(^|[\s=])\/(opt|var\/lib|etc|run)\/kontokiosk/g, `$1${root}/$2/kontokiosk`);

const paths = {
  data: join(root, 'var/lib/kontokiosk'),
  config: join(root, 'etc/kontokiosk/config.json'),
  server: join(root, 'etc/systemd/system/kontokiosk.service'),
  window: join(root, 'etc/systemd/user/kontokiosk-window.service'),
  health: join(root, 'usr/local/sbin/kontokiosk-health'),
  handoff: join(root, 'run/kontokiosk/window'),
  policy: join(root, 'etc/chromium/policies/managed/kontokiosk.json'),
};
let port = 0;
let first: Ran;
let second: Ran;
let third: Ran;
let configAfterEdit = '';
let installedStats: Map<string, string>;

const statsOf = (files: readonly string[]) => new Map(files.map((f) => [f, JSON.stringify({ ...statSync(f), atimeMs: 0, atime: 0 })]));

beforeAll(async () => {
  first = await run('bash', [INSTALL, ...installArgs]);
  expect(first.status, first.err).toBe(0);
  // The operator sets the port (and anything else) in the installed file.
  port = await freePort();
  const config = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
  configAfterEdit = `${JSON.stringify({ ...config, terminalId: 'kiosk-test', browserShell: { port } }, null, 2)}\n`;
  writeFileSync(paths.config, configAfterEdit);
  // A run after the edit brings the Chromium policy to the new port; the one after it changes nothing.
  second = await run('bash', [INSTALL, ...installArgs]);
  installedStats = statsOf([
    paths.config,
    paths.server,
    paths.window,
    paths.health,
    paths.data,
    paths.policy,
    join(root, 'etc/kontokiosk'),
  ]);
  third = await run('bash', [INSTALL, ...installArgs]);
}, 90_000);

describe('deploy/install.sh --root', () => {
  it('installs the data directory, the configuration from its template and the units', () => {
    expect(first.out).toMatch(/wrote .*config\.json from the template/);
    expect(mode(paths.data)).toBe('700');
    expect(mode(join(root, 'etc/kontokiosk'))).toBe('750');
    expect(mode(paths.config)).toBe('640');
    expect(mode(paths.health)).toBe('755');
    if (asRoot) {
      const service = `${idOf('-u', OWNER.user)}:${groupId(OWNER.group)}`;
      expect(owner(paths.data)).toBe(service);
      expect(owner(paths.config)).toBe(`0:${groupId(OWNER.group)}`);
      expect(owner(paths.server)).toBe('0:0');
    }
    // The template's comments are gone: the file is plain JSON the app accepts.
    expect(readFileSync(paths.config, 'utf8')).not.toContain('//');
    expect(readFileSync(join(root, 'etc/kontokiosk/config.example.jsonc'), 'utf8')).toContain('// ');
    // The app tree runs where it is, through /opt/kontokiosk.
    expect(existsSync(join(root, 'opt/kontokiosk/src-main/shell/browser/cli.ts'))).toBe(true);
  });

  it("installs the kiosk window's Chromium policy for the configured port, and follows a changed port", () => {
    const policy = JSON.parse(readFileSync(paths.policy, 'utf8')) as { URLAllowlist: string[]; URLBlocklist: string[] };
    expect(mode(paths.policy)).toBe('644');
    expect(policy.URLAllowlist).toEqual([`http://127.0.0.1:${port}`]);
    expect(policy.URLBlocklist).toEqual(expect.arrayContaining(['*', 'file://*', 'chrome://*']));
    expect(first.out).toMatch(/wrote .*kontokiosk\.json/);
    expect(second.out).toMatch(/wrote .*kontokiosk\.json/);
    expect(second.out).toMatch(/install: [12] change\(s\)/);
  });

  it('a further run changes nothing and keeps the edited configuration', () => {
    expect(third.status, third.err).toBe(0);
    expect(third.out).toContain('install: 0 change(s)');
    expect(readFileSync(paths.config, 'utf8')).toBe(configAfterEdit);
    expect(statsOf([...installedStats.keys()])).toEqual(installedStats);
  });

  it('refuses to replace a real folder at /opt/kontokiosk that is not this app tree', async () => {
    const other = join(scratch, 'other');
    mkdirSync(join(other, 'opt/kontokiosk'), { recursive: true });
    writeFileSync(join(other, 'opt/kontokiosk/keep'), 'x');
    const refused = await run('bash', [INSTALL, '--root', other, '--no-users']);
    expect(refused.status).toBe(1);
    expect(refused.err).toContain('exists and is not this app tree');
    expect(readdirSync(join(other, 'opt/kontokiosk'))).toEqual(['keep']);
  });

  it('the server unit runs the browser shell as its own user, hardened, with the hand-off folder', () => {
    const service = parseUnit(paths.server).get('Service');
    const one = (key: string) => service?.get(key)?.at(-1);
    expect(one('User')).toBe('kontokiosk');
    expect(service?.get('Environment')).toContain('KONTOKIOSK_CONFIG=/etc/kontokiosk/config.json');
    expect(one('ExecStart')).toMatch(
      /^node --import tsx \/opt\/kontokiosk\/src-main\/shell\/browser\/cli\.ts --data-dir \/var\/lib\/kontokiosk --no-open --handoff \/run\/kontokiosk\/window$/,
    );
    expect(one('Restart')).toBe('on-failure');
    expect(Number(one('RestartSec'))).toBeGreaterThan(0);
    expect(one('RuntimeDirectory')).toBe('kontokiosk');
    expect(one('StandardOutput')).toBe('journal');
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ReadWritePaths', '/var/lib/kontokiosk'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
    ] as const) {
      expect(one(key), key).toBe(value);
    }
    // V8 compiles to executable memory: this setting would stop node at its first function.
    expect(service?.has('MemoryDenyWriteExecute')).toBe(false);
    const window = parseUnit(paths.window);
    expect(window.get('Unit')?.get('ConditionUser')).toEqual(['kontokiosk-window']);
    expect(window.get('Service')?.get('ExecStart')?.[0]).toContain('kiosk:window -- --handoff /run/kontokiosk/window');
  });

  it('systemd-analyze verify accepts both units', async (context) => {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
      console.log('systemd-analyze is not installed here: the units were not verified by systemd');
      context.skip();
    }
    const server = await run('systemd-analyze', ['verify', paths.server]);
    expect(server.err).toBe('');
    expect(server.status).toBe(0);
    const runtime = join(scratch, 'xdg');
    mkdirSync(runtime, { mode: 0o700, recursive: true });
    const window = await run('systemd-analyze', ['--user', 'verify', paths.window], { env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    expect(window.err).toBe('');
    expect(window.status).toBe(0);
  });
});

describe('the installed server, run as its unit says', () => {
  let server: ChildProcess;
  let serverErr = '';
  let exited: Promise<number | null>;
  const handoffBuilt = readFileSync(join(APP, 'src-main/shell/browser/cli.ts'), 'utf8').includes('--handoff');

  const health = (config: string) =>
    run('npm', ['run', '--silent', 'health', '--', '--data-dir', paths.data], {
      env: { ...process.env, KONTOKIOSK_CONFIG: config },
    });

  beforeAll(async () => {
    const unit = parseUnit(paths.server).get('Service');
    const argv = inRoot(unit?.get('ExecStart')?.at(-1) ?? '').split(/\s+/);
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], LANG: 'C.UTF-8', HOME: paths.data };
    for (const assignment of unit?.get('Environment') ?? []) {
      const [key = '', value = ''] = inRoot(assignment).split(/=(.*)/s);
      env[key] = value;
    }
    // What RuntimeDirectory= (0755, the service user's) and the unit's ExecStartPre (2750, the
    // window user's group; here the stand-in's) make before the start.
    mkdirSync(paths.handoff, { recursive: true });
    chmodSync(join(root, 'run'), 0o755);
    chmodSync(join(root, 'run/kontokiosk'), 0o755);
    if (asRoot) spawnSync('chown', ['-R', `${OWNER.user}:${OWNER.group}`, join(root, 'run/kontokiosk')]);
    chmodSync(paths.handoff, 0o2750);
    const [command = '', ...args] = argv;
    const dropped = asRoot
      ? ['setpriv', ['--reuid', OWNER.user, '--regid', OWNER.group, '--clear-groups', '--no-new-privs', '--', command, ...args]]
      : [command, args];
    server = spawn(dropped[0] as string, dropped[1] as string[], { cwd: inRoot(unit?.get('WorkingDirectory')?.[0] ?? ''), env });
    server.stderr?.on('data', (c: Buffer) => (serverErr += c.toString()));
    server.stdout?.resume();
    exited = new Promise((done) => server.on('exit', (code) => done(code)));
    await until(
      'the server to answer on its configured port',
      async () => {
        if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}: ${serverErr}`);
        return answers(port);
      },
      30_000,
    );
  }, 45_000);
  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('answers on the port of its configuration and set up the data directory as the service user', () => {
    expect(existsSync(join(paths.data, 'data-dir.json'))).toBe(true);
    if (asRoot) expect(owner(join(paths.data, 'secret.key'))).toBe(`${idOf('-u', OWNER.user)}:${groupId(OWNER.group)}`);
    expect(serverErr).toBe('');
  });

  it('keeps a launch URL in the hand-off folder for the window', async (context) => {
    if (!handoffBuilt) {
      console.log('the browser shell has no --handoff yet: the hand-off file was not checked');
      context.skip();
    }
    const file = await until('a hand-off file', () => readdirSync(paths.handoff).find((name) => !name.startsWith('.')), 10_000);
    expect(readFileSync(join(paths.handoff, file), 'utf8')).toContain(`http://127.0.0.1:${port}/`);
    expect(statSync(join(paths.handoff, file)).mode & 0o007).toBe(0);
  });

  it('npm run health beside it: every line ok, and the server keeps its lock and keeps answering', async () => {
    const checked = await health(paths.config);
    expect(checked.out).toMatch(/^config\s+ok\s/m);
    expect(checked.out).toMatch(/^store\s+ok\s+embedded files in .* readable; in use by pid \d+/m);
    expect(checked.out).toMatch(/^mail\s+ok\s+outbox .*outbox\/mail writable/m);
    expect(checked.out).toMatch(/^sms\s+ok\s+outbox .*outbox\/sms writable/m);
    expect(checked.out).toMatch(/^letters-postal\s+ok\s+outbox .*outbox\/letters writable/m);
    expect(checked.out).toMatch(/^letters-counter\s+ok\s+outbox .*outbox\/letters writable/m);
    expect(checked.out.trim().split('\n')).toHaveLength(6);
    expect(checked.status, checked.out + checked.err).toBe(0);
    expect(readdirSync(join(paths.data, 'outbox', 'mail'))).toEqual([]);
    expect(await answers(port)).toBeDefined();
    expect(server.exitCode).toBeNull();
  });

  it('npm run health with an unreachable SMTP server: mail FAIL, exit 1, no password printed', async () => {
    const closed = await freePort();
    const config = JSON.parse(configAfterEdit) as Record<string, unknown>;
    const unreachable = join(scratch, 'smtp-unreachable.json');
    writeFileSync(
      unreachable,
      JSON.stringify({
        ...config,
        mail: {
          smtp: {
            host: '127.0.0.1',
            port: closed,
            requireTls: false,
            user: 'kiosk-user',
            password: 'Pa55-not-printed',
            connectionTimeoutMs: 2_000,
          },
        },
      }),
    );
    const checked = await health(unreachable);
    expect(checked.out).toMatch(new RegExp(`^mail\\s+FAIL\\s+SMTP 127\\.0\\.0\\.1:${closed} unreachable \\(\\w+\\)$`, 'm'));
    expect(checked.out).toMatch(/^store\s+ok\s/m);
    expect(checked.status).toBe(1);
    expect(checked.out + checked.err).not.toContain('Pa55-not-printed');
    expect(checked.out + checked.err).not.toContain('kiosk-user');
  });

  it('npm run health with SMTP and an SMS gateway that answer: ok, and neither a mail nor an SMS is sent', async () => {
    let mails = 0;
    let logins = 0;
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, callback) => {
        logins++;
        callback(null, { user: 'kiosk' });
      },
      onData: (stream, _session, callback) => {
        mails++;
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
    const gatewayRequests: { method?: string | undefined; authorization?: string | undefined }[] = [];
    const gateway = createHttpServer((req, res) => {
      gatewayRequests.push({ method: req.method, authorization: req.headers.authorization });
      res.writeHead(405).end();
    });
    await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
    try {
      const config = JSON.parse(configAfterEdit) as Record<string, unknown>;
      const reachable = join(scratch, 'reachable.json');
      const smtpPort = (smtp.server.address() as AddressInfo).port;
      const gatewayPort = (gateway.address() as AddressInfo).port;
      writeFileSync(
        reachable,
        JSON.stringify({
          ...config,
          mail: { smtp: { host: '127.0.0.1', port: smtpPort, requireTls: false, user: 'kiosk', password: 'Pa55-not-printed' } },
          sms: { gateway: { url: `http://127.0.0.1:${gatewayPort}/send?key=not-printed`, token: 'Tok-not-printed' } },
        }),
      );
      const checked = await health(reachable);
      expect(checked.out).toMatch(new RegExp(`^mail\\s+ok\\s+SMTP 127\\.0\\.0\\.1:${smtpPort} reachable, login accepted$`, 'm'));
      expect(checked.out).toMatch(new RegExp(`^sms\\s+ok\\s+gateway http://127\\.0\\.0\\.1:${gatewayPort} reachable \\(HTTP 405\\)$`, 'm'));
      expect(checked.status, checked.out).toBe(0);
      expect(logins).toBe(1);
      expect(mails).toBe(0);
      expect(gatewayRequests).toEqual([{ method: 'HEAD', authorization: undefined }]);
      expect(checked.out + checked.err).not.toMatch(/not-printed/);
    } finally {
      await new Promise<void>((done) => smtp.close(() => done()));
      await new Promise<void>((done) => gateway.close(() => done()));
    }
  });

  it('stops cleanly on SIGTERM: exit 0, lock released, port closed', async () => {
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(paths.data, '.lock'))).toBe(false);
    expect(await answers(port)).toBeUndefined();
  });
});

describe('npm run health on a branch database', () => {
  it.skipIf(!pgAdminUrl)('says whether the schema is current, never migrating it, and never prints the URL credentials', async () => {
    const dir = mkdtempSync(join(scratch, 'pg-'));
    const key = join(dir, 'branch.key');
    writeFileSync(key, Buffer.alloc(32, 7), { mode: 0o600 });
    const check = async (url: string) => {
      const config = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(config, JSON.stringify({ store: { kind: 'postgres', url, keyFile: key } }));
      return run('npm', ['run', '--silent', 'health', '--', '--data-dir', dir], { env: { ...process.env, KONTOKIOSK_CONFIG: config } });
    };
    const current = await freshDatabase();
    const empty = await freshDatabase({ migrate: false });
    try {
      const ok = await check(current.url);
      expect(ok.out).toMatch(/^store\s+ok\s+PostgreSQL .* reachable, schema current/m);
      const behind = await check(empty.url);
      expect(behind.out).toMatch(/^store\s+FAIL\s+PostgreSQL .*: \d+ migration\(s\) not applied/m);
      expect(behind.status).toBe(1);
      // Asked, not migrated: the empty database is still empty.
      expect((await check(empty.url)).out).toMatch(/not applied/);
      const password = new URL(current.url).password;
      if (password) expect(ok.out + behind.out).not.toContain(password);
    } finally {
      await current.drop();
      await empty.drop();
    }
  });
});
