import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.ts';

/** What a client recovers from filename* (RFC 8187). */
const decodedName = (header: string) => decodeURIComponent(/filename\*=UTF-8''([^;\s]+)$/.exec(header)![1]!);

describe('Content-Disposition (SPEC §10: download with a safe header)', () => {
  it('SPEC §10: a hostile name cannot break out of the header', () => {
    const name = '可研报告"; rm -rf.pdf';
    const header = contentDisposition(name, 'feasibilityStudy-v1');
    expect(header).toBe(`attachment; filename="______ rm -rf.pdf"; filename*=UTF-8''%E5%8F%AF%E7%A0%94%E6%8A%A5%E5%91%8A%22%3B%20rm%20-rf.pdf`);
    expect(decodedName(header)).toBe(name);
    // One quoted string, no CR/LF, nothing but printable ASCII.
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
  });

  it('encodes the characters that encodeURIComponent leaves alone', () => {
    const header = contentDisposition("it's (final)*.pdf");
    expect(header).toContain(`filename*=UTF-8''it%27s%20%28final%29%2A.pdf`);
    expect(header).toContain('filename="it\'s (final)*.pdf"');
  });

  it('uses the fallback when the ASCII form would say nothing', () => {
    expect(contentDisposition('可行性研究报告.pdf', 'feasibilityStudy-v2')).toMatch(/^attachment; filename="feasibilityStudy-v2\.pdf"; /);
    expect(contentDisposition('a\\b%c.pdf')).toContain('filename="a_b_c.pdf"');
  });
});
