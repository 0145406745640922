-- The review queue of draft reports read from published texts (package
-- intake): working state of the server, not claims, so outside the log
-- like responses. Rebuilding leaves it alone; `truce log verify` does not
-- check it. A draft leaves the queue in the transaction that files its
-- report, or when discarded.
CREATE TABLE drafts (
	id           TEXT COLLATE "C" PRIMARY KEY,
	organisation TEXT COLLATE "C" NOT NULL,
	queued_by    TEXT COLLATE "C" NOT NULL,
	queued_at    TEXT COLLATE "C" NOT NULL,
	seq          BIGINT NOT NULL,
	lang         TEXT COLLATE "C" NOT NULL,
	date         TEXT COLLATE "C" NOT NULL,
	source       TEXT COLLATE "C" NOT NULL,
	text         TEXT COLLATE "C" NOT NULL,
	text_bytes   BIGINT NOT NULL CHECK (text_bytes >= 0),
	draft        TEXT COLLATE "C" NOT NULL -- intake.Draft as JSON
);

CREATE INDEX drafts_queue ON drafts (organisation, queued_at, seq, id);
