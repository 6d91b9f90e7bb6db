// SPEC §10: material files in S3-compatible object storage, tested against a real S3 server
// (s3rver, in process): files are stored under their SM3 digest, streamed in parts, and a
// failed, refused or discarded upload leaves no object and no unfinished upload behind.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  AbortMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { fileStoreFor, FileTooLargeError, LocalFileStore } from './file-store.ts';
import { S3FileStore, type S3StoreOptions } from './s3-store.ts';
import { startS3Server, type TestS3Server } from './s3-test-server.ts';

const MiB = 1024 * 1024;
const sm3 = (data: Uint8Array) => createHash('sm3').update(data).digest('hex');

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

/** A store under its own prefix of the shared bucket, and the object keys under that prefix. */
let stores = 0;
function newStore(options: S3StoreOptions = {}) {
  const prefix = `t${++stores}/`;
  const store = new S3FileStore({ ...s3.config, prefix }, options);
  const keys = async () => (await s3.keys()).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  /** The commands the store sends, by name. */
  const sent = vi.spyOn(store.client, 'send');
  const count = (type: abstract new (...args: never[]) => unknown) => sent.mock.calls.filter(([c]) => c instanceof type).length;
  /** The multipart uploads created, and those an AbortMultipartUpload was sent for. */
  const uploads = async () => {
    const created = new Set<string>();
    const aborted = new Set<string>();
    for (const [i, [command]] of sent.mock.calls.entries()) {
      if (command instanceof CreateMultipartUploadCommand) {
        created.add(((await sent.mock.results[i]!.value) as { UploadId: string }).UploadId);
      }
      if (command instanceof AbortMultipartUploadCommand) aborted.add(command.input.UploadId!);
    }
    return { created: [...created], aborted: [...aborted] };
  };
  return { store, prefix, keys, count, uploads };
}

/** `total` bytes of deterministic pseudo-random data in 64 KiB chunks, then (optionally) an error. */
function generated(total: number, fail?: Error): { stream: Readable; sm3: () => string } {
  const hash = createHash('sm3');
  let sent = 0;
  let counter = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        if (fail) this.destroy(fail);
        else this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(64 * 1024, total - sent));
      for (let i = 0; i < chunk.length; i += 32) createHash('sha256').update(String(counter++)).digest().copy(chunk, i);
      hash.update(chunk);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, sm3: () => hash.digest('hex') };
}

