-- The review queue of draft reports read from published texts (package
-- intake): working state of the server, not claims, so outside the log
-- like responses. Rebuilding leaves it alone; `truce log verify` does not
-- check it. A draft leaves the queue in the transaction that files its
-- report, or when discarded.
CREATE TABLE drafts (
	id           TEXT PRIMARY KEY,
	organisation TEXT NOT NULL,
	queued_by    TEXT NOT NULL,
	queued_at    TEXT NOT NULL,
	seq          INTEGER NOT NULL,
	lang         TEXT NOT NULL,
	date         TEXT NOT NULL,
	source       TEXT NOT NULL,
	text         TEXT NOT NULL,
	text_bytes   INTEGER NOT NULL CHECK (text_bytes >= 0),
	draft        TEXT NOT NULL -- intake.Draft as JSON
);

CREATE INDEX drafts_queue ON drafts (organisation, queued_at, seq, id);
