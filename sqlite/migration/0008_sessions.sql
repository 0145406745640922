-- The map room's sessions: by the SHA-256 of the id the browser holds,
-- never the id. Working state of the servers, like responses and drafts:
-- outside the log, left alone by rebuilding, not checked by verify.
CREATE TABLE sessions (
	id_hash    BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
	member     TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	seen_at    TEXT NOT NULL
);

CREATE INDEX sessions_member ON sessions (member, created_at);
