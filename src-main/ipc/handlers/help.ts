/**
 * Help requests: the kiosk's call for someone from the counter, and the counter's list of them.
 * The kiosk's call is public and names its terminal only: the handler never passes the principal
 * of whoever is logged in there, so the request cannot carry the account. The counter's list of
 * mail and SMS that could not be delivered sits beside it.
 */
import type { HandlerContext, Handlers } from './types.js';

export function helpHandlers({
  core,
}: HandlerContext): Handlers<'help.request' | 'help.list' | 'help.done' | 'undelivered.list' | 'undelivered.dismiss'> {
  return {
    'help.request': async (_input, { who }) => ({ result: await core.help.request(who.terminal) }),
    'help.list': async () => ({ result: await core.counter.helpRequests() }),
    'help.done': async (input, { who, staff }) => ({ result: await core.counter.closeHelp(who, staff, input.id) }),
    'undelivered.list': async (_input, { who, staff }) => ({ result: await core.counter.undelivered(who, staff) }),
    'undelivered.dismiss': async (input, { who, staff }) => ({ result: await core.counter.dismissUndelivered(who, staff, input.id) }),
  };
}
