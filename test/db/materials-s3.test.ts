// SPEC §10 materials on S3-compatible object storage, through the HTTP stack on both databases:
// the installation is configured with GOVPROJ_S3_* against a real S3 server (s3rver, in
// process); a material uploaded through the route lands in the bucket under its SM3 digest,
// nothing on local disk, and downloads byte-identical. A missing object answers 404, an
// altered one is broken off, and a download broken off by the client releases the object.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { samplePdf } from '../../src/domain/test-files.ts';
import { buildApp } from '../../src/http/app.ts';
import { fileStoreFor } from '../../src/storage/file-store.ts';
import { S3FileStore } from '../../src/storage/s3-store.ts';
import { startS3Server, type TestS3Server } from '../../src/storage/s3-test-server.ts';
import { openTestDatabase, testServices, type TestDatabase } from '../support/db.ts';
import { bearer, seedTestDemo, signIn, type Session } from '../support/fixtures.ts';
import { removeDir, tempDir } from '../support/server-process.ts';

const MiB = 1024 * 1024;
let t: TestDatabase;
let s3: TestS3Server;
let dataDir: string;
let services: ReturnType<typeof testServices>;
let store: S3FileStore;
let app: FastifyInstance;
let preparer: Session;
const org = new Map<string, string>();

beforeAll(async () => {
  t = await openTestDatabase();
  s3 = await startS3Server();
  dataDir = tempDir('govproj-materials-s3-');
  services = testServices(t.database, { dataDir, s3: { ...s3.config, prefix: 'govproj/' } });
  store = fileStoreFor(services.config) as S3FileStore;
  await seedTestDemo(services);
  app = await buildApp(services);
  for (const o of await t.database.db.selectFrom('organizations').select(['id', 'name']).execute()) org.set(o.name, o.id);
  preparer = await signIn(app, services, 'preparer');
});
afterAll(async () => {
  await app?.close();
  await s3?.stop();
  await t?.drop();
  removeDir(dataDir);
});

const sm3 = (data: Uint8Array) => createHash('sm3').update(data).digest('hex');

/** A multipart/form-data body as a browser sends it: stage, materialCode, then the file. */
function multipart(stage: string, materialCode: string, name: string, type: string, data: Buffer) {
  const boundary = `----govprojBoundary${randomBytes(8).toString('hex')}`;
  const field = (k: string, v: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  return {
    payload: Buffer.concat([
      Buffer.from(field('stage', stage) + field('materialCode', materialCode)),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      data, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function uploadPdf(projectId: string, data: Buffer) {
  const body = multipart('proposal', 'proposal', '项目建议书.pdf', 'application/pdf', data);
  const res = await app.inject({
    method: 'POST', url: `/api/v1/projects/${projectId}/materials`, headers: { ...bearer(preparer), ...body.headers }, payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; sm3: string; sizeBytes: number; mediaType: string };
}

async function newProject(): Promise<string> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/projects', headers: bearer(preparer),
    payload: {
      name: '对象存储材料测试项目', constructionUnitId: org.get('人力资源和社会保障部信息中心'),
      approvalDepartmentId: org.get('国家发展和改革委员会创新和高技术发展司'), track: 'approval', kind: 'new',
      constructionStart: '2026-01-01', constructionEnd: '2027-12-31', totalInvestment: '1200.00', fundingChannel: 'central_budget',
      security: { scheme: 'mlps', mlpsLevel: 3 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const download = (projectId: string, materialId: string) =>
  app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/materials/${materialId}/download`, headers: bearer(preparer) });

describe('materials on S3-compatible object storage (SPEC §10)', () => {
  it('SPEC §10: an uploaded PDF is stored in the bucket under its SM3 digest and downloads byte-identical', async () => {
    const projectId = await newProject();
    // The demo seed's own files (its completed project's acceptance materials) are there already.
    const seeded = await s3.keys();
    const added = async () => (await s3.keys()).filter((k) => !seeded.includes(k));
    const data = samplePdf(300 * 1024);
    const m = await uploadPdf(projectId, data);
    expect(m).toMatchObject({ sm3: sm3(data), sizeBytes: data.length, mediaType: 'application/pdf' });
    // In the bucket under the prefix, nothing staged left over, nothing on local disk.
    expect(await added()).toEqual([`govproj/${m.sm3}`]);
    expect(seeded.every((k) => /^govproj\/[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(existsSync(join(dataDir, 'files'))).toBe(false);
    const res = await download(projectId, m.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.equals(data)).toBe(true);
    // The same bytes as a second version: one object, two rows.
    const again = await uploadPdf(projectId, data);
    expect(again.sm3).toBe(m.sm3);
    expect(await added()).toEqual([`govproj/${m.sm3}`]);
  });

  it('SPEC §10: a missing object answers 404 material.file_missing; altered bytes are broken off', async () => {
    const projectId = await newProject();
    const m = await uploadPdf(projectId, samplePdf(1234));
    await store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: store.objectKey(m.sm3) }));
    const missing = await download(projectId, m.id);
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'material.file_missing']);
    const m2 = await uploadPdf(projectId, samplePdf(4321));
    const altered = samplePdf(4321);
    altered[altered.length - 3]! ^= 0x01;
    await store.client.send(new PutObjectCommand({ Bucket: store.bucket, Key: store.objectKey(m2.sm3), Body: altered }));
    const broken = await download(projectId, m2.id)
      .then((r) => ({ status: r.statusCode }), (err: Error) => ({ error: err.message }));
    expect(broken).toEqual({ error: 'response destroyed before completion' });
  });

  it('SPEC §10: an object store that cannot be reached answers 503 and stores nothing', async () => {
    const down = testServices(t.database, { dataDir, s3: { ...s3.config, endpoint: 'http://127.0.0.1:9', prefix: 'govproj/' } });
    const downApp = await buildApp(down);
    try {
      const session = await signIn(downApp, down, 'preparer');
      const projectId = await newProject();
      const before = await t.database.db.selectFrom('project_materials').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const body = multipart('proposal', 'proposal', '项目建议书.pdf', 'application/pdf', samplePdf());
      const res = await downApp.inject({
        method: 'POST', url: `/api/v1/projects/${projectId}/materials`, headers: { ...bearer(session), ...body.headers }, payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().code).toBe('service_unavailable');
      const after = await t.database.db.selectFrom('project_materials').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    } finally {
      await downApp.close();
    }
  });

  it('a download the client breaks off closes the object’s stream (no connection to the store is held)', async () => {
    const projectId = await newProject();
    const m = await uploadPdf(projectId, samplePdf(24 * MiB));
    const opened: Readable[] = [];
    const get = vi.spyOn(store, 'get').mockImplementation(function (this: S3FileStore, key: string) {
      const stream = S3FileStore.prototype.get.call(this, key);
      opened.push(stream);
      return stream;
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(`${address}/api/v1/projects/${projectId}/materials/${m.id}/download`, { headers: bearer(preparer) }, (res) => {
          expect(res.statusCode).toBe(200);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => { if (!req.destroyed) reject(err); });
      });
      await vi.waitFor(() => expect(opened.map((s) => s.destroyed)).toEqual([true]), { timeout: 5000 });
    } finally {
      get.mockRestore();
    }
  });
});
