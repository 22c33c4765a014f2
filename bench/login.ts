/**
 * Login throughput and latency against a bare argon2 verify, both measured in this run.
 *
 * argon2id m = 19456 KiB, t = 2, p = 1 (OWASP's minimum recommendation): about 9 ms a verify on the
 * branch machines, which keeps a kiosk login instant and makes every offline guess expensive.
 * The login path adds the account lookup, the lock rules, the session and the audit entry; it
 * should cost within a few percent of the hash itself.
 *
 *   npm run bench:login
 */
import { verify } from '@node-rs/argon2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ARGON2_OPTIONS } from '../src-main/adapters/crypto.js';
import { openApp } from '../src-main/app.js';
import { DEMO_REGISTER } from '../src-main/demo/demo-register.js';

const N = 200;
const who = { actor: 'bench', terminal: 'bench' };
const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-bench-login-'));

function stats(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

interface Run {
  perSecond: number;
  latency: ReturnType<typeof stats>;
  samples: number[];
  elapsed: number;
}

function combine(runs: Run[]): Run {
  const samples = runs.flatMap((r) => r.samples);
  const elapsed = runs.reduce((a, r) => a + r.elapsed, 0);
  return { samples, elapsed, perSecond: (samples.length / elapsed) * 1000, latency: stats(samples) };
}

/** `work` gets the worker's number, so parallel workers log in to different accounts. */
async function measure(work: (worker: number) => Promise<unknown>, parallel: number, count = N): Promise<Run> {
  for (let i = 0; i < 4; i++) await work(i % parallel);
  const samples: number[] = [];
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async (_, worker) => {
      while (next < count) {
        next++;
        const t = performance.now();
        await work(worker);
        samples.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - start;
  return { perSecond: (count / elapsed) * 1000, latency: stats(samples), samples, elapsed };
}

try {
  const app = await openApp({ dataDir, assetsDir: resolve(import.meta.dirname, '../assets') });
  const people = DEMO_REGISTER.filter((p) => ['Mustermann', 'Becker', 'Weiß'].includes(p.lastName));
  for (const [i, p] of people.entries()) {
    const r = await app.core.registration.register(who, {
      kvnr: p.kvnr,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      email: `bench${i}@example.org`,
      username: `bench.user${i}`,
      password: 'Bench*Mark42',
      privacyVersion: app.config.policy.consents.privacyVersion,
      participationVersion: app.config.policy.consents.participationVersion,
      language: 'de',
    });
    if (!r.ok) throw new Error(`setup: ${r.error.code}`);
  }
  const account = await app.core.deps.accounts.findByUsernameKey('bench.user0');
  if (!account) throw new Error('setup');
  const hash = account.password.hash;

  console.log(`argon2id parameters: m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism}`);

  // What the login path costs besides the hash: the same app with a hasher that does no work.
  const noHash = await openApp({
    dataDir: mkdtempSync(join(tmpdir(), 'kontokiosk-bench-nohash-')),
    assetsDir: resolve(import.meta.dirname, '../assets'),
    passwords: {
      hash: (p) => Promise.resolve(`plain:${p}`),
      verify: (h, p) => Promise.resolve(h === `plain:${p}`),
    },
  });
  const p0 = people[0];
  if (!p0) throw new Error('setup');
  await noHash.core.registration.register(who, {
    kvnr: p0.kvnr,
    firstName: p0.firstName,
    lastName: p0.lastName,
    birthDate: p0.birthDate,
    email: 'x@example.org',
    username: 'bench.user0',
    password: 'Bench*Mark42',
    privacyVersion: noHash.config.policy.consents.privacyVersion,
    participationVersion: noHash.config.policy.consents.participationVersion,
    language: 'de',
  });
  const overhead = await measure(() => noHash.core.login.withPassword(who, { username: 'bench.user0', password: 'Bench*Mark42' }), 1);
  await noHash.close();

  console.log('run                          | logins/s | p50 ms | p95 ms | mean ms | mean vs bare verify');
  // Interleaved rounds (bare, login, login, bare, ...) so that drift of the machine hits both alike.
  const rounds = 10;
  for (const parallel of [1, 2]) {
    const bare: Run[] = [];
    const login: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      const runBare = async () => bare.push(await measure(() => verify(hash, 'Bench*Mark42'), parallel, N / rounds));
      const runLogin = async () =>
        login.push(
          await measure(
            async (worker) => {
              const r = await app.core.login.withPassword(who, { username: `bench.user${worker}`, password: 'Bench*Mark42' });
              if (!r.ok) throw new Error(r.error.code);
            },
            parallel,
            N / rounds,
          ),
        );
      if (round % 2 === 0) {
        await runBare();
        await runLogin();
      } else {
        await runLogin();
        await runBare();
      }
    }
    const b = combine(bare);
    const l = combine(login);
    const row = (name: string, m: Run, ratio: string) =>
      `${name.padEnd(28)} | ${m.perSecond.toFixed(1).padStart(8)} | ${m.latency.p50.toFixed(2).padStart(6)} | ${m.latency.p95.toFixed(2).padStart(6)} | ${m.latency.mean.toFixed(2).padStart(7)} | ${ratio}`;
    console.log(row(`bare argon2 verify (x${parallel})`, b, '1.000x (baseline)'));
    console.log(row(`login, success (x${parallel})`, l, `${(l.latency.mean / b.latency.mean).toFixed(3)}x`));
  }
  const bareMean = (await measure(() => verify(hash, 'Bench*Mark42'), 1)).latency.mean;
  console.log(
    `login path without hashing: ${overhead.latency.mean.toFixed(3)} ms a login = ${((overhead.latency.mean / bareMean) * 100).toFixed(2)} % of one verify; everything else is the hash`,
  );
  await app.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
