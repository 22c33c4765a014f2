/**
 * Chooses the POSTIDENT provider the operator configured: the labelled simulator (the default, for
 * testing and training), a real provider's case API, or none at all. Because a simulator lets
 * anyone at the machine confirm any identity, its presence is announced loudly at start-up.
 */
import type { Config } from '../config/config.js';
import type { PostidentOutcome, PostidentProvider } from '../core/ports.js';
import type { Result } from '../core/result.js';
import { HttpPostidentProvider, PostidentPoller } from './postident-http.js';
import { PostidentSimulator } from './postident-simulator.js';

type PostidentMode = Config['postident']['mode'];

export interface PostidentSetup {
  readonly mode: PostidentMode;
  readonly provider: PostidentProvider;
  /** The simulator's page (simulator mode only). */
  readonly simulatorUrl: string | undefined;
  /** One pass over the open cases this process opened (http mode; nothing to do otherwise). */
  pollOnce(): Promise<void>;
  close(): Promise<void>;
}

/** What the provider reports to: the core, reached late because the core needs the provider. */
export interface PostidentReports {
  result(caseId: string, outcome: PostidentOutcome): Promise<boolean>;
  refresh(accountId: string): Promise<Result<{ caseId: string; state: string }>>;
}

const SWITCHED_OFF: PostidentProvider = {
  label: 'POSTIDENT (aus / off)',
  simulated: false,
  available: false,
  openCase: () => Promise.reject(new Error('POSTIDENT is switched off')),
};

export async function openPostident(settings: Config['postident'], reports: PostidentReports): Promise<PostidentSetup> {
  if (settings.mode === 'off') {
    return {
      mode: 'off',
      provider: SWITCHED_OFF,
      simulatorUrl: undefined,
      pollOnce: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  if (settings.mode === 'http') {
    if (!settings.http) throw new Error('postident.http is required when postident.mode is "http"');
    const provider = new HttpPostidentProvider(settings.http);
    const poller = new PostidentPoller(provider, (accountId) => reports.refresh(accountId), settings.http.pollIntervalMs);
    poller.start();
    return { mode: 'http', provider, simulatorUrl: undefined, pollOnce: () => poller.pollOnce(), close: () => poller.stop() };
  }
  const simulator = new PostidentSimulator((caseId, outcome) => reports.result(caseId, outcome));
  const simulatorUrl = await simulator.listen(settings.simulatorPort);
  return { mode: 'simulator', provider: simulator, simulatorUrl, pollOnce: () => Promise.resolve(), close: () => simulator.close() };
}

/** The start-up notice: a framed warning (for stderr) while the simulator is on, and one plain line. */
export function postidentNotice(setup: PostidentSetup): { warning: string | undefined; line: string } {
  if (setup.mode === 'off') return { warning: undefined, line: 'POSTIDENT: off (not offered)' };
  if (setup.mode === 'http') return { warning: undefined, line: `POSTIDENT: provider "${setup.provider.label}"` };
  const text = [
    'WARNING: POSTIDENT SIMULATOR IS ON - NO REAL IDENTIFICATION.',
    'Anyone who opens its page can confirm any identity. For testing and training only.',
    'Production: set postident.mode to "http" or "off" in config.json.',
    `Simulator page: ${setup.simulatorUrl ?? ''}`,
  ];
  const width = Math.max(...text.map((l) => l.length));
  const frame = '!'.repeat(width + 8);
  const warning = [frame, ...text.map((l) => `!!  ${l.padEnd(width)}  !!`), frame].join('\n');
  return { warning, line: `POSTIDENT: SIMULATOR (test mode, no real identification) at ${setup.simulatorUrl ?? ''}` };
}
