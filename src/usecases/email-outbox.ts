// Delivery of queued email (SPEC §11: reminders by email when SMTP is configured). Rows are queued
// in the transaction that decides to send them (src/usecases/obligations.ts); delivery leases a
// batch (lease_until, with FOR UPDATE SKIP LOCKED) in a short transaction, sends it outside any
// transaction, then records the outcome. Two processes never lease the same row; a process that
// dies mid-send leaves its lease to expire, after which the row is sent again (at least once).
// An SMTP server that cannot be reached costs no attempt: only a message the server refuses
// counts towards EMAIL_MAX_ATTEMPTS, so an outage of any length loses no reminder (I-85).
import { sql } from 'kysely';
import { sendMail } from '../mail/smtp.ts';
import type { Services } from '../services.ts';

/** Attempts before a message is given up (its last error stays on the row). */
export const EMAIL_MAX_ATTEMPTS = 5;
const LEASE_SECONDS = 300;

export interface DeliveryRun {
  sent: number;
  failed: number;
}

/** Sends what is queued, `batchSize` messages per connection, until the queue is empty. */
export async function deliverEmails(services: Services, batchSize = 50): Promise<DeliveryRun> {
  const run: DeliveryRun = { sent: 0, failed: 0 };
  const smtp = services.config.smtp;
  if (!smtp) return run;
  const db = services.database.db;
  for (;;) {
    const now = services.now();
    const leased = await db.transaction().execute(async (trx) => (await sql<{ id: string; to_address: string; subject: string; body: string }>`
      update email_outbox set lease_until = ${new Date(now.getTime() + LEASE_SECONDS * 1000)}, attempts = attempts + 1
      where id in (select id from email_outbox
        where sent_at is null and attempts < ${EMAIL_MAX_ATTEMPTS} and (lease_until is null or lease_until < ${now})
        order by seq limit ${batchSize} for update skip locked)
      returning id, to_address, subject, body`.execute(trx)).rows);
    if (leased.length === 0) return run;
    let results: Array<string | null>;
    try {
      results = await sendMail(smtp, leased.map((m) => ({ to: m.to_address, subject: m.subject, text: m.body })));
    } catch (e) {
      // The server is away (refused, timed out, TLS or sign-in failed): no message was refused,
      // so the attempt is not counted and the lease is released, and the batch goes out at the
      // next delivery (the email.deliver job, every minute) however long the outage lasts (I-85).
      // A process killed mid-send never gets here: its lease expires instead (at least once).
      const message = e instanceof Error ? e.message : String(e);
      await db.updateTable('email_outbox')
        .set((eb) => ({ last_error: message.slice(0, 1000), lease_until: null, attempts: eb('attempts', '-', 1) }))
        .where('id', 'in', leased.map((m) => m.id)).where('sent_at', 'is', null).execute();
      run.failed += leased.length;
      return run;
    }
    const done = services.now();
    for (const [i, m] of leased.entries()) {
      const error = results[i] ?? null;
      // A refused message keeps its lease: it is tried again after the lease, up to EMAIL_MAX_ATTEMPTS.
      if (error === null) run.sent++;
      else run.failed++;
      await db.updateTable('email_outbox').set(error === null ? { sent_at: done, lease_until: null, last_error: null } : { last_error: error.slice(0, 1000) })
        .where('id', '=', m.id).execute();
    }
  }
}
