/** A message a person wrote to the insurer, as the counter's inbox holds it. */
export interface InboxItem {
  readonly id: string;
  readonly accountId: string;
  readonly subject: string;
  readonly body: string;
  readonly at: string;
  /** First read by staff (the queue shows unread first). */
  readonly readAt?: string;
  readonly handledAt?: string;
  readonly handledBy?: string;
  /** The id of the answer in the person's mailbox. */
  readonly answerId?: string;
}

/**
 * A call for help from a kiosk, in the same queue file as the messages. It names the terminal and
 * the time, nothing about the person: whoever tapped may not be logged in, and the account of
 * someone who is must not travel with it.
 */
export interface HelpRequest {
  readonly id: string;
  readonly kind: 'HELP';
  readonly terminal: string;
  readonly at: string;
  readonly doneAt?: string;
  /** The staff actor who marked it done (`staff:<id>`). */
  readonly doneBy?: string;
}

/** What the inbox file holds: messages (no kind, as stored before help requests) and help requests. */
export type InboxRecord = InboxItem | HelpRequest;

export const isHelpRequest = (record: InboxRecord): record is HelpRequest => 'kind' in record && record.kind === 'HELP';
