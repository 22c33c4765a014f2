/**
 * The security history as a person at the desk reads it: an event type by its name, and each
 * detail with a label and a readable value (yes/no, the document or method by name, a time in
 * Berlin time, a letter's short reference). Keys and values the catalogue does not know are shown
 * as stored, never dropped: the history must not hide what the audit trail recorded.
 */

/** A lookup in the screen's catalogue: the text, or undefined when the key has none. */
export type Lookup = (key: string, params?: Record<string, string | number>) => string | undefined;

export interface DetailItem {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Values that name an entry of another catalogue, by the detail's key. */
const VALUE_CATALOGUE: Readonly<Record<string, string>> = { method: 'method', document: 'doc', role: 'role', outcome: 'postident' };

/** What a counter search was by (KVNR, USERNAME, NAME), as the search screen names it. */
const searchBy = (raw: string): string => `search.by${raw.charAt(0)}${raw.slice(1).toLowerCase()}`;

export function eventName(type: string, lookup: Lookup): string {
  return lookup(`event.${type}`) ?? type;
}

export function historyDetails(
  details: Readonly<Record<string, string | number | boolean>>,
  lookup: Lookup,
  dateTime: (iso: string) => string,
  shortRef: (ref: string) => string,
): DetailItem[] {
  return Object.entries(details).map(([key, raw]) => {
    const label = lookup(`detail.${key}`) ?? key;
    let value: string;
    if (typeof raw === 'boolean') value = lookup(`detail.${raw}`) ?? String(raw);
    else if (key === 'letterRef') value = lookup('letter.handedOver', { ref: shortRef(String(raw)) }) ?? String(raw);
    else if (key === 'by' && typeof raw === 'string') value = lookup(searchBy(raw)) ?? raw;
    else if (typeof raw === 'string' && VALUE_CATALOGUE[key]) value = lookup(`${VALUE_CATALOGUE[key]}.${raw}`) ?? raw;
    else if (typeof raw === 'string' && ISO_INSTANT.test(raw) && !Number.isNaN(Date.parse(raw))) value = dateTime(raw);
    else value = String(raw);
    return { key, label, value };
  });
}
