-- truce's schema on PostgreSQL: the tables of the SQLite store (sqlite/
-- migration 0001 to 0006), column for column, so that both stores dump the
-- same rows. Text is in the "C" collation, compared byte by byte as
-- SQLite does: times are fixed-width UTC text (timeFormat), which sorts
-- so; integers are BIGINT, reals DOUBLE PRECISION, blobs BYTEA.

-- The log. Entries, with the Merkle hashes each one adds to the tree (the
-- stored-hash indexes tlog.StoredHashIndex(0, idx) onward, 32 bytes each),
-- the checkpoints issued over them and the witnesses' cosignatures are the
-- source of truth: they are only ever inserted.
CREATE TABLE log_entries (
	idx     BIGINT PRIMARY KEY CHECK (idx >= 0),
	hashes  BYTEA NOT NULL CHECK (length(hashes) >= 32 AND length(hashes) % 32 = 0),
	data    BYTEA NOT NULL,
	-- The entry's restricted values and the signed note it was submitted
	-- as, bound by commitments in its hashed bytes; NULL when none.
	sidecar BYTEA
);

CREATE TABLE checkpoints (
	size      BIGINT PRIMARY KEY CHECK (size >= 0),
	root      BYTEA NOT NULL CHECK (length(root) = 32),
	note      TEXT COLLATE "C" NOT NULL,
	issued_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE cosignatures (
	size        BIGINT NOT NULL REFERENCES checkpoints (size),
	witness     TEXT COLLATE "C" NOT NULL CHECK (witness <> ''),
	line        TEXT COLLATE "C" NOT NULL CHECK (line <> ''),
	received_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (size, witness)
);

-- Settings of the log: its origin and public key.
CREATE TABLE settings (
	key   TEXT COLLATE "C" PRIMARY KEY,
	value TEXT COLLATE "C" NOT NULL
);

-- Hashes of members' bearer tokens. Secrets, even hashed, stay out of the
-- log; rebuilding leaves them alone.
CREATE TABLE credentials (
	token_hash BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
	member     TEXT COLLATE "C" NOT NULL,
	created_at TEXT COLLATE "C" NOT NULL
);

-- The first answer to each idempotent request, by member and key. Not a
-- projection.
CREATE TABLE responses (
	member      TEXT COLLATE "C" NOT NULL,
	key         TEXT COLLATE "C" NOT NULL,
	fingerprint BYTEA NOT NULL CHECK (length(fingerprint) = 32),
	body        BYTEA NOT NULL,
	entry       BIGINT NOT NULL,
	created_at  TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (member, key)
);

-- The database itself refuses to change the log, whoever connects: rows
-- are never updated or deleted (INSERT ... ON CONFLICT DO UPDATE is an
-- update), and the tables are never truncated.
CREATE FUNCTION truce_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% are append-only', TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END $$;

CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
	FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
	FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
	FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER cosignatures_append_only BEFORE UPDATE OR DELETE ON cosignatures
	FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER cosignatures_no_truncate BEFORE TRUNCATE ON cosignatures
	FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER settings_fixed BEFORE UPDATE OR DELETE ON settings
	FOR EACH ROW EXECUTE FUNCTION truce_append_only();
CREATE TRIGGER settings_no_truncate BEFORE TRUNCATE ON settings
	FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only();

-- Projections: derived from the log, recreated by `truce rebuild`.
CREATE TABLE agreement (
	id    TEXT COLLATE "C" PRIMARY KEY,
	body  TEXT COLLATE "C" NOT NULL, -- the agreement as JSON
	entry BIGINT NOT NULL
);

CREATE TABLE members (
	id           TEXT COLLATE "C" PRIMARY KEY,
	name         TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	role         TEXT COLLATE "C" NOT NULL,
	added_at     TEXT COLLATE "C" NOT NULL,
	entry        BIGINT NOT NULL UNIQUE
);

CREATE TABLE reports (
	id                   TEXT COLLATE "C" PRIMARY KEY,
	entry                BIGINT NOT NULL UNIQUE,
	filed_at             TEXT COLLATE "C" NOT NULL,
	filed_by             TEXT COLLATE "C" NOT NULL,
	organisation         TEXT COLLATE "C" NOT NULL,
	occurred_at          TEXT COLLATE "C" NOT NULL,
	lon                  DOUBLE PRECISION NOT NULL,
	lat                  DOUBLE PRECISION NOT NULL,
	event_type           TEXT COLLATE "C" NOT NULL,
	sub_event_type       TEXT COLLATE "C" NOT NULL,
	perpetrator          TEXT COLLATE "C" NOT NULL,
	perpetrator_as_given TEXT COLLATE "C" NOT NULL,
	description          TEXT COLLATE "C" NOT NULL,
	-- Consensus, as truce.ReportState.
	deadline             TEXT COLLATE "C" NOT NULL,
	state_open           TEXT COLLATE "C" NOT NULL,
	state_closed         TEXT COLLATE "C" NOT NULL,
	time_precision       BIGINT NOT NULL DEFAULT 1,
	geo_precision        BIGINT NOT NULL DEFAULT 1,
	uncertainty_m        BIGINT NOT NULL DEFAULT 0,
	place                TEXT COLLATE "C" NOT NULL DEFAULT '',
	target               TEXT COLLATE "C" NOT NULL DEFAULT '',
	target_as_given      TEXT COLLATE "C" NOT NULL DEFAULT '',
	-- JSON, '' when the report has none.
	casualties           TEXT COLLATE "C" NOT NULL DEFAULT '',
	fire                 TEXT COLLATE "C" NOT NULL DEFAULT '',
	sources              TEXT COLLATE "C" NOT NULL DEFAULT '',
	-- Restricted: only the filing organisation and the guarantors read it.
	source_identity      TEXT COLLATE "C" NOT NULL DEFAULT '',
	-- The classification: '' and 0 until it has one.
	adm1                 TEXT COLLATE "C" NOT NULL DEFAULT '',
	scope                TEXT COLLATE "C" NOT NULL DEFAULT '',
	controller           TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification       TEXT COLLATE "C" NOT NULL DEFAULT '', -- JSON
	classified_entry     BIGINT NOT NULL DEFAULT 0,
	-- Its answers, in log order, "<entry> <organisation> <verdict>;" each,
	-- kept by a trigger on assessments.
	answers              TEXT COLLATE "C" NOT NULL DEFAULT '',
	-- Where an imported report comes from (truce.Origin) as JSON.
	origin               TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX reports_occurred_at ON reports (occurred_at);
CREATE INDEX reports_perpetrator ON reports (perpetrator, entry);
CREATE INDEX reports_organisation ON reports (organisation, entry);
CREATE INDEX reports_state ON reports (state_open, state_closed, entry);
CREATE INDEX reports_target ON reports (target, entry);
CREATE INDEX reports_adm1 ON reports (adm1, entry);
CREATE INDEX reports_scope ON reports (scope, entry);
CREATE INDEX reports_controller ON reports (controller, entry);
CREATE INDEX reports_place ON reports (lon, lat);

CREATE TABLE assessments (
	entry        BIGINT PRIMARY KEY,
	report       TEXT COLLATE "C" NOT NULL REFERENCES reports (id),
	member       TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	verdict      TEXT COLLATE "C" NOT NULL,
	reason       TEXT COLLATE "C" NOT NULL,
	made_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX assessments_report ON assessments (report, entry);

CREATE TABLE replies (
	entry        BIGINT PRIMARY KEY,
	report       TEXT COLLATE "C" NOT NULL REFERENCES reports (id),
	text         TEXT COLLATE "C" NOT NULL,
	member       TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	made_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX replies_report ON replies (report, entry);

CREATE TABLE rfis (
	id           TEXT COLLATE "C" PRIMARY KEY,
	entry        BIGINT NOT NULL UNIQUE,
	report       TEXT COLLATE "C" NOT NULL REFERENCES reports (id),
	from_org     TEXT COLLATE "C" NOT NULL,
	sent_by      TEXT COLLATE "C" NOT NULL,
	to_org       TEXT COLLATE "C" NOT NULL,
	question     TEXT COLLATE "C" NOT NULL,
	deadline     TEXT COLLATE "C" NOT NULL,
	sent_at      TEXT COLLATE "C" NOT NULL,
	answer       TEXT COLLATE "C" NOT NULL DEFAULT '',
	answered_by  TEXT COLLATE "C" NOT NULL DEFAULT '',
	answered_at  TEXT COLLATE "C" NOT NULL DEFAULT '', -- '' while unanswered
	answer_entry BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rfis_to ON rfis (to_org, entry);
CREATE INDEX rfis_from ON rfis (from_org, entry);
CREATE INDEX rfis_report ON rfis (report, entry);

CREATE TABLE evidence (
	entry        BIGINT PRIMARY KEY,
	report       TEXT COLLATE "C" NOT NULL REFERENCES reports (id),
	sha256       TEXT COLLATE "C" NOT NULL,
	size         BIGINT NOT NULL,
	media_type   TEXT COLLATE "C" NOT NULL,
	member       TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	added_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX evidence_report ON evidence (report, entry);
CREATE INDEX evidence_sha256 ON evidence (sha256, entry);
CREATE INDEX evidence_organisation ON evidence (organisation, sha256);

CREATE TABLE accessions (
	id        TEXT COLLATE "C" PRIMARY KEY,
	entry     BIGINT NOT NULL UNIQUE,
	kind      TEXT COLLATE "C" NOT NULL,
	actor     TEXT COLLATE "C" NOT NULL,
	pcode     TEXT COLLATE "C" NOT NULL,
	name      TEXT COLLATE "C" NOT NULL,
	guarantor TEXT COLLATE "C" NOT NULL,
	date      TEXT COLLATE "C" NOT NULL,
	evidence  TEXT COLLATE "C" NOT NULL, -- JSON list
	note      TEXT COLLATE "C" NOT NULL,
	member    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX accessions_date ON accessions (date, entry);

CREATE TABLE meetings (
	id    TEXT COLLATE "C" PRIMARY KEY,
	entry BIGINT NOT NULL UNIQUE,
	body  TEXT COLLATE "C" NOT NULL -- truce.Meeting as JSON
);

CREATE TABLE meeting_decisions (
	key      TEXT COLLATE "C" PRIMARY KEY, -- meeting id, '/', the decision's position
	meeting  TEXT COLLATE "C" NOT NULL,
	report   TEXT COLLATE "C" NOT NULL,
	decision TEXT COLLATE "C" NOT NULL,
	entry    BIGINT NOT NULL
);
CREATE INDEX meeting_decisions_report ON meeting_decisions (report, entry);

CREATE TABLE member_keys (
	member TEXT COLLATE "C" PRIMARY KEY,
	key    TEXT COLLATE "C" NOT NULL,
	hash   TEXT COLLATE "C" NOT NULL,
	since  TEXT COLLATE "C" NOT NULL,
	entry  BIGINT NOT NULL
);

CREATE TABLE zones (
	id         TEXT COLLATE "C" PRIMARY KEY,
	entry      BIGINT NOT NULL UNIQUE,
	kind       TEXT COLLATE "C" NOT NULL,
	state      TEXT COLLATE "C" NOT NULL,
	valid_from TEXT COLLATE "C" NOT NULL,
	valid_to   TEXT COLLATE "C" NOT NULL, -- '' for no end
	body       TEXT COLLATE "C" NOT NULL  -- truce.Zone as JSON, geometry included
);
CREATE INDEX zones_state ON zones (state, valid_from);

CREATE TABLE positions (
	id           TEXT COLLATE "C" PRIMARY KEY,
	entry        BIGINT NOT NULL UNIQUE,
	actor        TEXT COLLATE "C" NOT NULL,
	lon          DOUBLE PRECISION NOT NULL,
	lat          DOUBLE PRECISION NOT NULL,
	radius_m     BIGINT NOT NULL,
	observed_at  TEXT COLLATE "C" NOT NULL,
	valid_to     TEXT COLLATE "C" NOT NULL, -- '' for no end
	description  TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	claimed_by   TEXT COLLATE "C" NOT NULL,
	claimed_at   TEXT COLLATE "C" NOT NULL,
	deadline     TEXT COLLATE "C" NOT NULL,
	state_open   TEXT COLLATE "C" NOT NULL,
	state_closed TEXT COLLATE "C" NOT NULL
);
CREATE INDEX positions_observed ON positions (observed_at);

CREATE TABLE position_assessments (
	entry        BIGINT PRIMARY KEY,
	position     TEXT COLLATE "C" NOT NULL REFERENCES positions (id),
	member       TEXT COLLATE "C" NOT NULL,
	organisation TEXT COLLATE "C" NOT NULL,
	verdict      TEXT COLLATE "C" NOT NULL,
	reason       TEXT COLLATE "C" NOT NULL,
	made_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX position_assessments_position ON position_assessments (position, entry);

-- Every classification a report has had, by the entry that made it (see
-- sqlite migration 0004): the reports table keeps only the latest, and a
-- bulletin at an earlier checkpoint needs the one that stood then. Kept by
-- the triggers below, whatever code writes reports.
CREATE TABLE report_classifications (
	report     TEXT COLLATE "C" NOT NULL,
	entry      BIGINT NOT NULL,
	adm1       TEXT COLLATE "C" NOT NULL,
	scope      TEXT COLLATE "C" NOT NULL,
	controller TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (report, entry)
);

CREATE FUNCTION truce_report_classified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO report_classifications (report, entry, adm1, scope, controller)
	VALUES (NEW.id, CASE WHEN TG_OP = 'INSERT' THEN NEW.entry ELSE NEW.classified_entry END,
		NEW.adm1, NEW.scope, NEW.controller);
	RETURN NULL;
END $$;

CREATE TRIGGER reports_classified_at_intake AFTER INSERT ON reports
	FOR EACH ROW WHEN (NEW.classification <> '') EXECUTE FUNCTION truce_report_classified();
CREATE TRIGGER reports_classified_again AFTER UPDATE OF classified_entry ON reports
	FOR EACH ROW WHEN (NEW.classified_entry <> OLD.classified_entry) EXECUTE FUNCTION truce_report_classified();

CREATE FUNCTION truce_assessment_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE reports SET answers = answers || NEW.entry || ' ' || NEW.organisation || ' ' || NEW.verdict || ';'
	WHERE id = NEW.report;
	RETURN NULL;
END $$;

CREATE TRIGGER assessments_answer AFTER INSERT ON assessments
	FOR EACH ROW EXECUTE FUNCTION truce_assessment_answer();
