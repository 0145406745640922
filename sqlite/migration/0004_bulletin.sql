-- Every classification a report has had, by the entry that made it: the
-- report.filed entry for its classification at intake, then each
-- report.classified entry. The reports table keeps only the latest; a
-- bulletin computed at an earlier checkpoint needs the one that stood
-- then (truce.ProjectionTx.ReportsAsOf). A projection: rebuilt with the
-- reports, by the triggers below, whatever code writes them.
CREATE TABLE report_classifications (
	report     TEXT NOT NULL,
	entry      INTEGER NOT NULL,
	adm1       TEXT NOT NULL,
	scope      TEXT NOT NULL,
	controller TEXT NOT NULL,
	PRIMARY KEY (report, entry)
) WITHOUT ROWID;

CREATE TRIGGER reports_classified_at_intake AFTER INSERT ON reports
WHEN NEW.classification != ''
BEGIN
	INSERT INTO report_classifications (report, entry, adm1, scope, controller)
	VALUES (NEW.id, NEW.entry, NEW.adm1, NEW.scope, NEW.controller);
END;

CREATE TRIGGER reports_classified_again AFTER UPDATE OF classified_entry ON reports
WHEN NEW.classified_entry != OLD.classified_entry
BEGIN
	INSERT INTO report_classifications (report, entry, adm1, scope, controller)
	VALUES (NEW.id, NEW.classified_entry, NEW.adm1, NEW.scope, NEW.controller);
END;

-- A database made before this migration has its history in the log only:
-- read it from there, as replaying the log would write it, so that the
-- table matches a rebuild. An entry is "truce-entry v1" 0x0A and canonical
-- JSON (log/doc.go); report.filed carries the classification at intake
-- under payload.classification, report.classified under
-- payload.classification with the report's id under payload.report.
INSERT INTO report_classifications (report, entry, adm1, scope, controller)
SELECT report, idx, adm1, scope, controller FROM (
	SELECT idx,
		CASE json_extract(j, '$.kind') WHEN 'report.filed' THEN json_extract(j, '$.payload.id')
			ELSE json_extract(j, '$.payload.report') END AS report,
		COALESCE(json_extract(j, '$.payload.classification.adm1'), '') AS adm1,
		json_extract(j, '$.payload.classification.scope') AS scope,
		COALESCE(json_extract(j, '$.payload.classification.controller'), '') AS controller
	FROM (SELECT idx, CAST(substr(data, 16) AS TEXT) AS j FROM log_entries
		WHERE CAST(substr(data, 1, 15) AS TEXT) = 'truce-entry v1' || char(10))
	WHERE json_extract(j, '$.kind') IN ('report.filed', 'report.classified')
)
WHERE scope IS NOT NULL AND report IN (SELECT id FROM reports);


-- Each report's answers, in log order, as "<entry> <organisation>
-- <verdict>;" each: a trigger appends an assessment's as it is inserted,
-- so that a bulletin reads a day's reports with their answers in one range
-- scan of the occurrence index, without a seek into assessments a report.
ALTER TABLE reports ADD COLUMN answers TEXT NOT NULL DEFAULT '';

CREATE TRIGGER assessments_answer AFTER INSERT ON assessments
BEGIN
	UPDATE reports SET answers = answers || NEW.entry || ' ' || NEW.organisation || ' ' || NEW.verdict || ';'
	WHERE id = NEW.report;
END;

UPDATE reports SET answers = COALESCE((
	SELECT group_concat(entry || ' ' || organisation || ' ' || verdict || ';', '' ORDER BY entry)
	FROM assessments WHERE report = reports.id), '');
