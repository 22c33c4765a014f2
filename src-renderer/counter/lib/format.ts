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

/** The details of a history entry as one line: `key: value` pairs in their stored order. */
export function detailsLine(details: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}
