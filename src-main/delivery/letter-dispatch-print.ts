/**
 * The counter's printer through CUPS: `lp -d <printer> -t <job name> [-o option]...` with the PDF
 * on its standard input. No shell: the arguments are an array, the printer name is checked by the
 * configuration and the job name (letter-dispatch.ts: time, kind, random tag) carries no name,
 * address or account id, because CUPS shows job titles in its queue and on banner pages to anyone
 * at the printer. lp runs in the C locale so its messages can be told apart; they never reach a
 * log or an error of ours (they name the printer and the job).
 *
 * lp returns once CUPS holds the job: paper and toner are CUPS's affair from there, and the health
 * check (`lpstat -p`) shows a printer that has stopped.
 */
import { spawn } from 'node:child_process';
import { DeliveryFailure } from './delivery-failure.js';
import { jobName, type DispatchItem, type LetterDispatch } from './letter-dispatch.js';

export interface PrintSettings {
  readonly printer: string;
  readonly timeoutMs: number;
  readonly options?: readonly string[];
}

interface Finished {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_OUTPUT = 16_384;

/** Runs a CUPS command; rejects with DeliveryFailure when it cannot be started or does not end in time. */
function run(command: string, args: readonly string[], input: Uint8Array | undefined, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      shell: false,
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new DeliveryFailure('PRINT_TIMEOUT', `${command} did not finish within ${timeoutMs} ms`, false)));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(0, MAX_OUTPUT)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      settle(() =>
        reject(
          missing
            ? new DeliveryFailure('PRINT_COMMAND_MISSING', `${command} is not installed or not executable (CUPS client needed)`, true)
            : new DeliveryFailure('PRINT_FAILED', `${command} could not be started (${error.code ?? 'UNKNOWN'})`, false),
        ),
      );
    });
    child.on('close', (status) => settle(() => resolve({ status, stdout, stderr })));
    // A command that ends without reading its input closes the pipe: its exit status tells why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input === undefined ? undefined : Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  });
}

/** Why lp refused, from its C-locale message: a printer that does not exist cannot become one by waiting. */
function refusal(stderr: string): DeliveryFailure {
  if (/does not exist|unknown destination|invalid destination|not found/i.test(stderr)) {
    return new DeliveryFailure('PRINTER_MISSING', 'the configured printer does not exist in CUPS', true);
  }
  if (/not accepting jobs|paused|stopped|disabled/i.test(stderr)) {
    return new DeliveryFailure('PRINTER_NOT_ACCEPTING', 'the printer does not accept jobs at the moment', false);
  }
  if (/scheduler|connect|server/i.test(stderr)) {
    return new DeliveryFailure('PRINT_SERVICE_UNAVAILABLE', 'the print service (CUPS) does not answer', false);
  }
  return new DeliveryFailure('PRINT_FAILED', 'lp refused the job', false);
}

export class PrintLetterDispatch implements LetterDispatch {
  readonly kind = 'print' as const;

  constructor(private readonly settings: PrintSettings) {}

  async dispatch(item: DispatchItem): Promise<void> {
    const { printer, timeoutMs, options = [] } = this.settings;
    const args = ['-d', printer, '-t', jobName(item.reference), ...options.flatMap((o) => ['-o', o])];
    const done = await run('lp', args, item.pdf, timeoutMs);
    if (done.status !== 0) throw refusal(done.stderr);
  }

  async probe(): Promise<{ ok: boolean; detail: string }> {
    const { printer, timeoutMs } = this.settings;
    try {
      const done = await run('lpstat', ['-p', printer], undefined, timeoutMs);
      const line = done.stdout.split('\n')[0]?.trim().slice(0, 200) ?? '';
      if (done.status !== 0) return { ok: false, detail: refusal(done.stderr).message };
      if (/disabled/i.test(line)) return { ok: false, detail: `the printer is stopped: ${line}` };
      return { ok: true, detail: line || 'the printer is known to CUPS' };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : 'lpstat failed' };
    }
  }
}
