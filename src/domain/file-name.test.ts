import { describe, expect, it } from 'vitest';
import { MAX_FILE_NAME, sanitizeFileName } from './file-name.ts';

describe('uploaded file names (SPEC §10)', () => {
  it('keeps a Chinese name with its punctuation', () => {
    expect(sanitizeFileName('可研报告（第二版）"; rm -rf.pdf')).toBe('可研报告（第二版）"; rm -rf.pdf');
  });

  it('drops paths, control characters, line breaks and bidi overrides', () => {
    expect(sanitizeFileName('C:\\Users\\刘洋\\可研.pdf')).toBe('可研.pdf');
    expect(sanitizeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(sanitizeFileName('a\r\nContent-Type: b.pdf')).toBe('aContent-Type: b.pdf');
    expect(sanitizeFileName('x\n/../y.pdf')).toBe('y.pdf');
    expect(sanitizeFileName('报告\u202Efdp.exe')).toBe('报告fdp.exe');
    expect(sanitizeFileName('\u0000\u0007x.pdf')).toBe('x.pdf');
    expect(sanitizeFileName('  ...隐藏.pdf  ')).toBe('隐藏.pdf');
    expect(sanitizeFileName('\u200b')).toBe('');
  });

  it('bounds the length and keeps the extension', () => {
    const name = sanitizeFileName('长'.repeat(500) + '.docx');
    expect(name.length).toBe(MAX_FILE_NAME);
    expect(name.endsWith('.docx')).toBe(true);
    // A surrogate pair is never cut in half.
    const emoji = sanitizeFileName('😀'.repeat(300) + '.pdf');
    expect(emoji.endsWith('.pdf')).toBe(true);
    expect(() => encodeURIComponent(emoji)).not.toThrow();
  });
});
