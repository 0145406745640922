-- The sidecar of an entry: its restricted values and the signed note it was
-- submitted as, bound by commitments in the entry's hashed bytes. NULL when
-- the entry has none.
ALTER TABLE log_entries ADD COLUMN sidecar BLOB;

-- The first answer to each idempotent request, by member and key: a retry
-- gets it again and appends nothing. Not a projection, and not in the log:
-- `truce log verify` cannot check it.
CREATE TABLE responses (
	member      TEXT NOT NULL,
	key         TEXT NOT NULL,
	fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
	body        BLOB NOT NULL,
	entry       INTEGER NOT NULL,
	created_at  TEXT NOT NULL,
	PRIMARY KEY (member, key)
);

-- Reports in full. JSON columns hold '' when the report has none.
ALTER TABLE reports ADD COLUMN time_precision  INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN geo_precision   INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN uncertainty_m   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN place           TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN target          TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN target_as_given TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN casualties      TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN fire            TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN sources         TEXT NOT NULL DEFAULT '';
-- Restricted: only the filing organisation and the guarantors read it.
ALTER TABLE reports ADD COLUMN source_identity TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_target ON reports (target, entry);

CREATE TABLE replies (
	entry        INTEGER PRIMARY KEY,
	report       TEXT NOT NULL REFERENCES reports (id),
	text         TEXT NOT NULL,
	member       TEXT NOT NULL,
	organisation TEXT NOT NULL,
	made_at      TEXT NOT NULL
);
CREATE INDEX replies_report ON replies (report, entry);

CREATE TABLE rfis (
	id           TEXT PRIMARY KEY,
	entry        INTEGER NOT NULL UNIQUE,
	report       TEXT NOT NULL REFERENCES reports (id),
	from_org     TEXT NOT NULL,
	sent_by      TEXT NOT NULL,
	to_org       TEXT NOT NULL,
	question     TEXT NOT NULL,
	deadline     TEXT NOT NULL,
	sent_at      TEXT NOT NULL,
	answer       TEXT NOT NULL DEFAULT '',
	answered_by  TEXT NOT NULL DEFAULT '',
	answered_at  TEXT NOT NULL DEFAULT '', -- '' while unanswered
	answer_entry INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rfis_to ON rfis (to_org, entry);
CREATE INDEX rfis_from ON rfis (from_org, entry);
CREATE INDEX rfis_report ON rfis (report, entry);

CREATE TABLE evidence (
	entry        INTEGER PRIMARY KEY,
	report       TEXT NOT NULL REFERENCES reports (id),
	sha256       TEXT NOT NULL,
	size         INTEGER NOT NULL,
	media_type   TEXT NOT NULL,
	member       TEXT NOT NULL,
	organisation TEXT NOT NULL,
	added_at     TEXT NOT NULL
);
CREATE INDEX evidence_report ON evidence (report, entry);
CREATE INDEX evidence_sha256 ON evidence (sha256, entry);
CREATE INDEX evidence_organisation ON evidence (organisation, sha256);

CREATE TABLE accessions (
	id        TEXT PRIMARY KEY,
	entry     INTEGER NOT NULL UNIQUE,
	kind      TEXT NOT NULL,
	actor     TEXT NOT NULL,
	pcode     TEXT NOT NULL,
	name      TEXT NOT NULL,
	guarantor TEXT NOT NULL,
	date      TEXT NOT NULL,
	evidence  TEXT NOT NULL, -- JSON list
	note      TEXT NOT NULL,
	member    TEXT NOT NULL
);
CREATE INDEX accessions_date ON accessions (date, entry);

-- A meeting as JSON (truce.Meeting), replaced as it moves on.
CREATE TABLE meetings (
	id    TEXT PRIMARY KEY,
	entry INTEGER NOT NULL UNIQUE,
	body  TEXT NOT NULL
);

CREATE TABLE meeting_decisions (
	key      TEXT PRIMARY KEY, -- meeting id, '/', the decision's position
	meeting  TEXT NOT NULL,
	report   TEXT NOT NULL,
	decision TEXT NOT NULL,
	entry    INTEGER NOT NULL
);
CREATE INDEX meeting_decisions_report ON meeting_decisions (report, entry);

CREATE TABLE member_keys (
	member TEXT PRIMARY KEY,
	key    TEXT NOT NULL,
	hash   TEXT NOT NULL,
	since  TEXT NOT NULL,
	entry  INTEGER NOT NULL
);
