/**
 * Installs (or removes) the kiosk's Chromium policy for a fixed port, as root, for deployments
 * where the server does not run as root (--no-open --handoff DIR with the window command):
 *
 *   npm run kiosk:policy -- --port 8080 [--printer=NAME]
 *   npm run kiosk:policy -- --remove
 *   ... --stdout   prints the policy instead of writing it (deploy/install.sh installs it itself)
 *
 * The policy applies to every Chromium on the machine (see kiosk-policy.ts).
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { POLICY_FILE, renderKioskPolicy, writeKioskPolicy } from './kiosk-policy.js';

// Strict: a printer named like an option ("--remove") is a name only as --printer=NAME;
// `--printer --remove` is refused rather than read as the option.
const parsed = (() => {
  try {
    return parseArgs({
      options: { port: { type: 'string' }, printer: { type: 'string' }, stdout: { type: 'boolean' }, remove: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run kiosk:policy -- --port N [--printer=NAME] [--stdout] | --remove`);
    return process.exit(2);
  }
})();
if (parsed.remove) {
  rmSync(POLICY_FILE, { force: true });
  console.log(`Removed ${POLICY_FILE}.`);
} else {
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error('Usage: npm run kiosk:policy -- --port N [--printer=NAME]  (the fixed port of browserShell.port)');
    process.exit(2);
  }
  const policy = renderKioskPolicy({ origin: `http://127.0.0.1:${port}`, printerName: parsed.printer });
  if (parsed.stdout) {
    process.stdout.write(policy);
    process.exit(0);
  }
  writeKioskPolicy(POLICY_FILE, policy);
  console.log(`Wrote ${POLICY_FILE}: Chromium on this machine may open only http://127.0.0.1:${port}.`);
}
