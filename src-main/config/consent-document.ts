/**
 * The consent texts' format: plain text with headings ("# ", "## ", "### "), paragraphs (separated
 * by a blank line) and lists ("- " or "* "). Parsed here into blocks that the renderer shows as
 * text: nothing from an operator's file is ever interpreted as HTML, so a text cannot run script or
 * restyle the kiosk. Pure: no I/O, so the renderer may name its types.
 */
type ConsentBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] };

export type ConsentDocument = readonly ConsentBlock[];

/** Both consent texts of the configured versions, in both languages, as the kiosk shows them. */
export interface ConsentTexts {
  readonly privacyVersion: string;
  readonly participationVersion: string;
  readonly privacy: { readonly de: ConsentDocument; readonly en: ConsentDocument };
  readonly participation: { readonly de: ConsentDocument; readonly en: ConsentDocument };
}

const HEADING = /^(#{1,3})\s+(.+)$/;
const ITEM = /^[-*]\s+(.+)$/;

export function parseConsentText(source: string): ConsentDocument {
  const blocks: ConsentBlock[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (items.length > 0) blocks.push({ kind: 'list', items });
    paragraph = [];
    items = [];
  };
  for (const raw of source.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    const heading = HEADING.exec(line);
    const item = ITEM.exec(line);
    if (line === '') flush();
    else if (heading?.[1] && heading[2]) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length as 1 | 2 | 3, text: heading[2].trim() });
    } else if (item?.[1]) {
      if (paragraph.length > 0) flush();
      items.push(item[1].trim());
    } else if (items.length > 0 && raw.startsWith('  ')) {
      // An indented line continues the list item above it.
      items[items.length - 1] = `${items.at(-1) ?? ''} ${line}`;
    } else {
      if (items.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** What makes a text usable: a title first, then at least one paragraph. Undefined when it is. */
export function consentTextProblem(document: ConsentDocument): string | undefined {
  const first = document[0];
  if (first?.kind !== 'heading' || first.level !== 1) return 'it must begin with a title line starting with "# "';
  if (!document.some((block) => block.kind === 'paragraph')) return 'it has no paragraph of text';
  return undefined;
}
