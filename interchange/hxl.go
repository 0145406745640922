package interchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"truce"
)

// An HXL file is a CSV file with a row of hashtags ("#geo +lat") under its
// header rows. A hashtag names what a column holds; attributes (+lat)
// refine it, in any order. See hxlstandard.org.

// hxlTag is a column's hashtag: the tag and its attributes, lower-cased.
type hxlTag struct {
	tag   string
	attrs []string // sorted
}

// parseHXLTag reads a hashtag spec such as "#affected +killed +civilians";
// ok is false for a cell that is not one.
func parseHXLTag(s string) (hxlTag, bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if !strings.HasPrefix(s, "#") || len(s) < 2 {
		return hxlTag{}, false
	}
	parts := strings.Split(s[1:], "+")
	t := hxlTag{tag: parts[0]}
	if !hxlName(t.tag) {
		return hxlTag{}, false
	}
	for _, a := range parts[1:] {
		if !hxlName(a) {
			return hxlTag{}, false
		}
		t.attrs = append(t.attrs, a)
	}
	slices.Sort(t.attrs)
	return t, true
}

func hxlName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (t hxlTag) String() string {
	s := "#" + t.tag
	for _, a := range t.attrs {
		s += "+" + a
	}
	return s
}

// hxlPattern selects columns: "#affected+killed-civilians" matches every
// #affected column with +killed and without +civilians.
type hxlPattern struct {
	tag           string
	with, without []string
}

func parsePattern(s string) hxlPattern {
	var p hxlPattern
	s = strings.TrimPrefix(s, "#")
	i := strings.IndexAny(s, "+-")
	if i < 0 {
		return hxlPattern{tag: s}
	}
	p.tag = s[:i]
	for s = s[i:]; s != ""; {
		sign := s[0]
		s = s[1:]
		j := strings.IndexAny(s, "+-")
		if j < 0 {
			j = len(s)
		}
		if sign == '+' {
			p.with = append(p.with, s[:j])
		} else {
			p.without = append(p.without, s[:j])
		}
		s = s[j:]
	}
	return p
}

func (p hxlPattern) match(t hxlTag) bool {
	if p.tag != t.tag {
		return false
	}
	for _, a := range p.with {
		if !slices.Contains(t.attrs, a) {
			return false
		}
	}
	for _, a := range p.without {
		if slices.Contains(t.attrs, a) {
			return false
		}
	}
	return true
}

// hxlFields says, for each thing truce reads from an HXL file, the
// patterns that find its column, best first. Of the columns a pattern
// matches, the one with the fewest attributes wins, then the leftmost.
var hxlFields = []struct {
	name     string
	patterns []string
}{
	{"id", []string{"#event+code", "#event+id", "#meta+id"}},
	{"occurred", []string{"#date+occurred", "#date+start", "#date-reported-end-year-precision-month-week"}},
	{"time_precision", []string{"#date+precision"}},
	{"event_type", []string{"#event+type-sub"}},
	{"sub_event_type", []string{"#event+type+sub"}},
	{"perpetrator", []string{"#group+name+first", "#actor+name+first", "#group+code+first", "#actor+code+first"}},
	{"target", []string{"#group+name+second", "#actor+name+second", "#group+code+second", "#actor+code+second"}},
	{"place", []string{"#loc+name"}},
	{"lat", []string{"#geo+lat"}},
	{"lon", []string{"#geo+lon"}},
	{"coord", []string{"#geo+coord"}},
	{"geo_precision", []string{"#geo+precision"}},
	{"uncertainty_m", []string{"#geo+radius"}},
	{"killed", []string{"#affected+killed-civilians-low-high-min-max"}},
	{"killed_low", []string{"#affected+killed+low-civilians", "#affected+killed+min-civilians"}},
	{"killed_high", []string{"#affected+killed+high-civilians", "#affected+killed+max-civilians"}},
	{"killed_civilians", []string{"#affected+killed+civilians-low-high-min-max"}},
	{"injured", []string{"#affected+injured-civilians-low-high-min-max"}},
	{"injured_civilians", []string{"#affected+injured+civilians-low-high-min-max"}},
	{"description", []string{"#description"}},
	{"sources", []string{"#meta+source"}},
}

// hxlColumns is what a file's hashtag row says: the column of each thing
// truce reads, and every tagged column.
type hxlColumns struct {
	tags []hxlTag       // by column; tag "" for an untagged column
	spec []string       // by column, the hashtag as written
	of   map[string]int // thing → column
}

