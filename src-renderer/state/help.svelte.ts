/**
 * The help dialog: where the counter is, and a call for someone from it. The call names only this
 * terminal (the main process adds nothing about whoever is logged in); its answer says whether
 * someone was called now or is already on the way. Closed on every reset, like everything else.
 */
import type { AppError } from '../../src-main/ipc/responses.js';
import { call } from '../lib/api.js';

type HelpOutcome =
  | { readonly kind: 'CALLED' | 'ON_THE_WAY'; readonly since: string }
  | { readonly kind: 'LIMIT' }
  | { readonly kind: 'ERROR'; readonly error: AppError };

class HelpState {
  open = $state(false);
  outcome = $state.raw<HelpOutcome | undefined>(undefined);
  busy = $state(false);

  show = (): void => {
    this.outcome = undefined;
    this.open = true;
  };

  close = (): void => {
    this.open = false;
    this.outcome = undefined;
  };

  callSomeone = async (): Promise<void> => {
    if (this.busy) return;
    this.busy = true;
    try {
      const r = await call('help.request', {});
      this.outcome = r.ok
        ? { kind: r.value.state === 'REQUESTED' ? 'CALLED' : 'ON_THE_WAY', since: r.value.since }
        : r.error.code === 'RATE_LIMITED'
          ? { kind: 'LIMIT' }
          : { kind: 'ERROR', error: r.error };
    } finally {
      this.busy = false;
    }
  };
}

export const help = new HelpState();
