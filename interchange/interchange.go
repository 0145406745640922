package interchange

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Damascus, the same on every machine

	"truce"
)

// Formats truce reads and writes.
const (
	UCDP    = "ucdp"    // UCDP GED CSV, read
	ACLED   = "acled"   // ACLED CSV, read and written
	HXL     = "hxl"     // CSV with an HXL hashtag row, read and written
	GeoJSON = "geojson" // an RFC 7946 FeatureCollection, written
)

// ImportFormats and ExportFormats list the formats truce reads and writes.
var (
	ImportFormats = []string{ACLED, HXL, UCDP}
	ExportFormats = []string{ACLED, HXL, GeoJSON}
)

// ContentType returns the media type of a format, for an HTTP response or
// a file's type; "" for an unknown format.
func ContentType(format string) string {
	switch format {
	case ACLED, HXL, UCDP:
		return "text/csv; charset=utf-8"
	case GeoJSON:
		return "application/geo+json"
	}
	return ""
}

// Extension returns the usual file name extension of a format, with its
// dot.
func Extension(format string) string {
	if format == GeoJSON {
		return ".geojson"
	}
	return ".csv"
}

// Options tune how rows become reports.
type Options struct {
	// Location is the time zone of a date without a time of day: an event
	// dated 2017-01-05 is filed as occurring at noon that day there, and
	// exported dates are that zone's calendar dates. The default is
	// Asia/Damascus (UTC+2, and UTC+3 in summer until 2022).
	Location *time.Location
	// Source names the dataset of an HXL file in the citation each report
	// gets among its sources ("SOURCE event ID"); the default is "HXL".
	// ACLED and UCDP rows cite "ACLED event ID" and "UCDP GED event ID".
	Source string
	// Now is the clock against which rows are validated (an event may not
	// be in the future); the default is time.Now.
	Now func() time.Time
}

var damascus = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Damascus")
	if err != nil {
		panic(err) // time/tzdata is linked in: this cannot fail
	}
	return loc
}()

func (o *Options) location() *time.Location {
	if o == nil || o.Location == nil {
		return damascus
	}
	return o.Location
}

func (o *Options) now() time.Time {
	if o == nil || o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// noon returns noon of the calendar day d in loc, as RFC 3339: how a
// dataset's date becomes a report's occurred_at.
func noon(d time.Time, loc *time.Location) string {
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc).Format(time.RFC3339)
}

// Record is one row of an imported file, made into a report.
type Record struct {
	// Row is the row's number as a spreadsheet shows it: the header is row
	// 1 (and an HXL hashtag row is row 2). Line is the line of the file on
	// which the row starts; it is larger when quoted fields hold line
	// breaks.
	Row, Line int
	// ID is the event's id in its dataset (UCDP id, ACLED event_id_cnty,
	// HXL #event+code); for an HXL row without one, "sha256:" and the
	// first 16 hex digits of Fingerprint.
	ID string
	// Key is the idempotency key its import is recorded under:
	// "import:FORMAT:ID". A member imports a key once.
	Key string
	// Fingerprint is the SHA-256 of the row's fields by column name, so
	// that a row changed since it was imported is told apart from one
	// imported as it is. It does not depend on the column order.
	Fingerprint [32]byte
	// Input is the report the row gives; nil when Err is set.
	Input *truce.ReportInput
	// Origin names the dataset and event, and keeps verbatim the fields
	// that Input has no slot for. Input.Origin is the same value: the
	// report keeps it, and an export in the same format writes it back.
	Origin *Origin
	// Notes say what the import changed to make the row a valid report
	// (a UCDP range widened to hold its best estimate); the report's
	// description says it too.
	Notes []string
	// Err says why the row cannot be imported. It is a *truce.Error whose
	// message names the column at fault.
	Err error
}

// Origin is where an imported report came from: its dataset, its id there,
// and the dataset's fields that a report has no slot for, verbatim by
// column name, so that exporting the report in the same format gives the
// row back. It is the report's own truce.Origin.
type Origin = truce.Origin

// ImportKey returns the idempotency key of an event of a dataset.
func ImportKey(format, id string) string { return "import:" + format + ":" + id }

