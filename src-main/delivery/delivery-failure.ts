/**
 * What a delivery adapter (mail, SMS, letters) throws when a message did not leave. `permanent`
 * says that trying again cannot help (a recipient the server refuses, a printer that does not
 * exist, a provider that rejects the letter as invalid): such a message is given up at once and
 * shown to staff. Everything else (time-outs, refused connections, 5xx answers) is tried again.
 * The message text names the cause only, never an address, a code or a name.
 */
export class DeliveryFailure extends Error {
  constructor(
    /** SCREAMING_SNAKE cause, e.g. RECIPIENT_REFUSED, PRINTER_MISSING, PROVIDER_TIMEOUT. */
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}
