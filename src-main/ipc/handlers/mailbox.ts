/** The secure mailbox (R5): consent, messages from the insurer, writing to the insurer. */
import { andThen, type HandlerContext, type Handlers } from './types.js';

type MailboxChannel = 'mailbox.decide' | 'mailbox.list' | 'mailbox.write' | 'mailbox.markRead';

export function mailboxHandlers({ core, view }: HandlerContext): Handlers<MailboxChannel> {
  return {
    'mailbox.decide': async (input, { accountId, who }) => ({
      result: await andThen(await core.mailbox.decide(who, accountId, input.accept), () => view(accountId)),
    }),
    'mailbox.list': async (_input, { accountId }) => ({ result: await core.mailbox.messages(accountId) }),
    'mailbox.write': async (input, { accountId }) => ({ result: await core.mailbox.write(accountId, input) }),
    'mailbox.markRead': async (input, { accountId }) => ({ result: await core.mailbox.markRead(accountId, input.id) }),
  };
}
