// A Content-Disposition header that cannot be used to inject anything (RFC 6266, RFC 8187):
// an ASCII fallback in a quoted string that holds no quote, backslash, percent sign or control
// character, and the real name percent-encoded as UTF-8 in filename*.

/** RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~". */
function encodeRfc8187(value: string): string {
  return Array.from(new TextEncoder().encode(value), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`. */
export function contentDisposition(fileName: string, fallback = 'download'): string {
  // Anything outside printable ASCII, and the characters with a meaning in the header, become _.
  let ascii = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_').trim();
  if (!/[A-Za-z0-9]/.test(ascii.replace(/\.[A-Za-z0-9]+$/, ''))) {
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(fileName)?.[0] ?? '';
    ascii = fallback + ext;
  }
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}
