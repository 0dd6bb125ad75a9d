-- Messages as the Twilio API and the inbox see them. Dates are milliseconds since the epoch (UTC);
-- `seq` gives the insertion order ("newest first") and is never reused, so page tokens and the
-- inbox's `after=<sid>` stay meaningful across deletes.
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  messaging_service_sid TEXT,
  to_number TEXT NOT NULL,
  from_number TEXT,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  -- What the API shows (0 while a Messaging Service has not picked a sender yet).
  num_segments INTEGER NOT NULL,
  -- What the body costs: segments as counted at create time, kept after redaction.
  segments INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  num_media INTEGER NOT NULL DEFAULT 0,
  price TEXT,
  error_code INTEGER,
  error_message TEXT,
  status_callback TEXT,
  validity_period INTEGER,
  send_at INTEGER,
  date_created INTEGER NOT NULL,
  date_updated INTEGER NOT NULL,
  date_sent INTEGER
);

CREATE INDEX messages_by_account ON messages (account_sid, seq);
CREATE INDEX messages_by_to ON messages (to_number, seq);

-- The account the sandbox generates when none is configured, kept so a restart keeps its credentials.
CREATE TABLE dev_account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  account_sid TEXT NOT NULL,
  auth_token TEXT NOT NULL,
  api_key_sid TEXT NOT NULL,
  api_key_secret TEXT NOT NULL,
  date_created INTEGER NOT NULL
);
