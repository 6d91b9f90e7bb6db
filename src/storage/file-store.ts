// Where material files live (SPEC §10). Files are content-addressed: the key of a file is the
// SM3 digest of its bytes (64 lower-case hex characters), so a stored file is never changed or
// overwritten and two versions with the same bytes share one file.
//
// Writing happens in two steps so that nothing half-stored is ever visible under a key:
// `stage` streams the upload to a temporary file while hashing it and counting its bytes
// (never holding the file in memory), fsyncs it, and hands back its digest, size and first
// bytes; the caller checks them and then either `commit`s (rename into place, fsync the
// directory) or `discard`s (unlink). A failed, aborted or oversized upload — disk full, limit
// exceeded, client gone — ends in `discard` and leaves nothing behind.
//
// Two stores implement this: `LocalFileStore` below (the default: `<GOVPROJ_DATA_DIR>/files`) and
// `S3FileStore` (s3-store.ts: S3-compatible object storage when GOVPROJ_S3_BUCKET is set), which
// stages to a temporary object and commits by copying it to its key. `fileStoreFor` picks one.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Config } from '../config.ts';
import { HEAD_BYTES } from '../domain/file-type.ts';
import { S3FileStore } from './s3-store.ts';

/** A file written to the staging area, not yet stored under its key. */
export interface StagedFile {
  /** SM3 of the bytes, lower-case hex: the key the file will be stored under. */
  readonly sm3: string;
  readonly size: number;
  /** The first min(size, 64 KiB) bytes. */
  readonly head: Uint8Array;
  /** Reads bytes of the staged file (for the ZIP central directory at its end). */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Makes the file available under `sm3`; idempotent when that key already exists. */
  commit(): Promise<void>;
  /** Removes the staged file; safe to call after commit (then it does nothing). */
  discard(): Promise<void>;
}

export interface FileStore {
  /** Streams `source` into the staging area; rejects (leaving nothing) past `maxBytes` or on any error. */
  stage(source: Readable, options: { maxBytes: number }): Promise<StagedFile>;
  /** The stored bytes of `key`; the stream errors with ENOENT when the file is missing. */
  get(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** Removes staged uploads older than `olderThanMs` that a crash left behind; returns how many. */
  sweepStaging(olderThanMs: number, now?: number): Promise<number>;
}

/** A staged upload went past the limit. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/** The form of a file key: an SM3 digest in lower-case hex. */
export const KEY = /^[0-9a-f]{64}$/;

/** Hashes, counts and keeps the first bytes of what passes through; errors past maxBytes. */
export class Measure extends Transform {
  readonly hash = createHash('sm3');
  size = 0;
  readonly #head: Buffer[] = [];
  #headLength = 0;
  readonly #maxBytes: number;
  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length;
    if (this.size > this.#maxBytes) return done(new FileTooLargeError(this.#maxBytes));
    if (this.#headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.#headLength);
      this.#head.push(Buffer.from(part));
      this.#headLength += part.length;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
  head(): Uint8Array {
    return Buffer.concat(this.#head);
  }
}

/**
 * Files under `<root>/<first two hex>/<next two hex>/<sm3>`, staged in `<root>/.staging/` (the
 * same file system, so the final rename is atomic). Back up the whole `<root>` directory
 * together with the database backup (`govproj backup` copies rows, not files).
 */
export class LocalFileStore implements FileStore {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a file key: ${key}`);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async stage(source: Readable, options: { maxBytes: number }): Promise<StagedFile> {
    const staging = join(this.root, '.staging');
    await mkdir(staging, { recursive: true });
    const tmp = join(staging, `${randomUUID()}.part`);
    const measure = new Measure(options.maxBytes);
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(source, measure, out);
      // The bytes are on disk before anyone is told they are stored.
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      source.destroy();
      await rm(tmp, { force: true });
      throw err;
    }
    const sm3 = measure.hash.digest('hex');
    const head = measure.head();
    const size = measure.size;
    let settled = false;
    return {
      sm3, size, head,
      read: async (position, length) => {
        const fh = await open(tmp, 'r');
        try {
          const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
          const { bytesRead } = await fh.read(buf, 0, buf.length, position);
          return buf.subarray(0, bytesRead);
        } finally {
          await fh.close();
        }
      },
      commit: async () => {
        if (settled) return;
        const target = this.pathOf(sm3);
        const dir = join(this.root, sm3.slice(0, 2), sm3.slice(2, 4));
        await mkdir(dir, { recursive: true });
        // Same bytes, same key: an existing file is already what we would write.
        if (await this.exists(sm3)) await rm(tmp, { force: true });
        else await rename(tmp, target);
        settled = true;
        await syncDirectory(dir);
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await rm(tmp, { force: true });
      },
    };
  }

  get(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Staged files older than `olderThanMs` (left by a crash mid-upload); removes them. */
  async sweepStaging(olderThanMs: number, now = Date.now()): Promise<number> {
    const staging = join(this.root, '.staging');
    let removed = 0;
    for (const name of await readdir(staging).catch(() => [] as string[])) {
      const path = join(staging, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function syncDirectory(dir: string) {
  // A directory fsync makes the rename durable; some platforms cannot open a directory.
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync().catch(() => {});
  } finally {
    await fh.close();
  }
}

const stores = new WeakMap<object, LocalFileStore | S3FileStore>();

/**
 * The file store of an installation: the object storage of GOVPROJ_S3_* when configured,
 * otherwise the local disk under `<GOVPROJ_DATA_DIR>/files`. One store per configuration
 * object, so an S3 client and its connection pool are made once, not per request.
 */
export function fileStoreFor(config: { dataDir: string; s3?: S3Config | null }): LocalFileStore | S3FileStore {
  let store = stores.get(config);
  if (!store) {
    store = config.s3 ? new S3FileStore(config.s3) : new LocalFileStore(join(config.dataDir, 'files'));
    stores.set(config, store);
  }
  return store;
}
