-- Where an imported report comes from: the dataset, the event's id there
-- and the source's columns a report has no field for (truce.Origin), as
-- JSON, '' for a report filed directly.
ALTER TABLE reports ADD COLUMN origin TEXT NOT NULL DEFAULT '';
