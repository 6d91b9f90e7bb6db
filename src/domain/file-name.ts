// The name an uploaded file is shown and downloaded under. The uploader's name is kept for
// display, but nothing in it may act on whoever sees it: no path, no control characters, no
// bidirectional overrides (which can make `exe.pdf` read as `fdp.exe`), bounded length.
// Pure. The HTTP header that carries it is built in src/http/content-disposition.ts.

/** At most this many characters (UTF-16 code units) are kept, the extension included. */
export const MAX_FILE_NAME = 200;

// C0, DEL, C1 controls; bidi embeddings, overrides and isolates; zero-width and BOM; line and
// paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The display name of an uploaded file; '' when nothing usable is left. */
export function sanitizeFileName(raw: string): string {
  // Browsers may send a full path (old Internet Explorer): keep the last segment only.
  let name = raw.normalize('NFC').replace(UNSAFE, '').replace(/^[\s\S]*[\\/]/, '');
  name = name.replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  if (name.length > MAX_FILE_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = Array.from(name.slice(0, MAX_FILE_NAME - ext.length)).join('').replace(/[\ud800-\udbff]$/, '') + ext;
  }
  return name;
}
