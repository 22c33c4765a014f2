/**
 * A hybrid-mail provider's upload API: the provider prints, envelopes and posts the letter. The
 * request shape is an assumption of this adapter, kept configurable within reason (README):
 *   POST <url>, Authorization: Bearer <token>, Idempotency-Key: <job name>
 *   multipart/form-data (default): part `file` (application/pdf, "<job name>.pdf"), part `address`
 *   (application/json: {name, street, postalCode, city}), part `reference` (the job name), and
 *   each fixed extra field; or format "json": one object with the same fields, the PDF in base64.
 * Any 2xx is taken as accepted. The job name (letter-dispatch.ts) names the letter without the
 * account id; a provider that deduplicates on it posts a letter once even when an answer was lost
 * and the letter is handed on again.
 *
 * Threats: the token and the letter read on the way (https only, except loopback, checked by the
 * configuration; no redirect is followed), the token or personal data in logs (the token comes
 * from a file, errors carry a status or an errno code, never the provider's text, which may quote
 * the address), a provider that hangs (one deadline for the whole exchange).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { DeliveryFailure } from './delivery-failure.js';
import { jobName, type DispatchItem, type LetterDispatch } from './letter-dispatch.js';

export interface HttpLetterSettings {
  readonly url: string;
  readonly token: string;
  /** PEM of a private CA; the system's CAs otherwise. */
  readonly ca?: string | undefined;
  readonly timeoutMs: number;
  readonly format: 'multipart' | 'json';
  readonly fields: { readonly file: string; readonly address: string; readonly reference: string };
  readonly extraFields: Readonly<Record<string, string>>;
}

interface Body {
  readonly contentType: string;
  readonly bytes: Buffer;
}

function multipart(item: DispatchItem, settings: HttpLetterSettings): Body {
  const boundary = `kontokiosk-${randomBytes(16).toString('hex')}`;
  const name = jobName(item.reference);
  const { file, address, reference } = settings.fields;
  const part = (field: string, headers: string, content: Buffer | string) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"${headers}\r\n\r\n`, 'utf8'),
    typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    Buffer.from('\r\n', 'utf8'),
  ];
  const bytes = Buffer.concat([
    ...part(reference, '', name),
    ...part(address, '\r\nContent-Type: application/json; charset=utf-8', JSON.stringify(postal(item))),
    ...Object.entries(settings.extraFields).flatMap(([field, value]) => part(field, '', value)),
    ...part(file, `; filename="${name}.pdf"\r\nContent-Type: application/pdf`, Buffer.from(item.pdf)),
    Buffer.from(`--${boundary}--\r\n`, 'utf8'),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes };
}

function json(item: DispatchItem, settings: HttpLetterSettings): Body {
  const { file, address, reference } = settings.fields;
  const body = {
    ...settings.extraFields,
    [reference]: jobName(item.reference),
    [address]: postal(item),
    [file]: Buffer.from(item.pdf).toString('base64'),
  };
  return { contentType: 'application/json; charset=utf-8', bytes: Buffer.from(JSON.stringify(body), 'utf8') };
}

const postal = ({ to }: DispatchItem) => ({ name: to.name, street: to.street, postalCode: to.postalCode, city: to.city });

/** What an answer means for the letter: 408 and 429 say "later", other 4xx say "never". */
function answerFailure(status: number): DeliveryFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 408 || status === 429) return new DeliveryFailure('PROVIDER_BUSY', `the letter provider answered ${status}`, false);
  if (status === 401 || status === 403) {
    return new DeliveryFailure('PROVIDER_UNAUTHORIZED', `the letter provider refused the token (${status})`, true);
  }
  if (status >= 400 && status < 500)
    return new DeliveryFailure('PROVIDER_REFUSED', `the letter provider refused the letter (${status})`, true);
  if (status >= 500) return new DeliveryFailure('PROVIDER_ERROR', `the letter provider answered ${status}`, false);
  // A redirect or an interim answer: the URL is not the upload endpoint, and waiting does not change that.
  return new DeliveryFailure('PROVIDER_UNEXPECTED_ANSWER', `the letter provider answered ${status}`, true);
}

const TLS_CODES = /CERT|SELF_SIGNED|TLS|SSL|ALTNAME|UNABLE_TO/;

function connectionFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
  if (TLS_CODES.test(code))
    return new DeliveryFailure('PROVIDER_TLS_FAILED', `the letter provider's certificate was not accepted (${code})`, false);
  return new DeliveryFailure('PROVIDER_UNREACHABLE', `the letter provider could not be reached (${code})`, false);
}

export class HttpLetterDispatch implements LetterDispatch {
  readonly kind = 'http' as const;
  private readonly url: URL;

  constructor(private readonly settings: HttpLetterSettings) {
    this.url = new URL(settings.url);
  }

  dispatch(item: DispatchItem): Promise<void> {
    const body = this.settings.format === 'json' ? json(item, this.settings) : multipart(item, this.settings);
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { timeoutMs } = this.settings;
    return new Promise<void>((resolve, reject) => {
      const req = send(this.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.settings.token}`,
          'content-type': body.contentType,
          'content-length': String(body.bytes.length),
          accept: 'application/json',
          'idempotency-key': jobName(item.reference),
        },
        ...(this.settings.ca === undefined ? {} : { ca: this.settings.ca }),
        agent: false,
      });
      let settled = false;
      const settle = (failure: DeliveryFailure | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure) reject(failure);
        else resolve();
      };
      const timer = setTimeout(() => {
        settle(new DeliveryFailure('PROVIDER_TIMEOUT', `the letter provider did not answer within ${timeoutMs} ms`, false));
        req.destroy();
      }, timeoutMs);
      req.on('error', (error) => settle(connectionFailure(error)));
      req.on('response', (res: IncomingMessage) => {
        // The answer's text is never read into a message: it may quote the letter's address.
        res.resume();
        res.on('end', () => settle(answerFailure(res.statusCode ?? 0)));
        res.on('error', (error) => settle(connectionFailure(error)));
      });
      req.end(body.bytes);
    });
  }

  /** A TCP connection (and on https a verified TLS handshake) to the provider; no request is sent. */
  probe(): Promise<{ ok: boolean; detail: string }> {
    const host = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const tls = this.url.protocol === 'https:';
    const port = Number(this.url.port || (tls ? 443 : 80));
    return new Promise((resolve) => {
      const servername = /^[\d.]+$|:/.test(host) ? undefined : host;
      const socket: Socket = tls
        ? tlsConnect({
            host,
            port,
            ...(servername ? { servername } : {}),
            ...(this.settings.ca === undefined ? {} : { ca: this.settings.ca }),
          })
        : netConnect({ host, port });
      const done = (ok: boolean, detail: string) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ ok, detail });
      };
      const timer = setTimeout(
        () => done(false, `the letter provider's host did not answer within ${this.settings.timeoutMs} ms`),
        this.settings.timeoutMs,
      );
      socket.once(tls ? 'secureConnect' : 'connect', () =>
        done(true, tls ? "the letter provider's host answers, its certificate verified" : "the letter provider's host answers"),
      );
      socket.once('error', (error) => done(false, connectionFailure(error).message));
    });
  }
}
