import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeXlsx, XLSX_HIGH_WATER_MARK, type XlsxColumn } from './xlsx.ts';

interface Row { n: number; name: string }
const columns: XlsxColumn<Row>[] = [{ header: '序号', value: (r) => r.n }, { header: '名称', value: (r) => r.name }];

/** Batches of `size` rows, counting how many were pulled and whether the iterator was closed. */
function source(batches: number, size: number) {
  const state = { pulled: 0, closed: false };
  async function* rows() {
    try {
      for (let b = 0; b < batches; b++) {
        await new Promise((resolve) => setImmediate(resolve));
        const batch = Array.from({ length: size }, (_, i) => ({ n: b * size + i, name: `政务信息系统${b * size + i}：${'数据共享交换'.repeat(8)}` }));
        state.pulled += batch.length;
        yield batch;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('writeXlsx (streamed .xlsx export)', () => {
  it('stops taking rows while nobody reads the output (backpressure)', async () => {
    const stream = new PassThrough({ highWaterMark: XLSX_HIGH_WATER_MARK });
    const { state, rows } = source(1000, 500); // 500,000 rows
    const done = writeXlsx(stream, '目录', columns, rows);
    // Wait until it stalls: no row taken for three rounds (the pipeline's buffers are full).
    let last = -1;
    let still = 0;
    for (let round = 0; round < 100 && still < 3; round++) {
      await settle();
      still = state.pulled === last ? still + 1 : 0;
      last = state.pulled;
    }
    expect(still).toBe(3);
    // Without backpressure every row would be taken; with it, what fits in the buffers.
    expect(state.pulled).toBeLessThan(100_000);
    stream.destroy();
    await done;
    expect(state.closed).toBe(true);
  }, 60_000);

  it('writes a complete workbook for a reader slower than the database', async () => {
    const stream = new PassThrough({ highWaterMark: XLSX_HIGH_WATER_MARK });
    const { state, rows } = source(60, 500); // 30,000 rows
    const done = writeXlsx(stream, '目录', columns, rows);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      await new Promise((resolve) => setImmediate(resolve)); // a slow consumer
    }
    await done;
    expect(state.pulled).toBe(30_000);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('目录')!;
    expect(sheet.rowCount).toBe(30_001);
    expect(sheet.getRow(1).getCell(2).value).toBe('名称');
    expect(sheet.getRow(30_001).getCell(1).value).toBe(29_999);
  }, 60_000);

  it('stops reading the source and closes its cursor when the response goes away', async () => {
    const stream = new PassThrough({ highWaterMark: XLSX_HIGH_WATER_MARK });
    const { state, rows } = source(400, 500);
    const done = writeXlsx(stream, '目录', columns, rows);
    await settle();
    stream.destroy();
    await done;
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(60_000);
  });
});
