-- Usage Records and all-time ranges read an account's messages by creation time.
CREATE INDEX messages_by_account_created ON messages (account_sid, date_created);

-- The life cycle resumes the messages still in flight after a restart (`unfinished()`). A partial
-- index holds only those, so it stays small however many finished messages the table keeps. The
-- list must stay equal to `inFlightStatuses` (src/statuses.ts); a store test checks the plan.
CREATE INDEX messages_in_flight ON messages (seq)
  WHERE status IN ('accepted', 'scheduled', 'queued', 'sending', 'sent');
