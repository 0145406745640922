-- The map: zones with their approvals, claimed positions with their
-- assessments, and each report's classification.
CREATE TABLE zones (
	id         TEXT PRIMARY KEY,
	entry      INTEGER NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	state      TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to   TEXT NOT NULL, -- '' for no end
	body       TEXT NOT NULL  -- the zone as JSON (truce.Zone), geometry included
);
CREATE INDEX zones_state ON zones (state, valid_from);

CREATE TABLE positions (
	id           TEXT PRIMARY KEY,
	entry        INTEGER NOT NULL UNIQUE,
	actor        TEXT NOT NULL,
	lon          REAL NOT NULL,
	lat          REAL NOT NULL,
	radius_m     INTEGER NOT NULL,
	observed_at  TEXT NOT NULL,
	valid_to     TEXT NOT NULL, -- '' for no end
	description  TEXT NOT NULL,
	organisation TEXT NOT NULL,
	claimed_by   TEXT NOT NULL,
	claimed_at   TEXT NOT NULL,
	deadline     TEXT NOT NULL,
	state_open   TEXT NOT NULL,
	state_closed TEXT NOT NULL
);
CREATE INDEX positions_observed ON positions (observed_at);

CREATE TABLE position_assessments (
	entry        INTEGER PRIMARY KEY,
	position     TEXT NOT NULL REFERENCES positions (id),
	member       TEXT NOT NULL,
	organisation TEXT NOT NULL,
	verdict      TEXT NOT NULL,
	reason       TEXT NOT NULL,
	made_at      TEXT NOT NULL
);
CREATE INDEX position_assessments_position ON position_assessments (position, entry);

-- A report's classification: '' and 0 until it has one.
ALTER TABLE reports ADD COLUMN adm1 TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN controller TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN classification TEXT NOT NULL DEFAULT ''; -- JSON
ALTER TABLE reports ADD COLUMN classified_entry INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_adm1 ON reports (adm1, entry);
CREATE INDEX reports_scope ON reports (scope, entry);
CREATE INDEX reports_controller ON reports (controller, entry);
CREATE INDEX reports_place ON reports (lon, lat);
