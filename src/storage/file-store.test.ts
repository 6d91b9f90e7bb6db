// SPEC §10: files are stored by their SM3 digest; a failed or aborted upload leaves nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTooLargeError, LocalFileStore } from './file-store.ts';

let root: string;
let store: LocalFileStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'govproj-files-'));
  store = new LocalFileStore(join(root, 'files'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every regular file under the store, staging included. */
function files(dir = join(root, 'files')): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) out = out.concat(files(path));
    else out.push(path);
  }
  return out;
}

/** A stream of `n` chunks of `size` bytes, then (optionally) an error. */
function chunks(n: number, size: number, fail?: Error): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < n) this.push(Buffer.alloc(size, i++ % 251));
      else if (fail) this.destroy(fail);
      else this.push(null);
    },
  });
}

describe('local file store (SPEC §10)', () => {
  it('SPEC §10: stores a file under its SM3 digest, in sharded directories, after commit only', async () => {
    const data = Buffer.from('可行性研究报告 %PDF-1.7');
    const staged = await store.stage(Readable.from([data]), { maxBytes: 1024 });
    expect(staged.sm3).toBe(createHash('sm3').update(data).digest('hex'));
    expect(staged.size).toBe(data.length);
    expect(Buffer.from(staged.head)).toEqual(data);
    expect(Buffer.from(await staged.read(3, 4))).toEqual(data.subarray(3, 7));
    expect(await store.exists(staged.sm3)).toBe(false);
    await staged.commit();
    expect(await store.exists(staged.sm3)).toBe(true);
    expect(files()).toEqual([join(root, 'files', staged.sm3.slice(0, 2), staged.sm3.slice(2, 4), staged.sm3)]);
    expect(statSync(files()[0]!).mode & 0o777).toBe(0o600);
    expect(await text(store.get(staged.sm3))).toBe(data.toString());
    await staged.discard(); // after commit: nothing to do
    expect(await store.exists(staged.sm3)).toBe(true);
  });

  it('the same bytes twice are one file', async () => {
    for (let i = 0; i < 2; i++) await (await store.stage(Readable.from([Buffer.from('same')]), { maxBytes: 10 })).commit();
    expect(files()).toHaveLength(1);
  });

  it('streams a large file without holding it: only the first 64 KiB are kept', async () => {
    const staged = await store.stage(chunks(64, 64 * 1024), { maxBytes: 8 * 1024 * 1024 });
    expect(staged.size).toBe(4 * 1024 * 1024);
    expect(staged.head.length).toBe(64 * 1024);
    await staged.discard();
    expect(files()).toEqual([]);
  });

  it('SPEC §10: past the limit the upload is refused and nothing is left', async () => {
    await expect(store.stage(chunks(10, 1000), { maxBytes: 5000 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(files()).toEqual([]);
    // Exactly at the limit is fine.
    expect((await store.stage(chunks(5, 1000), { maxBytes: 5000 })).size).toBe(5000);
  });

  it('SPEC §10: a source that fails midway (client gone) leaves nothing', async () => {
    await expect(store.stage(chunks(3, 1000, new Error('aborted')), { maxBytes: 1e6 })).rejects.toThrow('aborted');
    expect(files()).toEqual([]);
  });

  it('a missing file is reported as such', async () => {
    const key = 'a'.repeat(64);
    expect(await store.exists(key)).toBe(false);
    await expect(text(store.get(key))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => store.get('../../etc/passwd')).toThrow(/not a file key/);
  });

  it('sweeps staged files a crash left behind', async () => {
    const staged = await store.stage(Readable.from([Buffer.from('x')]), { maxBytes: 10 });
    expect(await store.sweepStaging(60_000)).toBe(0);
    expect(await store.sweepStaging(60_000, Date.now() + 120_000)).toBe(1);
    expect(files()).toEqual([]);
    await expect(staged.commit()).rejects.toThrow();
  });
});
