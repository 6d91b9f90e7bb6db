// Test-only helpers for the .docx tests: open the package and read its paragraphs. Nothing in
// production imports this. jszip is the zip library docx itself writes with.
import JSZip from 'jszip';

/** The XML parts of a .docx, by path. */
export async function readDocx(buffer: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(buffer);
  const parts = new Map<string, string>();
  for (const [path, file] of Object.entries(zip.files)) {
    if (!file.dir && path.endsWith('.xml')) parts.set(path, await file.async('string'));
  }
  return parts;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every paragraph (body and table cells) of a part: its XML and its text. */
export function paragraphs(xml: string): Array<{ xml: string; text: string }> {
  return [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [\s\S]*?<\/w:p>/g)].map(([p]) => ({
    xml: p,
    text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1]!)).join(''),
  }));
}

/** The one paragraph whose text contains `needle`; throws when there is none or several. */
export function paragraphWith(xml: string, needle: string): { xml: string; text: string } {
  const found = paragraphs(xml).filter((p) => p.text.includes(needle));
  if (found.length !== 1) throw new Error(`${found.length} paragraphs contain ${JSON.stringify(needle)}`);
  return found[0]!;
}
