-- Deleting an obligation no longer owed (a completion undone, the clock set back over a year end)
-- checks the rows that reference it. notifications and email_outbox had no index on
-- obligation_id, so every deleted obligation scanned both tables whole: 28,656 obligations deleted
-- in one sweep took 170 s with 17,786 notifications (docs/benchmarks.md, "Compliance sweep"), and
-- notifications only grow. Partial: most notifications and emails are not reminders.
create index notifications_obligation_idx on notifications (obligation_id) where obligation_id is not null;
create index email_outbox_obligation_idx on email_outbox (obligation_id) where obligation_id is not null;

-- Nothing reads obligations by status alone any more (the reminders read remind_on, migration
-- 20261127T0250; the calendar's status filter comes with its organization and date range), and
-- every status change, 28,500 annual reports on one day each December, wrote this index too.
drop index obligations_open_idx;
