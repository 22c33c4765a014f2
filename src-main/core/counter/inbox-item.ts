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