func (h *hxlColumns) get(rec []string, name string) string {
	i, ok := h.of[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(field(rec, i))
}

// columnOf names the column a report field came from, for errors.
func (h *hxlColumns) columnOf(field string) string {
	name := field
	switch field {
	case "casualties.killed":
		name = "killed"
	case "casualties.killed_civilians":
		name = "killed_civilians"
	case "casualties.injured":
		name = "injured"
	case "casualties.injured_civilians":
		name = "injured_civilians"
	case "occurred_at":
		name = "occurred"
	}
	if i, ok := h.of[name]; ok {
		return h.spec[i]
	}
	if (field == "lat" || field == "lon") && h.of != nil {
		if i, ok := h.of["coord"]; ok {
			return h.spec[i]
		}
	}
	return ""
}

// hxlHeader reads rows up to the hashtag row, which must be among the
// first 25, and finds the columns.
func hxlHeader(r io.Reader) (*table, *hxlColumns, error) {
	t, err := openTable(r)
	if err != nil {
		return nil, nil, err
	}
	for range 25 {
		rec, err := t.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, err
		}
		if h, ok := hashtagRow(rec); ok {
			t.setHeader(h.spec)
			if err := h.find(); err != nil {
				return nil, nil, err
			}
			return t, h, nil
		}
	}
	return nil, nil, errors.New("no row of HXL hashtags (#date, #geo+lat, …) among the first 25 rows: is this an HXL file?")
}

// hashtagRow reads rec as a hashtag row: one where every non-empty cell is
// a hashtag, and there is one.
func hashtagRow(rec []string) (*hxlColumns, bool) {
	h := &hxlColumns{tags: make([]hxlTag, len(rec)), spec: make([]string, len(rec))}
	n := 0
	for i, s := range rec {
		if strings.TrimSpace(s) == "" {
			continue
		}
		t, ok := parseHXLTag(s)
		if !ok {
			return nil, false
		}
		h.tags[i], h.spec[i] = t, t.String()
		n++
	}
	return h, n > 0
}

func (h *hxlColumns) find() error {
	h.of = map[string]int{}
	for _, f := range hxlFields {
		for _, ps := range f.patterns {
			p := parsePattern(ps)
			best := -1
			for i, t := range h.tags {
				if t.tag != "" && p.match(t) && (best < 0 || len(t.attrs) < len(h.tags[best].attrs)) {
					best = i
				}
			}
			if best >= 0 {
				h.of[f.name] = best
				break
			}
		}
	}
	var missing []string
	if _, ok := h.of["occurred"]; !ok {
		missing = append(missing, "#date+occurred")
	}
	if _, ok := h.of["event_type"]; !ok {
		missing = append(missing, "#event+type")
	}
	_, lat := h.of["lat"]
	_, lon := h.of["lon"]
	if _, coord := h.of["coord"]; !(lat && lon) && !coord {
		missing = append(missing, "#geo+lat and #geo+lon (or #geo+coord)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the hashtag row has no column %s", strings.Join(missing, ", "))
	}
	return nil
}