// fingerprint hashes the fields of a row by column name: names in order,
// each name and value written as its length in decimal, a colon and its
// bytes, so that no two rows collide by shifting text between fields.
func fingerprint(t *table, rec []string) [32]byte {
	h := sha256.New()
	var b []byte
	for _, i := range t.order {
		v := ""
		if i < len(rec) {
			v = rec[i]
		}
		b = strconv.AppendInt(b[:0], int64(len(t.header[i])), 10)
		b = append(append(b, ':'), t.header[i]...)
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(append(b, ':'), v...)
		h.Write(b)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func contentID(fp [32]byte) string { return "sha256:" + hex.EncodeToString(fp[:8]) }

// Reader reads the records of a file, one row at a time: a file of any
// size is read in constant memory.
type Reader struct {
	format string
	t      *table
	a      *truce.Agreement
	opt    Options
	parse  func(r *Reader, rec []string) (*Record, error)
	hxl    *hxlColumns // the columns an HXL file's hashtags name
	acled  *acledColumns
	ucdp   *ucdpColumns
}

// NewReader reads the header of a file in format (UCDP, ACLED or HXL) from
// r and returns a reader of its rows. Actor names are resolved against the
// agreement a; rows are validated as truce.ReportInput.Validate does. A
// header without the format's required columns is an error.
func NewReader(format string, r io.Reader, a *truce.Agreement, opt *Options) (*Reader, error) {
	rd := &Reader{format: format, a: a}
	if opt != nil {
		rd.opt = *opt
	}
	var err error
	switch format {
	case UCDP:
		if rd.t, err = newTable(r, 1); err == nil {
			rd.ucdp, err = ucdpHeader(rd.t)
		}
		rd.parse = (*Reader).ucdpRecord
	case ACLED:
		if rd.t, err = newTable(r, 1); err == nil {
			rd.acled, err = acledHeader(rd.t)
		}
		rd.parse = (*Reader).acledRecord
	case HXL:
		rd.t, rd.hxl, err = hxlHeader(r)
		rd.parse = (*Reader).hxlRecord
	default:
		return nil, fmt.Errorf("%q is not a format truce imports; use one of %s", format, strings.Join(ImportFormats, ", "))
	}
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// Format returns the reader's format.
func (r *Reader) Format() string { return r.format }

// Next returns the next row's record, and io.EOF after the last row. A
// row that cannot be imported comes back as a record with Err set, and
// reading goes on; an error of the file itself (CSV that cannot be parsed,
// a failing read) ends reading.
func (r *Reader) Next() (*Record, error) {
	rec, err := r.t.next()
	if err != nil {
		return nil, err
	}
	row := &Record{Row: r.t.row, Line: r.t.line, Fingerprint: fingerprint(r.t, rec)}
	if len(rec) != len(r.t.header) {
		row.Err = truce.Errorf(truce.EINVALID, "the row has %d fields, the header %d", len(rec), len(r.t.header))
		return row, nil
	}
	out, err := r.parse(r, rec)
	if out != nil {
		out.Row, out.Line, out.Fingerprint = row.Row, row.Line, row.Fingerprint
		if out.ID == "" {
			out.ID = contentID(out.Fingerprint)
		}
		out.Key = ImportKey(r.format, out.ID)
		row = out
	}
	if err != nil {
		row.Input, row.Err = nil, err
		return row, nil
	}
	if _, err := row.Input.Validate(r.a, r.opt.now()); err != nil {
		row.Input, row.Err = nil, r.explain(err)
	}
	return row, nil
}

// Offset returns how many bytes of the file have been read, for progress.
func (r *Reader) Offset() int64 { return r.t.offset() }

// explain rewrites a validation error about a report field as one about
// the column it came from.
func (r *Reader) explain(err error) error {
	field := truce.ErrorField(err)
	if field == "" {
		return err
	}
	var col string
	switch r.format {
	case UCDP:
		col = ucdpFieldColumns[field]
	case ACLED:
		col = acledFieldColumns[field]
	case HXL:
		col = r.hxl.columnOf(field)
	}
	if col == "" {
		return err
	}
	msg := strings.TrimPrefix(truce.ErrorMessage(err), field+": ")
	return &truce.Error{Code: truce.ErrorCode(err), Field: col, Message: col + ": " + msg}
}

// rowError is an EINVALID error about a column of the row.
func rowError(column, format string, args ...any) error {
	return truce.Invalidf(column, format, args...)
}
