// Material files in S3-compatible object storage (SPEC §10), through the plain S3 API only
// (PutObject, multipart upload, GetObject with Range, HeadObject, CopyObject, DeleteObject,
// ListObjectsV2), so MinIO, Ceph RGW, the Chinese clouds' object storage and AWS S3 all serve.
//
// The same two steps as on local disk (file-store.ts): `stage` streams the upload through the
// SM3 hasher and byte counter into a temporary object `<prefix>staging/<uuid>` — a multipart
// upload of `partSize` parts, so at most (queueSize + 1) parts are in memory, never the file —
// and `commit` copies it to `<prefix><sm3>` and deletes the temporary object. CopyObject copies
// at most 5 GiB, which is why config.ts caps GOVPROJ_UPLOAD_LIMIT_MB at 5120 with S3 (the
// default limit is 200 MiB). A key is written only by copying complete bytes, so nothing
// half-stored is ever visible under a key, and an existing key is never overwritten.
//
// A failed upload aborts its multipart upload and deletes its temporary object. A crash can
// still leave either behind: `sweepStaging` (at start-up) deletes temporary objects older than
// a day and aborts such multipart uploads where the server lists them; a bucket lifecycle rule
// "AbortIncompleteMultipartUpload after 1 day" is the belt to those braces.
import { randomUUID } from 'node:crypto';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import type { S3Config } from '../config.ts';
import { KEY, Measure, type FileStore, type StagedFile } from './file-store.ts';

// The AWS SDK adds ~28 MiB to a process's RSS: loaded when a bucket is configured (the first
// S3FileStore), never by an installation that keeps its files on disk.
interface Sdk {
  client: typeof ClientS3;
  storage: typeof LibStorage;
}
let sdk: Sdk | undefined;
const aws = (): Sdk => {
  if (!sdk) {
    const require = createRequire(import.meta.url);
    sdk = { client: require('@aws-sdk/client-s3') as typeof ClientS3, storage: require('@aws-sdk/lib-storage') as typeof LibStorage };
  }
  return sdk;
};

const MiB = 1024 * 1024;

export interface S3StoreOptions {
  /** Multipart part size in bytes; S3's minimum (and the default here) is 5 MiB. */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
}

/** Whether an S3 error says the object (or upload) does not exist. */
function isMissing(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchUpload';
}

