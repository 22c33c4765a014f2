/**
 * Letters that leave the building: a rendered letter is handed to the dispatch of its route. The
 * postal route (activation key, login code, POSTIDENT coupon: all posted to the register's
 * address) goes to the outbox folder or a hybrid-mail provider; the counter route (the temporary
 * password handed over at the desk) to the outbox or the counter's printer. A printer is never a
 * postal route, by type and at run time: a kiosk's tray must not hold someone's key for whoever
 * stands there.
 *
 * Every letter has one reference, decided before it is handed on: the name its outbox file has or
 * would have (outbox-name.ts: time, kind, a random tag, the pseudonymous account id). The core
 * records it in the audit trail; the outbox writes the file under it; the printer's job title and
 * the provider's reference are the same name without the account id. A dispatch that fails throws
 * a DeliveryFailure and the letter counts as not sent, as a failing outbox write always did.
 */
import type { Clock, Letter, LetterPrinter, PostalAddress } from '../core/ports.js';
import { outboxName } from './outbox-name.js';

export interface DispatchItem {
  readonly pdf: Uint8Array;
  readonly kind: Letter['kind'];
  readonly reference: string;
  readonly accountId?: string;
  readonly to: PostalAddress;
}

export interface LetterDispatch {
  readonly kind: 'outbox' | 'print' | 'http';
  /** Hands on a rendered letter; throws DeliveryFailure. Returns nothing. */
  dispatch(item: DispatchItem): Promise<void>;
  /** Whether the target is reachable now, sending nothing (for a health check). */
  probe(): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

export type PostalDispatch = LetterDispatch & { readonly kind: 'outbox' | 'http' };
export type CounterDispatch = LetterDispatch & { readonly kind: 'outbox' | 'print' };

export interface LetterRoutes {
  readonly postal: PostalDispatch;
  readonly counter: CounterDispatch;
}

/** The product's rule of which letter goes where. */
const ROUTE_OF: Readonly<Record<Letter['kind'], keyof LetterRoutes>> = {
  ACTIVATION_KEY: 'postal',
  LOGIN_CODE: 'postal',
  POSTIDENT_COUPON: 'postal',
  TEMPORARY_PASSWORD: 'counter',
};

/**
 * The reference without the pseudonymous account id and the extension, for printers and
 * providers: it still names the letter uniquely (time, kind, random tag) and matches the start of
 * the letterRef in the audit trail.
 */
export function jobName(reference: string): string {
  return reference.replace(/(~[A-Za-z0-9_-]+)?\.[a-z]+$/, '');
}

const systemClock: Clock = { now: () => new Date() };

export class RoutedLetterPrinter implements LetterPrinter {
  constructor(
    private readonly render: (letter: Letter, at: Date) => Promise<Uint8Array>,
    private readonly routes: LetterRoutes,
    private readonly clock: Clock = systemClock,
    /**
     * The outbound queue for letters to post (delivery/outbound-queue.ts): a provider that is down
     * gets the letter later. Letters for the counter's printer never wait: a password printed after
     * the person left would lie in the tray for the next one.
     */
    private readonly postalQueue?: (letter: Letter, reference: string) => Promise<unknown>,
  ) {
    // The types say it already; a configuration assembled at run time must not slip past them.
    if ((routes.postal.kind as string) === 'print') throw new Error('letters to post never go to a printer at the terminal');
  }

  async print(letter: Letter): Promise<string> {
    const reference = outboxName(letter.kind, 'pdf', this.clock.now(), letter.accountId);
    if (this.postalQueue && ROUTE_OF[letter.kind] === 'postal') await this.postalQueue(letter, reference);
    else await this.dispatchAs(letter, reference);
    return reference;
  }

  /** Renders the letter and hands it to its route under the given reference (also the queue's later tries). */
  async dispatchAs(letter: Letter, reference: string): Promise<void> {
    const pdf = await this.render(letter, this.clock.now());
    await this.routes[ROUTE_OF[letter.kind]].dispatch({
      pdf,
      kind: letter.kind,
      reference,
      to: letter.to,
      ...(letter.accountId === undefined ? {} : { accountId: letter.accountId }),
    });
  }
}
