package bulletin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"truce"
	"truce/i18n"
	tlog "truce/log"
)

// Format is a bulletin's rendering.
type Format string

const (
	JSON     Format = "json"
	Markdown Format = "md"
	HTML     Format = "html"
	CSV      Format = "csv"
)

// Formats lists every format, JSON first.
var Formats = []Format{JSON, Markdown, HTML, CSV}

// ParseFormat returns the format named s; JSON when s is empty.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return JSON, nil
	}
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", truce.Invalidf("format", "%q is not one of json, md, html, csv", clip(s))
}

// ContentType is the media type to serve the format as.
func (f Format) ContentType() string {
	switch f {
	case Markdown:
		return "text/markdown; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "application/json"
}

// Render writes the bulletin in format f. The same bulletin always gives
// the same bytes.
func Render(w io.Writer, b *Bulletin, f Format) error {
	data, err := Bytes(b, f)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Bytes returns the bulletin rendered in format f.
func Bytes(b *Bulletin, f Format) ([]byte, error) {
	lang, err := ParseLang(b.Lang)
	if err != nil {
		return nil, err
	}
	switch f {
	case JSON:
		return renderJSON(b)
	case Markdown:
		return renderMarkdown(b, lang), nil
	case HTML:
		return renderHTML(b, lang)
	case CSV:
		return renderCSV(b)
	}
	return nil, fmt.Errorf("bulletin: unknown format %q", f)
}

// renderJSON writes the canonical JSON, signature included, indented by
// two spaces, and a newline.
func renderJSON(b *Bulletin) ([]byte, error) {
	c, err := tlog.Canonical(b)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, c, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// isolate keeps a run of Latin script and digits (a time, a signed
// number) in its own direction inside right-to-left text, with Unicode's
// first-strong isolate, so that "+3" does not show as "3+".
func isolate(lang i18n.Lang, s string) string {
	if !lang.RTL() {
		return s
	}
	return "\u2068" + s + "\u2069"
}

// asOfLine says what the bulletin was computed at.
func asOfLine(b *Bulletin, lang i18n.Lang) string {
	return fmt.Sprintf(text(lang, "as_of"), b.TreeSize, isolate(lang, b.AsOf))
}

// accessionLines are the totals of accessions, with the day's change.
func accessionLines(b *Bulletin, lang i18n.Lang) []string {
	a := b.Accessions
	line := func(key string, n, change int) string {
		return fmt.Sprintf("%s: %s", text(lang, key), isolate(lang, fmt.Sprintf("%d (%s)", n, signed(change))))
	}
	return []string{line("groups", a.Groups, a.GroupsChange), line("settlements_total", a.Settlements, a.SettlementsChange)}
}

// signed writes a count of change with its sign: +3, -2, 0.
func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// zero reports whether nothing changed.
func (c *Change) zero() bool {
	for _, n := range c.ReportedBy {
		if n != 0 {
			return false
		}
	}
	return c.Reports == 0 && c.Confirmed == 0 && c.Contested == 0 && c.Unilateral == 0 && c.Pending == 0 &&
		c.Rejected == 0 && c.Designated == 0 && c.OutsideScope == 0 && c.Settlements == 0
}

// stateColumns are the consensus states' keys, in the columns' order.
var stateColumns = []string{"confirmed", "contested", "unilateral", "pending", "rejected"}

func (c *Counts) state(key string) int {
	switch key {
	case "confirmed":
		return c.Confirmed
	case "contested":
		return c.Contested
	case "unilateral":
		return c.Unilateral
	case "pending":
		return c.Pending
	case "rejected":
		return c.Rejected
	}
	return 0
}

// table is the bulletin's main table and its change table, as cells, for
// the formats that print tables.
type table struct {
	head []string
	rows [][]string
	num  []bool // which columns are numbers
}

// numbers marks every column but the first and those in text as numeric.
func (t *table) numbers(text ...int) {
	t.num = make([]bool, len(t.head))
	for i := 1; i < len(t.head); i++ {
		t.num[i] = true
	}
	for _, i := range text {
		t.num[i] = false
	}
}

// mainTable is the violations by governorate: reports, each guarantor's
// registrations, states, not covered, settlements.
func mainTable(b *Bulletin, lang i18n.Lang, change bool) table {
	t := table{head: []string{text(lang, "governorate"), text(lang, "reports")}}
	for _, g := range b.Guarantors {
		t.head = append(t.head, fmt.Sprintf(text(lang, "registered_by"), g.ID))
	}
	for _, k := range stateColumns {
		t.head = append(t.head, text(lang, k))
	}
	t.head = append(t.head, text(lang, "operations"), text(lang, "outside_scope"), text(lang, "settlements"))
	t.numbers()
	for _, r := range append(append([]Row(nil), b.Governorates...), b.Total) {
		if change && r.PCode != "" && r.Change.zero() {
			continue // the change table lists what changed, and the total
		}
		c := r.Counts
		num := strconv.Itoa
		extra := []int{r.Designated.Reports, r.OutsideScope, r.Settlements}
		if change {
			c, num = r.Change.Counts, func(n int) string { return isolate(lang, signed(n)) }
			extra = []int{r.Change.Designated, r.Change.OutsideScope, r.Change.Settlements}
		}
		cells := []string{r.Name, num(c.Reports)}
		for _, g := range b.Guarantors {
			cells = append(cells, num(c.ReportedBy[string(g.ID)]))
		}
		for _, k := range stateColumns {
			cells = append(cells, num(c.state(k)))
		}
		for _, n := range extra {
			cells = append(cells, num(n))
		}
		t.rows = append(t.rows, cells)
	}
	return t
}

// designatedTable lists the governorates with operations against
// designated groups on the day.
func designatedTable(b *Bulletin, lang i18n.Lang) table {
	t := table{head: []string{text(lang, "governorate"), text(lang, "operations")}}
	for _, g := range b.Guarantors {
		t.head = append(t.head, fmt.Sprintf(text(lang, "registered_by"), g.ID))
	}
	t.head = append(t.head, text(lang, "confirmed"), text(lang, "against"), text(lang, "change"))
	t.numbers(len(t.head) - 2)
	for _, r := range b.Governorates {
		if r.Designated.Reports == 0 && r.Change.Designated == 0 {
			continue
		}
		cells := []string{r.Name, strconv.Itoa(r.Designated.Reports)}
		for _, g := range b.Guarantors {
			cells = append(cells, strconv.Itoa(r.Designated.ReportedBy[string(g.ID)]))
		}
		cells = append(cells, strconv.Itoa(r.Designated.Confirmed), b.against(r.Designated.Against, lang), isolate(lang, signed(r.Change.Designated)))
		t.rows = append(t.rows, cells)
	}
	return t
}

// against names the designated groups counted, "ISIL 2, JFS 1", in the
// bulletin's language, unknown last.
func (b *Bulletin) against(m map[string]int, lang i18n.Lang) string {
	names := map[string]string{"": text(lang, "unknown")}
	for _, g := range b.Groups {
		names[string(g.ID)] = g.Name
	}
	var out []byte
	for _, k := range sortedKeysUnknownLast(m) {
		if len(out) > 0 {
			out = append(out, ", "...)
		}
		name := names[k]
		if name == "" {
			name = k
		}
		out = fmt.Appendf(out, "%s %d", name, m[k])
	}
	return string(out)
}

func sortedKeysUnknownLast(m map[string]int) []string {
	keys := sortedKeys(m)
	if len(keys) > 0 && keys[0] == "" {
		keys = append(keys[1:], "")
	}
	return keys
}

// violationTable lists the confirmed violations.
func violationTable(b *Bulletin, lang i18n.Lang) table {
	t := table{head: []string{text(lang, "report"), text(lang, "time")}}
	showGov := b.Disclosure != truce.DiscloseHidden
	showPoint := b.Disclosure == truce.DiscloseExact || b.Disclosure == truce.DiscloseCoarse
	if showGov {
		t.head = append(t.head, text(lang, "governorate"))
	}
	if showPoint {
		t.head = append(t.head, text(lang, "coordinates"))
	}
	t.head = append(t.head, text(lang, "perpetrator"), text(lang, "event"))
	t.num = make([]bool, len(t.head))
	for _, v := range b.Confirmed {
		cells := []string{string(v.ID), clock(v.OccurredAt)}
		if showGov {
			cells = append(cells, v.GovernorateName)
		}
		if showPoint {
			point := ""
			if v.Lon != nil && v.Lat != nil {
				point = string(tlog.FormatNumber(nil, *v.Lat)) + ", " + string(tlog.FormatNumber(nil, *v.Lon))
			}
			cells = append(cells, point)
		}
		who := v.PerpetratorName
		if who == "" {
			who = text(lang, "unknown")
		}
		cells = append(cells, who, eventType(v.EventType, lang)+" — "+v.SubEventType)
		t.rows = append(t.rows, cells)
	}
	return t
}

// clock is the time of day of an RFC 3339 time, HH:MM:SS.
func clock(rfc3339 string) string {
	if len(rfc3339) >= 19 {
		return rfc3339[11:19]
	}
	return rfc3339
}
