/**
 * Document metadata of a letter: title and language in the info dictionary, the catalog (/Lang,
 * so screen readers speak the right language) and an XMP packet (what archives and PDF/A-minded
 * viewers read). The creator is the brand's application, the producer the PDF library. The title
 * names the kind of letter only: no name, key or code of the person ever goes into metadata.
 */
import { PDFName, type PDFDocument } from 'pdf-lib';

export interface LetterMetadata {
  readonly title: string;
  /** BCP 47 tag: de-DE or en-GB. */
  readonly lang: string;
  readonly creator: string;
  readonly at: Date;
}

const PRODUCER = 'pdf-lib';

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmp(meta: LetterMetadata): string {
  const at = meta.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.title)}</rdf:li><rdf:li xml:lang="${meta.lang}">${xml(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>${meta.lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>${xml(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${at}</xmp:CreateDate>
   <xmp:ModifyDate>${at}</xmp:ModifyDate>
   <xmp:MetadataDate>${at}</xmp:MetadataDate>
   <pdf:Producer>${PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

export function setLetterMetadata(doc: PDFDocument, meta: LetterMetadata): void {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setLanguage(meta.lang);
  doc.setCreator(meta.creator);
  doc.setAuthor(meta.creator);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(meta.at);
  doc.setModificationDate(meta.at);
  // Uncompressed, as XMP requires, so tools can find the packet without a PDF parser.
  const stream = doc.context.stream(new TextEncoder().encode(xmp(meta)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}
