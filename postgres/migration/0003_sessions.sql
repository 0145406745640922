-- The map room's sessions: by the SHA-256 of the id the browser holds,
-- never the id. Working state of the servers, like responses and drafts:
-- outside the log, left alone by rebuilding, not checked by verify.
CREATE TABLE sessions (
	id_hash    BYTEA PRIMARY KEY CHECK (length(id_hash) = 32),
	member     TEXT COLLATE "C" NOT NULL,
	csrf       TEXT COLLATE "C" NOT NULL,
	created_at TEXT COLLATE "C" NOT NULL,
	seen_at    TEXT COLLATE "C" NOT NULL
);

CREATE INDEX sessions_member ON sessions (member, created_at);
