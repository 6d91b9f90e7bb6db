// Streams a list to an .xlsx download. Rows are written as they arrive from the database in
// batches, so an export of a million rows never holds them all in memory.
//
// Backpressure: exceljs's streaming WorkbookWriter commits each row into the zip entry at once,
// and the zip's output is piped into `stream`, which the HTTP response reads. When the client
// (or the network) is slower than the database, the pipe stops the zip, but nothing would stop
// the rows: they would pile up inside exceljs and the deflater, O(rows) in memory. So after every
// committed row, when `stream` holds a high-water mark's worth of unread output
// (`writableNeedDrain`), the writer waits for 'drain' before taking the next row, and it stops
// reading the database (closing its cursor) when the response is gone. Memory is then bounded by
// one batch plus the buffers of the pipeline, whatever the row count (docs/benchmarks.md,
// "Export": heap after GC at 20,000 and 100,000 rows).
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

// exceljs adds ~30 MiB to a process's RSS once loaded: it is loaded by the first export, not at
// start-up (docs/benchmarks.md, "Memory per app process").
const excel = (): typeof ExcelJS => createRequire(import.meta.url)('exceljs') as typeof ExcelJS;
import type { FastifyReply } from 'fastify';

export interface XlsxColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null;
}

/** Unread output (bytes) at which the writer waits for the response to catch up. */
export const XLSX_HIGH_WATER_MARK = 64 * 1024;

/** Resolves when `stream` has drained, or false when it closed or failed first. */
async function drained(stream: PassThrough): Promise<boolean> {
  if (stream.destroyed) return false;
  const abort = new AbortController();
  try {
    const which = await Promise.race([
      once(stream, 'drain', { signal: abort.signal }).then(() => true),
      once(stream, 'close', { signal: abort.signal }).then(() => false),
    ]);
    return which && !stream.destroyed;
  } catch {
    return false; // 'error' (once rejects on it), or aborted
  } finally {
    abort.abort();
  }
}

/**
 * Writes the rows of `batches` to `stream` as one worksheet, waiting whenever the reader falls
 * behind. Resolves when the workbook is complete, or as soon as the stream is closed (the
 * batches' iterator is then returned, releasing its cursor).
 */
export async function writeXlsx<T>(stream: PassThrough, sheetName: string, columns: XlsxColumn<T>[], batches: AsyncIterable<T[]>): Promise<void> {
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const batch of batches) {
    for (const row of batch) {
      sheet.addRow(columns.map((c) => c.value(row))).commit();
      if (stream.writableNeedDrain && !(await drained(stream))) return;
    }
    if (stream.destroyed) return;
  }
  sheet.commit();
  await workbook.commit();
}

export function sendXlsx<T>(reply: FastifyReply, filename: string, sheetName: string, columns: XlsxColumn<T>[], batches: AsyncIterable<T[]>) {
  const stream = new PassThrough({ highWaterMark: XLSX_HIGH_WATER_MARK });
  writeXlsx(stream, sheetName, columns, batches).catch((err: unknown) => stream.destroy(err as Error));
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return reply.send(stream);
}
