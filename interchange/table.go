package interchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// table reads a CSV file row by row, counting rows as a spreadsheet does
// and keeping the line each row starts on.
type table struct {
	cr     *csv.Reader
	header []string       // column names as written
	col    map[string]int // folded column name → index of its first column
	order  []int          // column indexes by name, for fingerprints
	row    int            // number of the row last read; the header is 1
	line   int            // line on which the row last read starts
	bom    int64
}

// newTable reads header rows from r: the last of them names the columns.
func newTable(r io.Reader, headerRows int) (*table, error) {
	t, err := openTable(r)
	if err != nil {
		return nil, err
	}
	for range headerRows {
		rec, err := t.next()
		if err == io.EOF {
			return nil, errors.New("the file is empty: no header row")
		} else if err != nil {
			return nil, err
		}
		t.setHeader(rec)
	}
	return t, nil
}

// openTable returns a table over r with no header read yet. A UTF-8 byte
// order mark, which spreadsheets write, is skipped.
func openTable(r io.Reader) (*table, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	t := &table{}
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		t.bom = 3
	}
	t.cr = csv.NewReader(br)
	t.cr.FieldsPerRecord = -1 // a short or long row is the row's error, not the file's
	return t, nil
}

func (t *table) setHeader(rec []string) {
	t.header = rec
	t.order = make([]int, len(rec))
	for i := range t.order {
		t.order[i] = i
	}
	slices.SortStableFunc(t.order, func(a, b int) int { return strings.Compare(rec[a], rec[b]) })
	t.col = make(map[string]int, len(rec))
	for i, h := range rec {
		k := foldColumn(h)
		if _, ok := t.col[k]; !ok {
			t.col[k] = i
		}
	}
}

// foldColumn folds a column name for matching: case and surrounding
// spaces do not matter (older ACLED files write EVENT_ID_CNTY).
func foldColumn(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// next reads the next row; io.EOF after the last.
func (t *table) next() ([]string, error) {
	rec, err := t.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("line %d: the CSV cannot be read further: %v", pe.StartLine, pe.Err)
		}
		return nil, err
	}
	t.row++
	t.line, _ = t.cr.FieldPos(0)
	return rec, nil
}

// index returns the index of a column, or -1.
func (t *table) index(name string) int {
	if i, ok := t.col[foldColumn(name)]; ok {
		return i
	}
	return -1
}

// need returns the indexes of the columns named, or an error naming those
// missing.
func (t *table) need(format string, names ...string) ([]int, error) {
	idx := make([]int, len(names))
	var missing []string
	for i, n := range names {
		if idx[i] = t.index(n); idx[i] < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the header has no column %s: is this a %s file?", strings.Join(missing, ", "), format)
	}
	return idx, nil
}

func (t *table) offset() int64 { return t.bom + t.cr.InputOffset() }

// field returns rec[i], or "" when the column is absent (i < 0).
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}