// hxlRecord makes an HXL row into a report. See the package
// documentation for the mapping.
func (r *Reader) hxlRecord(rec []string) (*Record, error) {
	h := r.hxl
	out := &Record{ID: h.get(rec, "id")}
	source := r.opt.Source
	if source == "" {
		source = "HXL"
	}
	origin := &Origin{Dataset: HXL, ID: out.ID, Fields: map[string]string{}}
	out.Origin = origin
	used := map[int]bool{}
	for _, i := range h.of {
		used[i] = true
	}
	for i, t := range h.tags {
		if t.tag != "" && !used[i] {
			origin.Fields[h.spec[i]] = field(rec, i)
		}
	}
	if strings.ContainsAny(out.ID, " \t") || len(out.ID) > 100 {
		return out, rowError(h.columnOrName("id"), "%q is not an event id: one word of at most 100 characters", clipRunes(out.ID, 40))
	}
	in := &truce.ReportInput{
		EventType: h.get(rec, "event_type"), SubEventType: h.get(rec, "sub_event_type"),
		Place: oneLine(h.get(rec, "place"), truce.MaxPlace),
	}
	var err error
	if in.OccurredAt, err = hxlTime(h.columnOrName("occurred"), h.get(rec, "occurred"), r.opt.location()); err != nil {
		return out, err
	}
	if in.TimePrecision, err = optionalPrecision(h.columnOrName("time_precision"), h.get(rec, "time_precision")); err != nil {
		return out, err
	}
	if in.GeoPrecision, err = optionalPrecision(h.columnOrName("geo_precision"), h.get(rec, "geo_precision")); err != nil {
		return out, err
	}
	if _, ok := h.of["lat"]; ok {
		if in.Lat, err = parseDegrees(h.columnOrName("lat"), h.get(rec, "lat")); err != nil {
			return out, err
		}
		if in.Lon, err = parseDegrees(h.columnOrName("lon"), h.get(rec, "lon")); err != nil {
			return out, err
		}
	} else {
		col := h.columnOrName("coord")
		lat, lon, ok := strings.Cut(h.get(rec, "coord"), ",")
		if !ok {
			return out, rowError(col, "%q is not a point \"latitude,longitude\"", clipRunes(h.get(rec, "coord"), 40))
		}
		if in.Lat, err = parseDegrees(col, lat); err != nil {
			return out, err
		}
		if in.Lon, err = parseDegrees(col, lon); err != nil {
			return out, err
		}
	}
	if n, ok, err := parseCount(h.columnOrName("uncertainty_m"), h.get(rec, "uncertainty_m")); err != nil {
		return out, err
	} else if ok {
		in.UncertaintyM = n
	}
	in.Perpetrator, _, _ = resolveName(r.a, h.get(rec, "perpetrator"))
	in.Target, _, _ = resolveName(r.a, h.get(rec, "target"))
	if in.Casualties, err = h.casualties(rec); err != nil {
		return out, err
	}
	if out.ID != "" {
		in.Sources = []string{source + " event " + out.ID}
	}
	in.Sources = append(in.Sources, splitSources(h.get(rec, "sources"), truce.MaxSources-len(in.Sources))...)
	in.Description = clipRunes(cleanText(h.get(rec, "description")), truce.MaxDescription)
	if in.Description == "" {
		in.Description = fmt.Sprintf("%s row %d, which has no #description.", source, r.t.row)
	}
	in.Origin = out.Origin
	out.Input = in
	return out, nil
}

func (h *hxlColumns) columnOrName(name string) string {
	if i, ok := h.of[name]; ok {
		return h.spec[i]
	}
	return name
}

// casualties reads the killed and injured counts: #affected+killed is the
// best estimate, +low and +high (or +min and +max) bound it and default to
// it.
func (h *hxlColumns) casualties(rec []string) (*truce.Casualties, error) {
	est := func(best, low, high string) (*truce.Estimate, error) {
		b, ok, err := parseCount(h.columnOrName(best), h.get(rec, best))
		if err != nil || !ok {
			return nil, err
		}
		e := &truce.Estimate{Low: b, Best: b, High: b}
		if low != "" {
			if n, ok, err := parseCount(h.columnOrName(low), h.get(rec, low)); err != nil {
				return nil, err
			} else if ok {
				e.Low = n
			}
			if n, ok, err := parseCount(h.columnOrName(high), h.get(rec, high)); err != nil {
				return nil, err
			} else if ok {
				e.High = n
			}
		}
		return e, nil
	}
	var c truce.Casualties
	var err error
	if c.Killed, err = est("killed", "killed_low", "killed_high"); err != nil {
		return nil, err
	}
	if c.KilledCivilians, err = est("killed_civilians", "", ""); err != nil {
		return nil, err
	}
	if c.Injured, err = est("injured", "", ""); err != nil {
		return nil, err
	}
	if c.InjuredCivilians, err = est("injured_civilians", "", ""); err != nil {
		return nil, err
	}
	if c == (truce.Casualties{}) {
		return nil, nil
	}
	return &c, nil
}

// hxlTime reads a date (filed at noon in loc), a time without a zone (in
// loc), or an RFC 3339 time.
func hxlTime(column, s string, loc *time.Location) (string, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.Format(time.RFC3339Nano), nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc); err == nil {
		return t.Format(time.RFC3339), nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc); err == nil {
		return t.Format(time.RFC3339), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return noon(t, loc), nil
	}
	return "", rowError(column, "%q is not a date (2017-01-05) or time (2017-01-05T14:30:00+02:00)", clipRunes(s, 40))
}

