-- Witnesses' cosignatures of checkpoints (c2sp.org/tlog-cosignature): one
-- note signature line per witness and checkpoint, verified with the
-- witness's key when received. Like the checkpoints they sign, they are
-- only ever inserted, and rebuilding leaves them alone.
CREATE TABLE cosignatures (
	size        INTEGER NOT NULL REFERENCES checkpoints (size),
	witness     TEXT NOT NULL CHECK (witness <> ''),
	line        TEXT NOT NULL CHECK (line <> ''),
	received_at TEXT NOT NULL,
	PRIMARY KEY (size, witness)
);

CREATE TRIGGER cosignatures_append_only_update BEFORE UPDATE ON cosignatures
BEGIN SELECT RAISE(ABORT, 'cosignatures are append-only'); END;
CREATE TRIGGER cosignatures_append_only_delete BEFORE DELETE ON cosignatures
BEGIN SELECT RAISE(ABORT, 'cosignatures are append-only'); END;
CREATE TRIGGER cosignatures_append_only_replace BEFORE INSERT ON cosignatures
WHEN EXISTS (SELECT 1 FROM cosignatures WHERE size = NEW.size AND witness = NEW.witness)
BEGIN SELECT RAISE(ABORT, 'cosignatures are append-only'); END;
