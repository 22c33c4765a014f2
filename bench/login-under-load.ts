/**
 * Successful logins while failed ones are offered at 200 a second: does the hashing work of the
 * failures starve the successes? Baseline: the same successful logins with no attack, measured in
 * the same run (interleaved rounds). Target: under attack at least 80 % of the idle throughput.
 *
 * Real composition: argon2id at production parameters behind the bounded hashing queue, the real
 * pacer (failure floor), the durable store and audit file. Two workers log in successfully from
 * terminal "kiosk-2", as fast as they can. The attacker, at terminal "kiosk-1", fires 200 logins a
 * second without waiting for answers: every other one a wrong password for one of 200 known
 * accounts (round robin, so each is hashed, none locks during a round), the rest unknown usernames.
 *
 * Scenarios:
 *   default policy      the terminal pause (20 failures in 10 minutes) is on
 *   no terminal pause   the pause raised out of reach: only the bounded queue, the per-account lanes
 *                       and "no hash where the answer is decided" protect the successes
 *
 *   npm run bench:load
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import { openApp, type App } from '../src-main/app.js';
import { parseConfig } from '../src-main/config/config.js';
import { kvnrCheckDigit } from '../src-main/core/kvnr.js';
import type { InsuredPerson } from '../src-main/core/register/person.js';

const VICTIMS = 200;
const ATTACK_PER_SECOND = 200;
const ROUND_MS = 3_000;
const ROUNDS = 2;
const PASSWORD = 'Heide*Blume7';

function person(i: number): InsuredPerson {
  const body = `B${String(i).padStart(8, '0')}`;
  return {
    kvnr: `${body}${kvnrCheckDigit(body)}`,
    firstName: 'Anna',
    lastName: `Muster${i}`,
    birthDate: '1980-01-01',
    street: 'Teststraße 1',
    postalCode: '10115',
    city: 'Berlin',
    insuranceStart: '2000-01-01',
    cardNumber: String(80276883110000000000n + BigInt(i)),
    receipts: [],
  };
}

async function setUp(policy: Record<string, unknown>): Promise<{ app: App; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontokiosk-bench-load-'));
  const app = await openApp({ dataDir, assetsDir: resolve(import.meta.dirname, '../assets'), config: parseConfig({ policy }) });
  const persons = Array.from({ length: VICTIMS + 2 }, (_, i) => person(i));
  await app.core.deps.register.replaceAll(persons);
  const setup = { actor: 'bench', terminal: 'setup' };
  for (const [i, p] of persons.entries()) {
    const r = await app.core.registration.register(setup, {
      kvnr: p.kvnr,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      email: `load${i}@example.org`,
      username: `u.load${i}`,
      password: PASSWORD,
      privacyVersion: app.config.policy.consents.privacyVersion,
      participationVersion: app.config.policy.consents.participationVersion,
      language: 'de',
    });
    if (!r.ok) throw new Error(`setup: ${r.error.code}`);
  }
  return { app, dataDir };
}

/** Successful logins of two workers for one round; returns logins a second and BUSY answers. */
async function successes(app: App, ms: number): Promise<{ perSecond: number; busy: number }> {
  const who = { actor: 'bench', terminal: 'kiosk-2' };
  const end = performance.now() + ms;
  let done = 0;
  let busy = 0;
  await Promise.all(
    [VICTIMS, VICTIMS + 1].map(async (i) => {
      while (performance.now() < end) {
        const r = await app.core.login.withPassword(who, { username: `u.load${i}`, password: PASSWORD });
        if (r.ok) done += 1;
        else if (r.error.code === 'BUSY') busy += 1;
        else throw new Error(`legitimate login failed: ${r.error.code}`);
      }
    }),
  );
  return { perSecond: (done / ms) * 1000, busy };
}

/** Offers failed logins at a fixed rate until stopped; counts the answers by code. */
function attack(app: App, round: number): { stop: () => Promise<Record<string, number>> } {
  const who = { actor: 'attacker', terminal: 'kiosk-1' };
  const answers: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let sent = 0;
  let running = true;
  const start = performance.now();
  const loop = (async () => {
    while (running) {
      const due = Math.floor(((performance.now() - start) / 1000) * ATTACK_PER_SECOND);
      for (; sent < due; sent++) {
        const n = sent + round * 10_000;
        const username = n % 2 === 0 ? `u.load${(n / 2) % VICTIMS}` : `nobody.${n}`;
        pending.push(
          app.core.login.withPassword(who, { username, password: `Wrong*${n}x` }).then((r) => {
            const code = r.ok ? 'OK' : r.error.code;
            answers[code] = (answers[code] ?? 0) + 1;
          }),
        );
      }
      await wait(2);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await Promise.all(pending);
      return answers;
    },
  };
}

async function scenario(name: string, policy: Record<string, unknown>): Promise<void> {
  const { app, dataDir } = await setUp(policy);
  try {
    await successes(app, 500); // warm-up
    const idle: number[] = [];
    const loaded: number[] = [];
    const offered: Record<string, number> = {};
    let busyIdle = 0;
    let busyLoaded = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const i = await successes(app, ROUND_MS);
      idle.push(i.perSecond);
      busyIdle += i.busy;
      const attacker = attack(app, round);
      const l = await successes(app, ROUND_MS);
      const answers = await attacker.stop();
      loaded.push(l.perSecond);
      busyLoaded += l.busy;
      for (const [code, n] of Object.entries(answers)) offered[code] = (offered[code] ?? 0) + n;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratio = mean(loaded) / mean(idle);
    console.log(`\n${name}`);
    console.log(`  successful logins/s, idle (baseline):   ${mean(idle).toFixed(1)}   (BUSY answers: ${busyIdle})`);
    console.log(`  successful logins/s, under attack:      ${mean(loaded).toFixed(1)}   (BUSY answers: ${busyLoaded})`);
    console.log(`  ratio under attack / idle:               ${ratio.toFixed(3)}x   (target >= 0.800: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
    console.log(`  attacker's answers: ${JSON.stringify(offered)}`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`failed logins offered: ${ATTACK_PER_SECOND}/s for ${ROUNDS} x ${ROUND_MS / 1000} s; 2 workers of successful logins`);
await scenario('default policy (terminal pause after 20 failures in 10 minutes)', {});
await scenario('no terminal pause (bounded queue, account lanes and pacing only)', { terminal: { maxFailedLogins: 1_000_000 } });