describe('S3-compatible file store (SPEC §10)', () => {
  it('SPEC §10: stores a file under its SM3 digest after commit only; get returns the exact bytes', async () => {
    const { store, keys } = newStore();
    const data = randomBytes(100 * 1024);
    const staged = await store.stage(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { maxBytes: MiB });
    expect(staged.sm3).toBe(sm3(data));
    expect(staged.size).toBe(data.length);
    expect(Buffer.from(staged.head)).toEqual(data.subarray(0, 64 * 1024));
    expect(await store.exists(staged.sm3)).toBe(false);
    expect(await keys()).toEqual([expect.stringMatching(/^staging\/[0-9a-f-]{36}$/)]);
    await staged.commit();
    expect(await store.exists(staged.sm3)).toBe(true);
    expect(await keys()).toEqual([staged.sm3]);
    expect(await buffer(store.get(staged.sm3))).toEqual(data);
    // Committing or discarding again changes nothing.
    await staged.commit();
    await staged.discard();
    expect(await keys()).toEqual([staged.sm3]);
    expect(await buffer(store.get(staged.sm3))).toEqual(data);
  });

  it('reads ranges of the staged object (the ZIP central directory at the end of a file)', async () => {
    const { store } = newStore();
    const data = randomBytes(200 * 1024);
    const staged = await store.stage(Readable.from([data]), { maxBytes: MiB });
    expect(Buffer.from(await staged.read(data.length - 22, 22))).toEqual(data.subarray(-22));
    expect(Buffer.from(await staged.read(data.length - 100, 1000))).toEqual(data.subarray(-100));
    expect(Buffer.from(await staged.read(70_000, 10))).toEqual(data.subarray(70_000, 70_010));
    expect((await staged.read(data.length, 10)).length).toBe(0);
    expect((await staged.read(5, 0)).length).toBe(0);
    await staged.discard();
  });

  it('streams a 12 MiB upload in 5 MiB parts (multipart), byte-identical', async () => {
    const { store, keys, count } = newStore({ partSize: 5 * MiB });
    const total = 12 * MiB + 12_345;
    const source = generated(total);
    const staged = await store.stage(source.stream, { maxBytes: 20 * MiB });
    expect([count(CreateMultipartUploadCommand), count(UploadPartCommand), count(PutObjectCommand)]).toEqual([1, 3, 0]);
    expect(staged.size).toBe(total);
    expect(staged.sm3).toBe(source.sm3());
    await staged.commit();
    expect(await keys()).toEqual([staged.sm3]);
    const back = await buffer(store.get(staged.sm3));
    expect([back.length, sm3(back)]).toEqual([total, staged.sm3]);
  });

  it('SPEC §10 size limit: past maxBytes the upload fails with FileTooLargeError and leaves nothing', async () => {
    const { store, keys } = newStore();
    await expect(store.stage(generated(2 * MiB).stream, { maxBytes: MiB })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await keys()).toEqual([]);
    // Past the limit in the third part of a multipart upload: the parts already sent are aborted.
    const big = newStore({ partSize: 5 * MiB });
    const source = generated(12 * MiB);
    const err = await big.store.stage(source.stream, { maxBytes: 11 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect((err as FileTooLargeError).maxBytes).toBe(11 * MiB);
    expect(source.stream.destroyed).toBe(true);
    // s3rver answers AbortMultipartUpload with 405 (not implemented), so lib-storage's abort
    // fails and the store sends it again; a real server takes the first. Either way it is sent.
    const { created, aborted } = await big.uploads();
    expect(created).toHaveLength(1);
    expect(aborted).toEqual(created);
    expect(await big.keys()).toEqual([]);
  });

  it('a source that fails mid-upload rejects with its error and leaves nothing', async () => {
    const { store, keys } = newStore();
    await expect(store.stage(generated(300 * 1024, new Error('client went away')).stream, { maxBytes: MiB }))
      .rejects.toThrow('client went away');
    const big = newStore({ partSize: 5 * MiB });
    await expect(big.store.stage(generated(11 * MiB, new Error('connection reset')).stream, { maxBytes: 20 * MiB }))
      .rejects.toThrow('connection reset');
    const { created, aborted } = await big.uploads();
    expect([created.length, aborted]).toEqual([1, created]);
    expect([...await keys(), ...await big.keys()]).toEqual([]);
  });

  it('discard deletes the staged object, and is idempotent', async () => {
    const { store, keys } = newStore();
    const staged = await store.stage(Readable.from([Buffer.from('待审查的可行性研究报告')]), { maxBytes: MiB });
    expect(await keys()).toHaveLength(1);
    await staged.discard();
    await staged.discard();
    expect(await keys()).toEqual([]);
    expect(await store.exists(staged.sm3)).toBe(false);
  });

  it('SPEC §10: the same bytes uploaded twice are stored once (content addressing)', async () => {
    const { store, keys } = newStore();
    const data = Buffer.from('%PDF-1.7 同一份文件');
    const first = await store.stage(Readable.from([data]), { maxBytes: MiB });
    const second = await store.stage(Readable.from([data]), { maxBytes: MiB });
    expect(second.sm3).toBe(first.sm3);
    await first.commit();
    await second.commit();
    await second.discard();
    expect(await keys()).toEqual([first.sm3]);
    expect(await buffer(store.get(first.sm3))).toEqual(data);
  });

  it('get of a missing file errors with ENOENT (as on local disk); keys must be SM3 digests', async () => {
    const { store } = newStore();
    const key = sm3(Buffer.from('never stored'));
    expect(await store.exists(key)).toBe(false);
    await expect(buffer(store.get(key))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => store.get('../etc/passwd')).toThrow('not a file key');
    await expect(store.exists('A'.repeat(64))).rejects.toThrow('not a file key');
  });

  it('sweeps staged objects a crash left behind once they are old enough', async () => {
    const { store, keys } = newStore();
    const staged = await store.stage(Readable.from([Buffer.from('left behind')]), { maxBytes: MiB });
    const kept = await store.stage(Readable.from([Buffer.from('stored')]), { maxBytes: MiB });
    await kept.commit();
    expect(await store.sweepStaging(60_000)).toBe(0);
    expect(await keys()).toHaveLength(2);
    // s3rver does not list multipart uploads (NotImplemented): the sweep goes on without them.
    expect(await store.sweepStaging(60_000, Date.now() + 120_000)).toBe(1);
    expect(await keys()).toEqual([kept.sm3]);
    await staged.discard();
  });

  it('fails the sweep (and so start-up) when the bucket is missing', async () => {
    const store = new S3FileStore({ ...s3.config, bucket: 'no-such-bucket' });
    await expect(store.sweepStaging(60_000)).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('object-storage configuration', () => {
  const base = { GOVPROJ_MASTER_KEY: '0'.repeat(64), GOVPROJ_DATA_DIR: '/tmp/govproj-test-unused' };
  const full = {
    ...base, GOVPROJ_S3_ENDPOINT: 'http://127.0.0.1:9000', GOVPROJ_S3_BUCKET: 'govproj-files',
    GOVPROJ_S3_ACCESS_KEY_ID: 'minio', GOVPROJ_S3_SECRET_ACCESS_KEY: 'minio-secret',
  };
  const error = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a configuration error');
  };

  it('is off without GOVPROJ_S3_BUCKET: files stay on local disk', () => {
    const config = loadConfig(base);
    expect(config.s3).toBeNull();
    const store = fileStoreFor(config);
    expect(store).toBeInstanceOf(LocalFileStore);
    expect((store as LocalFileStore).root).toBe(join(config.dataDir, 'files'));
  });

  it('reads every GOVPROJ_S3_* setting, with defaults; fileStoreFor then gives one S3 store', () => {
    const config = loadConfig(full);
    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:9000', bucket: 'govproj-files', region: 'us-east-1', accessKeyId: 'minio',
      secretAccessKey: 'minio-secret', prefix: '', forcePathStyle: true,
    });
    const store = fileStoreFor(config);
    expect(store).toBeInstanceOf(S3FileStore);
    expect(fileStoreFor(config)).toBe(store);
    const custom = loadConfig({ ...full, GOVPROJ_S3_REGION: 'cn-north-1', GOVPROJ_S3_PREFIX: 'govproj//', GOVPROJ_S3_FORCE_PATH_STYLE: 'false' });
    expect(custom.s3).toMatchObject({ region: 'cn-north-1', prefix: 'govproj/', forcePathStyle: false });
    const { GOVPROJ_S3_ENDPOINT: _, ...aws } = full;
    expect(loadConfig(aws).s3?.endpoint).toBeUndefined();
  });

  it('is all or nothing, with messages that name the variable', () => {
    const { GOVPROJ_S3_ACCESS_KEY_ID: _id, GOVPROJ_S3_SECRET_ACCESS_KEY: _secret, ...noCredentials } = full;
    expect(error(noCredentials)).toMatch(/GOVPROJ_S3_ACCESS_KEY_ID: required when GOVPROJ_S3_BUCKET is set\n.*GOVPROJ_S3_SECRET_ACCESS_KEY: required/);
    const { GOVPROJ_S3_BUCKET: _bucket, ...noBucket } = full;
    expect(error(noBucket)).toContain('GOVPROJ_S3_BUCKET: required when GOVPROJ_S3_ACCESS_KEY_ID, GOVPROJ_S3_ENDPOINT, GOVPROJ_S3_SECRET_ACCESS_KEY are set');
    expect(error({ ...base, GOVPROJ_S3_PREFIX: 'govproj/' })).toContain('GOVPROJ_S3_BUCKET: required when GOVPROJ_S3_PREFIX is set');
    expect(error({ ...full, GOVPROJ_S3_BUCKET: 'Bad_Bucket' })).toContain('GOVPROJ_S3_BUCKET: must be an S3 bucket name');
    expect(error({ ...full, GOVPROJ_S3_ENDPOINT: 'ftp://x' })).toContain('GOVPROJ_S3_ENDPOINT: must be an http:// or https:// URL');
    expect(error({ ...full, GOVPROJ_S3_FORCE_PATH_STYLE: 'yes' })).toContain('GOVPROJ_S3_FORCE_PATH_STYLE');
    expect(error({ ...full, GOVPROJ_S3_PREFIX: '/abs' })).toContain('GOVPROJ_S3_PREFIX: must not start with /');
    // CopyObject (the commit) copies at most 5 GiB.
    expect(error({ ...full, GOVPROJ_UPLOAD_LIMIT_MB: '6000' })).toContain('GOVPROJ_UPLOAD_LIMIT_MB: at most 5120');
    expect(loadConfig({ ...full, GOVPROJ_UPLOAD_LIMIT_MB: '5120' }).uploadLimitBytes).toBe(5120 * MiB);
  });
});