func optionalPrecision(column, s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	return acledPrecision(column, s)
}

// hxlColumnsOut are the columns truce writes: a header, then a hashtag.
// Where HDX's own ACLED files tag a column, the tag is theirs.
var hxlColumnsOut = [][2]string{
	{"Report", "#event+code"},
	{"Occurred", "#date+occurred"},
	{"Time precision", "#date+precision"},
	{"Event type", "#event+type"},
	{"Sub-event type", "#event+type+sub"},
	{"Perpetrator", "#group+name+first"},
	{"Perpetrator id", "#group+code+first"},
	{"Target", "#group+name+second"},
	{"Target id", "#group+code+second"},
	{"Location", "#loc+name"},
	{"Governorate", "#adm1+code"},
	{"Governorate name", "#adm1+name"},
	{"District", "#adm2+code"},
	{"Sub-district", "#adm3+code"},
	{"Latitude", "#geo+lat"},
	{"Longitude", "#geo+lon"},
	{"Coordinates", "#geo+disclosure"},
	{"Geo precision", "#geo+precision"},
	{"Uncertainty (m)", "#geo+radius"},
	{"Killed", "#affected+killed"},
	{"Killed (low)", "#affected+killed+low"},
	{"Killed (high)", "#affected+killed+high"},
	{"Civilians killed", "#affected+killed+civilians"},
	{"Injured", "#affected+injured"},
	{"Civilians injured", "#affected+injured+civilians"},
	{"Description", "#description"},
	{"Sources", "#meta+source"},
	{"Scope", "#status+scope"},
	{"Controller", "#group+code+controller"},
	{"Consensus", "#status+consensus"},
	{"Filed by", "#org+code+filer"},
	{"Filed", "#date+reported"},
}

type hxlWriter struct {
	cw     *csv.Writer
	loc    *time.Location
	header bool
}

func newHXLWriter(w io.Writer, o Options) *hxlWriter {
	return &hxlWriter{cw: csv.NewWriter(w), loc: o.location()}
}

func (w *hxlWriter) writeHeader() error {
	w.header = true
	names, tags := make([]string, len(hxlColumnsOut)), make([]string, len(hxlColumnsOut))
	for i, c := range hxlColumnsOut {
		names[i], tags[i] = c[0], c[1]
	}
	if err := w.cw.Write(names); err != nil {
		return err
	}
	return w.cw.Write(tags)
}

func (w *hxlWriter) Write(r *Report) error {
	if !w.header {
		if err := w.writeHeader(); err != nil {
			return err
		}
	}
	adm1, adm2, adm3 := r.adm()
	var lat, lon, scope, controller string
	if r.Lat != nil && r.Lon != nil {
		lat, lon = formatDegrees(*r.Lat), formatDegrees(*r.Lon)
	}
	if c := r.Classification; c != nil {
		scope, controller = c.Scope, string(c.Controller)
	}
	count := func(e *truce.Estimate, which int) string {
		if e == nil {
			return ""
		}
		return strconv.Itoa([3]int{e.Low, e.Best, e.High}[which])
	}
	var k, kc, inj, injc *truce.Estimate
	if c := r.Casualties; c != nil {
		k, kc, inj, injc = c.Killed, c.KilledCivilians, c.Injured, c.InjuredCivilians
	}
	uncertainty := ""
	if r.UncertaintyM > 0 {
		uncertainty = strconv.Itoa(r.UncertaintyM)
	}
	return w.cw.Write([]string{
		string(r.ID), r.OccurredAt.In(w.loc).Format(time.RFC3339), strconv.Itoa(max(r.TimePrecision, 1)),
		r.EventType, r.SubEventType,
		r.Perpetrator.Name, string(r.Perpetrator.ID), r.Target.Name, string(r.Target.ID),
		r.Place, adm1, unitName(adm1), adm2, adm3, lat, lon, r.Coordinates,
		strconv.Itoa(max(r.GeoPrecision, 1)), uncertainty,
		count(k, 1), count(k, 0), count(k, 2), count(kc, 1), count(inj, 1), count(injc, 1),
		r.Description, strings.Join(r.Sources, "; "), scope, controller, string(r.Consensus),
		string(r.Organisation), r.FiledAt.UTC().Format(time.RFC3339),
	})
}

func (w *hxlWriter) Close() error {
	if !w.header {
		w.writeHeader()
	}
	w.cw.Flush()
	return w.cw.Error()
}
