package interchange

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"truce"
)

// ACLEDColumns are the columns of an ACLED export, in ACLED's order (the
// codebook of 2023 and the export tool since): what truce writes, and
// what it reads by name in any order and case.
var ACLEDColumns = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
	"iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
	"geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
}

// acledSlots are the ACLED columns a report has a slot for; the others
// have none and are kept in the report's origin as they are.
var acledSlots = map[string]bool{
	"event_id_cnty": true, "event_date": true, "year": true, "time_precision": true,
	"event_type": true, "sub_event_type": true, "actor1": true, "actor2": true, "location": true,
	"latitude": true, "longitude": true, "geo_precision": true, "source": true, "notes": true, "fatalities": true,
}

// acledFieldColumns names the ACLED column each report field comes from,
// for validation errors.
var acledFieldColumns = map[string]string{
	"occurred_at": "event_date", "lon": "longitude", "lat": "latitude", "event_type": "event_type",
	"sub_event_type": "sub_event_type", "perpetrator": "actor1", "target": "actor2", "description": "notes",
	"time_precision": "time_precision", "geo_precision": "geo_precision", "place": "location",
	"casualties.killed": "fatalities", "sources": "source",
}

// acledDateLayouts are the spellings of event_date truce reads: ACLED's
// current one first, then those of older exports.
var acledDateLayouts = []string{time.DateOnly, "02 January 2006", "2 January 2006", "02-January-2006", "2-Jan-06"}

type acledColumns struct {
	index map[string]int // every column of the file, folded name → index
	names []string       // the file's column names, folded, in order
}

func acledHeader(t *table) (*acledColumns, error) {
	if _, err := t.need("ACLED", "event_id_cnty", "event_date", "event_type", "sub_event_type", "latitude", "longitude"); err != nil {
		return nil, err
	}
	c := &acledColumns{index: map[string]int{}}
	for i, h := range t.header {
		k := foldColumn(h)
		if _, dup := c.index[k]; !dup {
			c.index[k] = i
			c.names = append(c.names, k)
		}
	}
	return c, nil
}

// acledRecord makes an ACLED row into a report. See the package
// documentation for the mapping.
func (r *Reader) acledRecord(rec []string) (*Record, error) {
	c := r.acled
	raw := func(col string) (string, bool) {
		i, ok := c.index[col]
		if !ok {
			return "", false
		}
		return rec[i], true
	}
	get := func(col string) string { v, _ := raw(col); return strings.TrimSpace(v) }
	out := &Record{ID: get("event_id_cnty")}
	if out.ID == "" {
		return out, rowError("event_id_cnty", "is empty: every ACLED event has an id")
	}
	if strings.ContainsAny(out.ID, " \t") || len(out.ID) > 100 {
		return out, rowError("event_id_cnty", "%q is not an ACLED event id such as SYR12345", clipRunes(out.ID, 40))
	}
	origin := &Origin{Dataset: ACLED, ID: out.ID, Fields: map[string]string{}}
	out.Origin = origin

	date, err := parseACLEDDate(get("event_date"))
	if err != nil {
		return out, err
	}
	in := &truce.ReportInput{
		OccurredAt: noon(date, r.opt.location()),
		EventType:  get("event_type"), SubEventType: get("sub_event_type"),
		Place: oneLine(get("location"), truce.MaxPlace),
	}
	if in.TimePrecision, err = acledPrecision("time_precision", get("time_precision")); err != nil {
		return out, err
	}
	if in.GeoPrecision, err = acledPrecision("geo_precision", get("geo_precision")); err != nil {
		return out, err
	}
	if in.Lat, err = parseDegrees("latitude", get("latitude")); err != nil {
		return out, err
	}
	if in.Lon, err = parseDegrees("longitude", get("longitude")); err != nil {
		return out, err
	}
	in.Perpetrator, _, _ = resolveName(r.a, get("actor1"))
	in.Target, _, _ = resolveName(r.a, get("actor2"))
	if n, ok, err := parseCount("fatalities", get("fatalities")); err != nil {
		return out, err
	} else if ok {
		in.Casualties = &truce.Casualties{Killed: &truce.Estimate{Low: n, Best: n, High: n}}
	}
	in.Sources = append([]string{citationPrefix[ACLED] + out.ID}, splitSources(get("source"), truce.MaxSources-1)...)
	in.Description = clipRunes(cleanText(strings.TrimSpace(get("notes"))), truce.MaxDescription)
	if in.Description == "" {
		in.Description = fmt.Sprintf("ACLED event %s, which has no notes.", out.ID)
	}
	in.Origin = out.Origin
	out.Input = in

	// The origin keeps every column without a slot, and every column whose
	// slot would not give it back as written: an export of the report is
	// then the row again.
	again := acledSlotValues(in, r.opt.location())
	for _, col := range c.names {
		v, _ := raw(col)
		if w, slot := again[col]; slot && acledSlots[col] && w == v {
			continue
		}
		origin.Fields[col] = v
	}
	return out, nil
}

