-- INSERT OR REPLACE (and REPLACE) resolve a key conflict by deleting the
-- stored row, and SQLite fires no DELETE trigger for that unless
-- recursive_triggers is on, which a connection opened by anyone else need
-- not set. So the append-only triggers of 0001 did not stop
-- "REPLACE INTO log_entries ...": these refuse any insert over a stored key.
CREATE TRIGGER log_entries_append_only_replace BEFORE INSERT ON log_entries
WHEN EXISTS (SELECT 1 FROM log_entries WHERE idx = NEW.idx)
BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
CREATE TRIGGER log_hashes_append_only_replace BEFORE INSERT ON log_hashes
WHEN EXISTS (SELECT 1 FROM log_hashes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'log hashes are append-only'); END;
CREATE TRIGGER checkpoints_append_only_replace BEFORE INSERT ON checkpoints
WHEN EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.size)
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER settings_fixed_replace BEFORE INSERT ON settings
WHEN EXISTS (SELECT 1 FROM settings WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'settings are fixed once set'); END;
