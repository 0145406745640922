package interchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"truce"
)

// fuzzMaxRows bounds the rows a fuzzed file is read for.
const fuzzMaxRows = 100

// FuzzReader checks the UCDP, ACLED and HXL readers on any file: the
// header is accepted or refused with an error; every row becomes either a
// report that validates, filed under its key, or a *truce.Error that names
// the column at fault; rows come in order; and an ACLED row in ACLED's own
// columns, imported and written back, comes back field for field.
func FuzzReader(f *testing.F) {
	formats := []string{UCDP, ACLED, HXL}
	for i, file := range []string{"testdata/ucdp_syria.csv", "testdata/acled_syria.csv"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), data)
	}
	f.Add(uint8(2), []byte(hxlSample))
	a := astana(f)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		format := formats[int(which)%len(formats)]
		rd, err := NewReader(format, bytes.NewReader(data), a, &Options{Now: func() time.Time { return now }})
		if err != nil {
			if rd != nil {
				t.Fatalf("NewReader(%s, %q) failed (%v) but returned a reader", format, data, err)
			}
			return
		}
		// The rows as plain CSV, for ACLED's round trip.
		var rows [][]string
		if format == ACLED {
			cr := csv.NewReader(bytes.NewReader(data))
			cr.FieldsPerRecord = -1
			if all, err := cr.ReadAll(); err == nil && len(all) > 0 && slices.Equal(all[0], ACLEDColumns) {
				rows = all
			}
		}
		lastRow := 0
		for range fuzzMaxRows {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			} else if err != nil {
				if rec != nil {
					t.Fatalf("%s: Next failed (%v) but returned a record", format, err)
				}
				return
			}
			if rec.Row <= lastRow || rec.Line < 1 {
				t.Fatalf("%s %q: row %d (line %d) after row %d", format, data, rec.Row, rec.Line, lastRow)
			}
			lastRow = rec.Row
			if rec.Err != nil {
				var e *truce.Error
				if rec.Input != nil || !errors.As(rec.Err, &e) || e.Code != truce.EINVALID || e.Message == "" {
					t.Fatalf("%s %q row %d: %#v, want an EINVALID error and no report", format, data, rec.Row, rec.Err)
				}
				continue
			}
			if rec.Input == nil || rec.ID == "" || rec.Key != ImportKey(format, rec.ID) || rec.Input.Origin != rec.Origin {
				t.Fatalf("%s %q row %d: record %+v", format, data, rec.Row, rec)
			}
			if _, err := rec.Input.Validate(a, now); err != nil {
				t.Fatalf("%s %q row %d: the report does not validate: %v", format, data, rec.Row, err)
			}
			if rows == nil || rec.Row > len(rows) {
				continue
			}
			got, want := acledRow(stored(t, a, rec), damascus), rows[rec.Row-1]
			if !slices.Equal(got, want) {
				t.Fatalf("ACLED %q row %d writes back as\n%q\nwant\n%q", data, rec.Row, got, want)
			}
		}
	})
}