// acledSlotValues returns what an ACLED export writes, for the columns a
// report has a slot for, of the report an input gives, before truce
// stores it.
func acledSlotValues(in *truce.ReportInput, loc *time.Location) map[string]string {
	t, _ := time.Parse(time.RFC3339, in.OccurredAt)
	et, sub, _ := truce.CanonicalEventType(in.EventType, in.SubEventType)
	id, sources := citedID(ACLED, in.Sources)
	m := map[string]string{
		"event_id_cnty": id, "event_date": t.In(loc).Format(time.DateOnly), "year": strconv.Itoa(t.In(loc).Year()),
		"time_precision": strconv.Itoa(max(in.TimePrecision, 1)), "event_type": et, "sub_event_type": sub,
		"actor1": in.Perpetrator, "actor2": in.Target, "location": in.Place,
		"geo_precision": strconv.Itoa(max(in.GeoPrecision, 1)), "source": strings.Join(sources, "; "),
		"notes": in.Description, "fatalities": "0",
	}
	if in.Lat != nil && in.Lon != nil {
		m["latitude"], m["longitude"] = formatDegrees(*in.Lat), formatDegrees(*in.Lon)
	}
	if n, ok := killedBest(in.Casualties); ok {
		m["fatalities"] = strconv.Itoa(n)
	}
	return m
}

func parseACLEDDate(s string) (time.Time, error) {
	for _, layout := range acledDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, rowError("event_date", "%q is not a date such as 2017-01-05 or 05 January 2017", clipRunes(s, 40))
}

// acledPrecision reads a time_precision or geo_precision: 1 to 3, and 1
// when empty.
func acledPrecision(column, s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 3 {
		return 0, rowError(column, "%q is not 1, 2 or 3", clipRunes(s, 40))
	}
	return n, nil
}

// splitSources splits ACLED's source column ("SOHR; SANA") into at most
// max sources, each a line of at most truce.MaxSourceLength characters;
// what does not fit in max stays together in the last.
func splitSources(s string, max int) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = oneLine(p, truce.MaxSourceLength); p != "" {
			out = append(out, p)
		}
	}
	if len(out) > max {
		out = append(out[:max-1], oneLine(strings.Join(out[max-1:], "; "), truce.MaxSourceLength))
	}
	// A source that reads as a link must be one; a stray "://" in a name
	// would be refused.
	for i, p := range out {
		if strings.Contains(p, "://") && !strings.HasPrefix(p, "http://") && !strings.HasPrefix(p, "https://") {
			out[i] = strings.ReplaceAll(p, "://", ": //")
		}
	}
	return out
}

// acledDisorder gives ACLED's disorder_type of a sub-event type: the
// violent events are political violence, protests and riots
// demonstrations, and the two where violence meets demonstrators both.
func acledDisorder(eventType, subEventType string) string {
	switch {
	case subEventType == "Mob violence" || subEventType == "Excessive force against protesters":
		return "Political violence; Demonstrations"
	case eventType == "Protests" || eventType == "Riots":
		return "Demonstrations"
	case eventType == "Strategic developments":
		return "Strategic developments"
	case eventType == "":
		return ""
	}
	return "Political violence"
}