/** The error a missing file gives on local disk, which callers already handle. */
function enoent(key: string, cause: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such object in the file store: ${key}`, { cause }), { code: 'ENOENT' });
}

export class S3FileStore implements FileStore {
  readonly client: S3Client;
  readonly bucket: string;
  /** '' or ending in '/'. */
  readonly prefix: string;
  readonly #partSize: number;
  readonly #queueSize: number;

  constructor(config: S3Config, options: S3StoreOptions = {}) {
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.#partSize = options.partSize ?? 5 * MiB;
    this.#queueSize = options.queueSize ?? 2;
    this.client = new (aws().client.S3Client)({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // The SDK's newer default CRC32 checksums on every upload are not understood by many
      // S3-compatible servers; integrity is the SM3 digest, re-checked on every download.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  /** The object key of a file key. */
  objectKey(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a file key: ${key}`);
    return this.prefix + key;
  }

  get stagingPrefix(): string {
    return `${this.prefix}staging/`;
  }

  async stage(source: Readable, options: { maxBytes: number }): Promise<StagedFile> {
    const staging = `${this.stagingPrefix}${randomUUID()}`;
    const measure = new Measure(options.maxBytes);
    // The stream's own failure (too large, client gone) is the one to report, not whatever
    // the upload makes of it.
    let streamError: unknown = null;
    measure.on('error', (err) => { streamError ??= err; });
    // A plain stream as the body: lib-storage guesses a body's length from fields such as
    // `size` (which Measure has, counting from 0) and then refuses the parts it did not expect.
    const body = new PassThrough();
    pipeline(source, measure, body, () => {});
    const upload = new (aws().storage.Upload)({
      client: this.client,
      params: { Bucket: this.bucket, Key: staging, Body: body, ContentType: 'application/octet-stream' },
      partSize: this.#partSize, queueSize: this.#queueSize, leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      source.destroy();
      body.destroy();
      // lib-storage aborts the multipart upload when the stream fails and then throws the
      // stream's error; any other error may be that abort failing, so abort (again) then.
      // Best effort: the original error matters more, and the sweeper removes what is left.
      await this.#remove(staging, err === streamError ? undefined : upload.uploadId).catch(() => {});
      throw streamError ?? err;
    }
    const sm3 = measure.hash.digest('hex');
    const head = measure.head();
    const size = measure.size;
    let settled = false;
    return {
      sm3, size, head,
      read: async (position, length) => {
        const end = Math.min(size, position + length);
        if (position >= end) return new Uint8Array(0);
        const res = await this.client.send(new (aws().client.GetObjectCommand)({ Bucket: this.bucket, Key: staging, Range: `bytes=${position}-${end - 1}` }));
        return await res.Body!.transformToByteArray();
      },
      commit: async () => {
        if (settled) return;
        // Same bytes, same key: an existing object is already what we would write.
        if (!(await this.exists(sm3))) {
          await this.client.send(new (aws().client.CopyObjectCommand)({
            Bucket: this.bucket, Key: this.objectKey(sm3), CopySource: copySource(this.bucket, staging),
          }));
        }
        settled = true;
        // Stored either way; a staged object left by a failed delete is swept later.
        await this.#remove(staging).catch(() => {});
      },
      discard: async () => {
        if (settled) return;
        await this.#remove(staging);
        settled = true;
      },
    };
  }

  /**
   * Deletes a staged object and, after a failed upload, aborts its multipart upload: lib-storage
   * aborts it itself when the stream fails, but not when that abort request failed too.
   * (Upload.abort() would only stop an upload still running; `done()` has settled here.)
   */
  async #remove(staging: string, uploadId?: string): Promise<void> {
    if (uploadId) {
      await this.client.send(new (aws().client.AbortMultipartUploadCommand)({ Bucket: this.bucket, Key: staging, UploadId: uploadId }))
        .catch((err: unknown) => { if (!isMissing(err)) throw err; });
    }
    // Deleting a missing object succeeds in S3.
    await this.client.send(new (aws().client.DeleteObjectCommand)({ Bucket: this.bucket, Key: staging }));
  }

  get(key: string): Readable {
    const Key = this.objectKey(key);
    const { client, bucket } = this;
    // Requested when first read; destroying the stream destroys the response body.
    return Readable.from((async function* () {
      let res;
      try {
        res = await client.send(new (aws().client.GetObjectCommand)({ Bucket: bucket, Key }));
      } catch (err) {
        throw isMissing(err) ? enoent(Key, err) : err;
      }
      yield* res.Body as Readable;
    })(), { objectMode: false });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new (aws().client.HeadObjectCommand)({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /**
   * Staged objects and unfinished multipart uploads older than `olderThanMs` (left by a crash
   * mid-upload); removes them. Fails when the bucket cannot be listed, so a misconfigured
   * bucket stops start-up instead of the first upload.
   */
  async sweepStaging(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(new (aws().client.ListObjectsV2Command)({ Bucket: this.bucket, Prefix: this.stagingPrefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (o.Key && o.LastModified && now - o.LastModified.getTime() > olderThanMs) {
          await this.client.send(new (aws().client.DeleteObjectCommand)({ Bucket: this.bucket, Key: o.Key }));
          removed++;
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      do {
        const page = await this.client.send(new (aws().client.ListMultipartUploadsCommand)({
          Bucket: this.bucket, Prefix: this.stagingPrefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker,
        }));
        for (const u of page.Uploads ?? []) {
          if (u.Key && u.UploadId && u.Initiated && now - u.Initiated.getTime() > olderThanMs) {
            await this.client.send(new (aws().client.AbortMultipartUploadCommand)({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }))
              .catch((err: unknown) => { if (!isMissing(err)) throw err; });
            removed++;
          }
        }
        [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
      } while (keyMarker);
    } catch (err) {
      // Not every S3-compatible server lists multipart uploads; the lifecycle rule covers those.
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name !== 'NotImplemented' && e.$metadata?.httpStatusCode !== 501) throw err;
    }
    return removed;
  }
}

/** CopySource is `<bucket>/<key>`, URL-encoded except for the slashes. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}
