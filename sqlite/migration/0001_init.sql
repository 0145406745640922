-- The log. Entries, with the Merkle hashes each one adds to the tree, and
-- the checkpoints issued over them are the source of truth: they are only
-- ever inserted. An entry's row keeps its hashes (the stored-hash indexes
-- tlog.StoredHashIndex(0, idx) onward, 32 bytes each) before its bytes, so
-- that reading hashes does not read entries.
CREATE TABLE log_entries (
	idx    INTEGER PRIMARY KEY CHECK (idx >= 0),
	hashes BLOB NOT NULL CHECK (length(hashes) >= 32 AND length(hashes) % 32 = 0),
	data   BLOB NOT NULL
);

-- `truce log verify` checks every column of the log's tables against the
-- entries' bytes and the log key (workflow/verify.go), except
-- checkpoints.issued_at: when this server says it signed, which no
-- signature covers.
CREATE TABLE checkpoints (
	size      INTEGER PRIMARY KEY CHECK (size >= 0),
	root      BLOB NOT NULL CHECK (length(root) = 32),
	note      TEXT NOT NULL,
	issued_at TEXT NOT NULL
);

-- Settings of the data directory: the log's origin and public key.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Hashes of members' bearer tokens. Secrets, even hashed, stay out of the
-- log, which is shared with every member; rebuilding leaves them alone,
-- and `truce log verify` cannot check them: nothing in the log says what
-- they should be.
CREATE TABLE credentials (
	token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
	member     TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TRIGGER log_entries_append_only_update BEFORE UPDATE ON log_entries
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
CREATE TRIGGER log_entries_append_only_delete BEFORE DELETE ON log_entries
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER settings_fixed_update BEFORE UPDATE ON settings
BEGIN SELECT RAISE(ABORT, 'settings are fixed once set'); END;
CREATE TRIGGER settings_fixed_delete BEFORE DELETE ON settings
BEGIN SELECT RAISE(ABORT, 'settings are fixed once set'); END;

-- INSERT OR REPLACE (and REPLACE) resolve a key conflict by deleting the
-- stored row, and SQLite fires no DELETE trigger for that unless
-- recursive_triggers is on, which a connection opened by anyone else need
-- not set. So the UPDATE and DELETE triggers above do not stop
-- "REPLACE INTO log_entries ...": these refuse any insert over a stored key.
CREATE TRIGGER log_entries_append_only_replace BEFORE INSERT ON log_entries
WHEN EXISTS (SELECT 1 FROM log_entries WHERE idx = NEW.idx)
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
CREATE TRIGGER checkpoints_append_only_replace BEFORE INSERT ON checkpoints
WHEN EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.size)
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER settings_fixed_replace BEFORE INSERT ON settings
WHEN EXISTS (SELECT 1 FROM settings WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'settings are fixed once set'); END;

-- Projections: derived from the log, recreated by `truce rebuild`; `truce
-- log verify` replays the log into an empty database and requires every row
-- of every projection, every column, to be the same (columns filled by
-- triggers, reports.answers and report_classifications, included: the
-- same triggers fill them on replay). Times are
-- UTC text of fixed width (timeFormat in sqlite.go), so that they sort.
CREATE TABLE agreement (
	id    TEXT PRIMARY KEY,
	body  TEXT NOT NULL, -- the agreement as JSON
	entry INTEGER NOT NULL
);

CREATE TABLE members (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	organisation TEXT NOT NULL,
	role         TEXT NOT NULL,
	added_at     TEXT NOT NULL,
	entry        INTEGER NOT NULL UNIQUE
);

CREATE TABLE reports (
	id                   TEXT PRIMARY KEY,
	entry                INTEGER NOT NULL UNIQUE,
	filed_at             TEXT NOT NULL,
	filed_by             TEXT NOT NULL,
	organisation         TEXT NOT NULL,
	occurred_at          TEXT NOT NULL,
	lon                  REAL NOT NULL,
	lat                  REAL NOT NULL,
	event_type           TEXT NOT NULL,
	sub_event_type       TEXT NOT NULL,
	perpetrator          TEXT NOT NULL,
	perpetrator_as_given TEXT NOT NULL,
	description          TEXT NOT NULL,
	-- Consensus, as truce.ReportState: the state while the answer window is
	-- open, once it has closed, and the deadline between them.
	deadline             TEXT NOT NULL,
	state_open           TEXT NOT NULL,
	state_closed         TEXT NOT NULL
);
CREATE INDEX reports_occurred_at ON reports (occurred_at);
CREATE INDEX reports_perpetrator ON reports (perpetrator, entry);
CREATE INDEX reports_organisation ON reports (organisation, entry);
CREATE INDEX reports_state ON reports (state_open, state_closed, entry);

CREATE TABLE assessments (
	entry        INTEGER PRIMARY KEY,
	report       TEXT NOT NULL REFERENCES reports (id),
	member       TEXT NOT NULL,
	organisation TEXT NOT NULL,
	verdict      TEXT NOT NULL,
	reason       TEXT NOT NULL,
	made_at      TEXT NOT NULL
);
CREATE INDEX assessments_report ON assessments (report, entry);
