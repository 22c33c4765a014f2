/**
 * The configured letter routes (config `letters`), built at start: a provider's token file that is
 * missing or exposed refuses the start here, before a letter could fail on it.
 */
import type { LettersConfig } from '../config/letters-config.js';
import { HttpLetterDispatch } from './letter-dispatch-http.js';
import { OutboxLetterDispatch } from './letter-dispatch-outbox.js';
import { PrintLetterDispatch } from './letter-dispatch-print.js';
import type { CounterDispatch, LetterRoutes, PostalDispatch } from './letter-dispatch.js';
import { readCaFile, readTokenFile } from './letter-provider-files.js';

export async function openLetterRoutes(
  config: LettersConfig,
  paths: { readonly dataDir: string; readonly lettersDir: string },
): Promise<LetterRoutes> {
  const outbox = new OutboxLetterDispatch(paths.lettersDir);
  let postal: PostalDispatch = outbox;
  if (config.postal.kind === 'http') {
    const { url, tokenFile, caFile, timeoutMs, format, fields, extraFields } = config.postal;
    const token = await readTokenFile(paths.dataDir, tokenFile);
    const ca = caFile === undefined ? undefined : await readCaFile(paths.dataDir, caFile);
    postal = new HttpLetterDispatch({ url, token, ca, timeoutMs, format, fields, extraFields });
  }
  const counter: CounterDispatch = config.counter.kind === 'print' ? new PrintLetterDispatch(config.counter) : outbox;
  return { postal, counter };
}
