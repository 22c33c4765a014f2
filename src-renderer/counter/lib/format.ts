/** Small formatting rules of the counter's screens, kept apart from the components so they can be tested. */

/** A base32 secret in groups of four, as people type it into an authenticator app by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** An SVG drawn in the main process, as an image source: the page's CSP allows data: images, never inline markup. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Who acted, as the security history names it: `person`, `system`, `anonymous` or `staff:<username>`. */
export function actorKind(
  by: string,
): { readonly kind: 'person' | 'system' | 'anonymous' } | { readonly kind: 'staff'; readonly id: string } {
  if (by.startsWith('staff:')) return { kind: 'staff', id: by.slice('staff:'.length) };
  return by === 'person' || by === 'system' ? { kind: by } : { kind: 'anonymous' };
}

/**
 * A letter's reference as a person at the desk can use it. The outbox names a letter
 * `<time>-<KIND>-<random>~<account>.pdf`; only the random part tells two letters of the same day
 * apart, and the account id is nothing to read out. Other printers' references are cut to their
 * last 8 characters.
 */
export function shortRef(ref: string): string {
  const name = (ref.split(/[\\/]/).at(-1) ?? ref).replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/~.*$/, '');
  const last = name.split('-').at(-1) ?? name;
  return /^[A-Za-z0-9]{4,8}$/.test(last) ? last : name.slice(-8);
}

/** A byte count as people read it, e.g. "1,4 MB". */
export function fileSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit] ?? 'B'}`;
}
