/**
 * Open help requests from kiosks, kept fresh while a staff member is logged in: the navigation shows
 * their count on every screen, the inbox lists them. The poll is a quiet call (the main process does
 * not take it for someone working, and neither does the window's idle rule: it bypasses counter.run),
 * so an unattended desk still logs out on time.
 */
import type { HelpEntry } from '../../../src-main/ipc/responses.js';
import { call } from '../lib/api.js';

const POLL_MS = 15_000;

class HelpRequests {
  entries = $state.raw<readonly HelpEntry[]>([]);
  open = $derived(this.entries.filter((e) => !e.doneAt).length);

  async refresh(): Promise<void> {
    const r = await call('help.list', {});
    // A failure (session ended) leaves the list to the logout that follows; nothing to show here.
    this.entries = r.ok ? r.value : [];
  }

  /** Polls while `active` says so; returns the stop for an $effect. */
  watch(active: () => boolean): () => void {
    const tick = () => {
      if (active()) void this.refresh();
      else this.entries = [];
    };
    tick();
    const timer = setInterval(tick, POLL_MS);
    return () => clearInterval(timer);
  }
}

export const helpRequests = new HelpRequests();