// acledWriter writes ACLED CSV.
type acledWriter struct {
	cw     *csv.Writer
	loc    *time.Location
	header bool
}

func newACLEDWriter(w io.Writer, o Options) *acledWriter {
	return &acledWriter{cw: csv.NewWriter(w), loc: o.location()}
}

func (w *acledWriter) Write(r *Report) error {
	if !w.header {
		w.header = true
		if err := w.cw.Write(ACLEDColumns); err != nil {
			return err
		}
	}
	return w.cw.Write(acledRow(r, w.loc))
}

func (w *acledWriter) Close() error {
	if !w.header {
		w.header = true
		w.cw.Write(ACLEDColumns)
	}
	w.cw.Flush()
	return w.cw.Error()
}

// acledRow writes a report as an ACLED row: each column from the
// report's origin when truce kept it, else from the report. See the
// package documentation.
func acledRow(r *Report, loc *time.Location) []string {
	id, sources := citedID(ACLED, r.Sources)
	if id == "" {
		id = string(r.ID)
	}
	occurred := r.OccurredAt.In(loc)
	inter1, inter2 := interOf(r.Perpetrator), interOf(r.Target)
	adm1, adm2, adm3 := r.adm()
	fatalities := "0"
	if n, ok := killedBest(r.Casualties); ok {
		fatalities = strconv.Itoa(n)
	}
	var iso, region, country string
	if strings.HasPrefix(adm1, "SY") {
		iso, region, country = "760", "Middle East", "Syria"
	}
	civilian := ""
	if r.EventType == "Violence against civilians" {
		civilian = "Civilian targeting"
	}
	var lat, lon string
	if r.Lat != nil && r.Lon != nil {
		lat, lon = formatDegrees(*r.Lat), formatDegrees(*r.Lon)
	}
	derived := map[string]string{
		"event_id_cnty": id, "event_date": occurred.Format(time.DateOnly), "year": strconv.Itoa(occurred.Year()),
		"time_precision": strconv.Itoa(max(r.TimePrecision, 1)), "disorder_type": acledDisorder(r.EventType, r.SubEventType),
		"event_type": r.EventType, "sub_event_type": r.SubEventType,
		"actor1": r.Perpetrator.Name, "inter1": inter1, "actor2": r.Target.Name, "inter2": inter2,
		"civilian_targeting": civilian, "iso": iso, "region": region, "country": country,
		"admin1": unitName(adm1), "admin2": unitName(adm2), "admin3": unitName(adm3),
		"location": r.Place, "latitude": lat, "longitude": lon, "geo_precision": strconv.Itoa(max(r.GeoPrecision, 1)),
		"source": strings.Join(sources, "; "), "notes": r.Description, "fatalities": fatalities,
		"timestamp": strconv.FormatInt(r.FiledAt.Unix(), 10),
	}
	row := make([]string, len(ACLEDColumns))
	for i, col := range ACLEDColumns {
		if v, ok := r.originField(ACLED, col); ok {
			row[i] = v
		} else {
			row[i] = derived[col]
		}
	}
	// The interaction code follows the actor types as written: both
	// digits, the lower first, or the one actor's type and 0.
	if _, ok := r.originField(ACLED, "interaction"); !ok {
		row[13] = interaction(row[9], row[12])
	}
	return row
}

func interOf(a Actor) string {
	if a.ID == "" || a.Inter == 0 {
		return ""
	}
	return strconv.Itoa(a.Inter)
}

// interaction combines ACLED actor types into an interaction code: 12 for
// state forces (1) and rebels (2), 20 for rebels alone.
func interaction(inter1, inter2 string) string {
	a, err1 := strconv.Atoi(inter1)
	b, err2 := strconv.Atoi(inter2)
	switch {
	case err1 != nil && err2 != nil:
		return ""
	case err2 != nil:
		return strconv.Itoa(a * 10)
	case err1 != nil:
		return strconv.Itoa(b * 10)
	}
	return strconv.Itoa(min(a, b)*10 + max(a, b))
}
