// Package interchange reads and writes the event datasets truce exchanges
// reports in: UCDP GED CSV and ACLED CSV, CSV with an HXL hashtag row, and
// GeoJSON. A Reader turns each row of a file into a truce.ReportInput,
// one row at a time; a Writer turns reports, as a reader of them may see
// them, into rows or features. Filing and listing are package workflow's
// (Service.Import, Service.Export); this package knows formats only.
//
// # Rows
//
// A file is read as CSV (RFC 4180; quoted fields may hold line breaks; a
// UTF-8 byte order mark is skipped). Columns are found by name, in any
// order and case. Rows are numbered as a spreadsheet numbers them — the
// header is row 1 — and a Record also gives the line its row starts on.
// A row that cannot be a report (a date that is not one, a latitude out of
// range, an event type ACLED does not have, a row with the wrong number of
// fields) comes back with Err naming the column and the rule; reading goes
// on. CSV that cannot be parsed further (an unclosed quote) ends reading.
// Each row is validated as truce.ReportInput.Validate validates a
// submission.
//
// Every record has an ID — the event's id in its dataset — and the key
// "import:FORMAT:ID" under which workflow records its import, so that an
// event is filed once however often its file is imported. Its Fingerprint
// hashes the row's fields by column name: a row changed since its import
// is told apart from one imported as it is.
//
// Dates without a time of day are filed at noon in Options.Location
// (Asia/Damascus: UTC+2 in winter, UTC+3 in summer until 2022), so that
// the calendar date is the same in Syria, in UTC and in every zone between.
//
// Actor names are resolved against the agreement: as given, then without
// a trailing parenthesis ("Islamic State (Syria)"), each side of ACLED's
// "HTS: Hayat Tahrir al Sham", and the country of UCDP's "Government of
// Turkey" or ACLED's "Military Forces of Russia (2000-)". A name that
// still does not resolve — a coalition, "Civilians (Syria)", a group the
// agreement does not list — leaves the report's perpetrator or target
// empty (unknown); the name stays in the description (UCDP) or the origin
// fields (ACLED, HXL).
//
// # UCDP GED
//
// The columns of the GED codebook 19.1 and later. A row is an event
// between side_a and side_b.
//
//	id                       ID; the source "UCDP GED event ID"
//	date_start               occurred_at, at noon; date_end, if later, in the description
//	date_prec 1 / 2, 3 / 4, 5  time_precision 1 (day) / 2 (week) / 3 (month: the coarsest truce has)
//	latitude, longitude      the point
//	where_prec 1 / 2, 3 / 4–7  geo_precision 1 / 2 / 3; where_prec 2 also uncertainty_m 25000 (the codebook's 25 km)
//	where_coordinates        place
//	side_a, side_b           perpetrator, target (UCDP does not say who attacked;
//	                         for one-sided violence side A is the perpetrator)
//	low, best, high          casualties.killed
//	deaths_civilians         casualties.killed_civilians (low capped at low)
//	source_office            sources, one for each outlet named
//	type_of_violence, source_headline
//	                         event type: 3 (one-sided) is Violence against
//	                         civilians / Attack; otherwise the headline's words
//	                         decide: suicide → Suicide bomb; mine, IED, car bomb →
//	                         Remote explosive/landmine/IED; air strike, helicopter,
//	                         barrel (when side A is a government) → Air/drone strike;
//	                         shell, rocket, mortar → Shelling/artillery/missile
//	                         attack; none → Battles / Armed clash
//
// The description says all of it in words: sides, type of violence and
// conflict, place with adm_2 and adm_1, dates, deaths by side, the
// headline with its outlet and date, event_clarity 2, and how the
// perpetrator and the event type were chosen. A row whose low or high does
// not hold best between them (50 of the 10,979 events of 2016, 2018 and
// 2019) is filed with the range widened to hold best; the description and
// a note on the record say so. UCDPGovernorate maps adm_1 names to OCHA
// P-codes, to compare UCDP's governorate with truce's classification.
// truce does not write UCDP.
//
// # ACLED
//
// The columns of an ACLED export (ACLEDColumns, the codebook of 2023):
//
//	event_id_cnty            ID; the source "ACLED event ID"
//	event_date               occurred_at, at noon (2017-01-05, or an older
//	                         export's 05 January 2017)
//	time_precision, geo_precision   the same codes
//	event_type, sub_event_type      the same types
//	actor1, actor2           perpetrator, target, when the agreement knows them
//	                         (ACLED's actors imply no direction; actor1 is
//	                         taken as the one acting, as ACLED lists it first)
//	location                 place
//	latitude, longitude      the point
//	source                   sources, split at ";"
//	notes                    description
//	fatalities               casualties.killed, low = best = high
//
// The other columns — disorder_type, assoc_actor_1, inter1, assoc_actor_2,
// inter2, interaction, civilian_targeting, iso, region, country, admin1,
// admin2, admin3, source_scale, tags, timestamp, and any column not in
// ACLEDColumns — have no slot in a report. A Record keeps them verbatim in
// Origin.Fields, with every column whose slot would not give it back as
// written (an actor truce does not know, "35.8660" that truce writes
// 35.866, a source list spaced otherwise, empty notes). Writing a report
// with its origin then gives the row back, field for field.
//
// An ACLED export writes each column from the report's origin when it has
// one, else from the report: event_id_cnty is the ACLED id a source cites,
// or the report's id; event_date and year are occurred_at's date in
// Options.Location; actor1 and actor2 the names as filed, inter1 and
// inter2 the actors' ACLED types from the agreement and interaction their
// combination; disorder_type follows the event type (Political violence;
// Demonstrations; both for Mob violence and Excessive force against
// protesters; Strategic developments); civilian_targeting is set for
// Violence against civilians; iso, region and country are 760, Middle
// East, Syria for a report classified in Syria; admin1–3 are the OCHA
// names of the classification's P-codes; latitude and longitude those
// disclosed to the reader (empty when withheld); source the sources but
// the ACLED citation, joined with "; "; fatalities the best estimate of
// killed (0 when unknown); timestamp filed_at in Unix seconds;
// assoc_actor_*, source_scale and tags are empty.
//
// Nothing is lost: the import stores the record's origin with the report
// (truce.ReportInput.Origin), and an export in the same format writes
// those columns back verbatim, so an ACLED row imported and exported comes
// back field for field (TestACLEDRoundTrip in package workflow). A report
// filed directly, or imported from another dataset, has no ACLED origin
// and is written as above.
//
// # HXL
//
// A CSV file whose hashtag row ("#date +occurred", "#geo +lat", …; see
// hxlstandard.org) is among its first 25 rows; the rows above it are
// headers, the rows below data. Hashtags match with their attributes in
// any order; of the columns that match, the one with fewest attributes
// wins. truce reads:
//
//	#event+code, #event+id, #meta+id     ID (the row's hash when none); the source "SOURCE event ID"
//	#date+occurred, #date+start, #date   occurred_at: a date (at noon) or an RFC 3339 time
//	#date+precision, #geo+precision      time_precision, geo_precision
//	#event+type, #event+type+sub         event_type, sub_event_type (ACLED's; required)
//	#group+name+first, #group+name+second   perpetrator, target (also #actor…, +code)
//	#loc+name                            place
//	#geo+lat, #geo+lon, or #geo+coord    the point ("lat,lon" for +coord)
//	#geo+radius                          uncertainty_m
//	#affected+killed (+low/+min, +high/+max), +civilians   casualties.killed, killed_civilians
//	#affected+injured, +civilians        casualties.injured, injured_civilians
//	#description                         description
//	#meta+source                         sources, split at ";"
//
// Other tagged columns go to Origin.Fields by hashtag; untagged columns are
// ignored, as HXL asks. truce writes the columns of hxlColumnsOut — the
// tags HDX's ACLED files use where they have one (#event+code,
// #date+occurred, #event+type+sub, #group+name+first, #loc+name, #adm1+name,
// #affected+killed, #meta+source, #description) and the report's other
// fields beside (#adm1+code, #geo+disclosure, #status+consensus,
// #org+code+filer, #date+reported …), under a row of plain headers. An HXL
// export read back gives the same reports.
//
// # GeoJSON
//
// An RFC 7946 FeatureCollection, one Point feature a report, id the
// report's id, coordinates as disclosed to the reader (geometry null when
// withheld), and properties named as the API names a report's fields:
// occurred_at, event and sub-event types, perpetrator and target with their
// names, place, coordinates (the disclosure applied), precisions,
// casualties, description, sources, classification, governorate_name,
// consensus, organisation, filed_at.
package interchange
