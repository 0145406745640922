package interchange

import (
	"fmt"
	"strings"
	"time"

	"truce"
)

// ucdpColumns are the indexes of the UCDP GED columns the reader uses; -1
// for an optional column the file does not have.
type ucdpColumns struct {
	id, violence, conflict, sideA, sideB                              int
	office, sourceDate, headline                                      int
	wherePrec, place, adm1, adm2, lat, lon                            int
	clarity, datePrec, dateStart, dateEnd                             int
	deathsA, deathsB, deathsCivilians, deathsUnknown, low, best, high int
}

func ucdpHeader(t *table) (*ucdpColumns, error) {
	idx, err := t.need("UCDP GED", "id", "type_of_violence", "side_a", "side_b", "latitude", "longitude",
		"date_start", "low", "best", "high")
	if err != nil {
		return nil, err
	}
	c := &ucdpColumns{
		id: idx[0], violence: idx[1], sideA: idx[2], sideB: idx[3], lat: idx[4], lon: idx[5],
		dateStart: idx[6], low: idx[7], best: idx[8], high: idx[9],
		conflict: t.index("conflict_name"), office: t.index("source_office"), sourceDate: t.index("source_date"),
		headline: t.index("source_headline"), wherePrec: t.index("where_prec"), place: t.index("where_coordinates"),
		adm1: t.index("adm_1"), adm2: t.index("adm_2"), clarity: t.index("event_clarity"),
		datePrec: t.index("date_prec"), dateEnd: t.index("date_end"),
		deathsA: t.index("deaths_a"), deathsB: t.index("deaths_b"),
		deathsCivilians: t.index("deaths_civilians"), deathsUnknown: t.index("deaths_unknown"),
	}
	return c, nil
}

// ucdpFieldColumns names the UCDP column each report field comes from, for
// validation errors.
var ucdpFieldColumns = map[string]string{
	"occurred_at": "date_start", "lon": "longitude", "lat": "latitude", "place": "where_coordinates",
	"perpetrator": "side_a", "target": "side_b", "description": "source_headline",
	"casualties.killed": "best", "casualties.killed_civilians": "deaths_civilians",
}

// ucdpTimePrecision maps UCDP's date_prec (1 the day … 5 the year) to
// ACLED's time_precision (1 the day, 2 the week, 3 the month): a period of
// 2–6 days or a known week is a week; 8–30 days, a month, or a longer span
// is the coarsest truce has.
var ucdpTimePrecision = map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 5: 3}

// ucdpGeoPrecision maps UCDP's where_prec (1 the exact place … 7 waters or
// airspace) to ACLED's geo_precision (1 the place, 2 near it or its
// district, 3 a larger region); where_prec 2 also gives a 25 km radius.
var ucdpGeoPrecision = map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}

// ucdpViolence names UCDP's types of violence.
var ucdpViolence = map[int]string{1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

// Words of a headline that say how an event was fought, for the ACLED
// sub-event type of a UCDP event, which has none. A word in a "word"
// list matches whole; the others match within a word ("shelling").
var (
	suicideWords = headlineWords{parts: []string{"suicide"}}
	mineWords    = headlineWords{parts: []string{"landmine", "explosive device", "car bomb", "booby"}, words: []string{"mine", "mines", "ied", "ieds"}}
	airWords     = headlineWords{parts: []string{"warplane", "war plane", "airstrike", "air strike", "air raid", "aerial", "helicopter", "barrel", "aircraft", "drone"}, words: []string{"jet", "jets"}}
	shellWords   = headlineWords{parts: []string{"shell", "artillery", "rocket", "missile", "mortar", "bombard", "cannon"}}
)

type headlineWords struct{ parts, words []string }

// in reports whether the lower-cased headline h holds one of the words.
func (w headlineWords) in(h string) bool {
	for _, p := range w.parts {
		if strings.Contains(h, p) {
			return true
		}
	}
	for _, word := range w.words {
		for rest := h; ; {
			i := strings.Index(rest, word)
			if i < 0 {
				break
			}
			end := i + len(word)
			if (i == 0 || !isLetter(rest[i-1])) && (end == len(rest) || !isLetter(rest[end])) {
				return true
			}
			rest = rest[end:]
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }

// ucdpEventType gives an ACLED event and sub-event type to a UCDP event:
// one-sided violence is an attack on civilians; otherwise the headline
// decides — a suicide bomb, explosive devices, an air strike (only where
// side A is a government, the side that flies), shelling — and an armed
// clash when it names none of them.
func ucdpEventType(violence int, sideA, headline string) (string, string) {
	if violence == 3 {
		return "Violence against civilians", "Attack"
	}
	const remote = "Explosions/Remote violence"
	h := strings.ToLower(headline)
	switch {
	case suicideWords.in(h):
		return remote, "Suicide bomb"
	case mineWords.in(h):
		return remote, "Remote explosive/landmine/IED"
	case airWords.in(h) && violence == 1 && strings.HasPrefix(sideA, "Government of"):
		return remote, "Air/drone strike"
	case shellWords.in(h):
		return remote, "Shelling/artillery/missile attack"
	}
	return "Battles", "Armed clash"
}

// ucdpRecord makes a UCDP GED row into a report. See the package
// documentation for the mapping.
func (r *Reader) ucdpRecord(rec []string) (*Record, error) {
	c := r.ucdp
	get := func(i int) string { return strings.TrimSpace(field(rec, i)) }
	out := &Record{ID: get(c.id)}
	if out.ID == "" {
		return out, rowError("id", "is empty: every UCDP event has an id")
	}
	out.Origin = &Origin{Dataset: UCDP, ID: out.ID}
	var err error
	num := func(name string, i int) int {
		if err != nil || i < 0 {
			return 0
		}
		n, _, e := parseCount(name, get(i))
		err = e
		return n
	}
	violence := num("type_of_violence", c.violence)
	wherePrec, datePrec, clarity := num("where_prec", c.wherePrec), num("date_prec", c.datePrec), num("event_clarity", c.clarity)
	low, best, high := num("low", c.low), num("best", c.best), num("high", c.high)
	dA, dB, dCiv, dUnk := num("deaths_a", c.deathsA), num("deaths_b", c.deathsB), num("deaths_civilians", c.deathsCivilians), num("deaths_unknown", c.deathsUnknown)
	if err != nil {
		return out, err
	}
	if _, ok := ucdpViolence[violence]; !ok {
		return out, rowError("type_of_violence", "%d is not 1 (state-based), 2 (non-state) or 3 (one-sided)", violence)
	}
	tp, gp := ucdpTimePrecision[max(datePrec, 1)], ucdpGeoPrecision[max(wherePrec, 1)]
	if tp == 0 {
		return out, rowError("date_prec", "%d is not a UCDP date precision (1 to 5)", datePrec)
	}
	if gp == 0 {
		return out, rowError("where_prec", "%d is not a UCDP location precision (1 to 7)", wherePrec)
	}
	start, err := time.Parse(time.DateOnly, get(c.dateStart))
	if err != nil {
		return out, rowError("date_start", "%q is not a date YYYY-MM-DD", clipRunes(get(c.dateStart), 40))
	}
	end := start
	if s := get(c.dateEnd); s != "" {
		if end, err = time.Parse(time.DateOnly, s); err != nil || end.Before(start) {
			return out, rowError("date_end", "%q is not a date YYYY-MM-DD on or after date_start", clipRunes(s, 40))
		}
	}
	in := &truce.ReportInput{
		OccurredAt: noon(start, r.opt.location()), TimePrecision: tp, GeoPrecision: gp,
		Place: oneLine(get(c.place), truce.MaxPlace),
	}
	if wherePrec == 2 {
		in.UncertaintyM = 25000 // the codebook: within about 25 km of the point
	}
	if in.Lat, err = parseDegrees("latitude", get(c.lat)); err != nil {
		return out, err
	}
	if in.Lon, err = parseDegrees("longitude", get(c.lon)); err != nil {
		return out, err
	}
	sideA, sideB, headline := get(c.sideA), get(c.sideB), get(c.headline)
	in.EventType, in.SubEventType = ucdpEventType(violence, sideA, headline)
	in.Perpetrator, _, _ = resolveName(r.a, sideA)
	in.Target, _, _ = resolveName(r.a, sideB)

	// UCDP's best is the sum of the deaths by side; a low above it or a
	// high below it is a slip of the dataset. The range is widened to hold
	// best rather than the row refused, and the description says so.
	var note string
	if low > best || high < best {
		note = fmt.Sprintf(" UCDP gives low %d, best %d, high %d, which do not hold best between them; the range filed is %d to %d.",
			low, best, high, min(low, best), max(high, best))
		low, high = min(low, best), max(high, best)
	}
	in.Casualties = &truce.Casualties{
		Killed:          &truce.Estimate{Low: low, Best: best, High: high},
		KilledCivilians: &truce.Estimate{Low: min(dCiv, low), Best: min(dCiv, best), High: min(dCiv, high)},
	}

	in.Sources = []string{"UCDP GED event " + out.ID}
	for _, s := range strings.Split(get(c.office), ";") {
		if s = oneLine(s, truce.MaxSourceLength); s != "" && !strings.Contains(s, "://") && len(in.Sources) < truce.MaxSources && !contains(in.Sources, s) {
			in.Sources = append(in.Sources, s)
		}
	}

	var d strings.Builder
	fmt.Fprintf(&d, "%s – %s: %s", orUnknown(sideA), orUnknown(sideB), ucdpViolence[violence])
	if s := get(c.conflict); s != "" {
		fmt.Fprintf(&d, " (%s)", s)
	}
	where := []string{}
	for _, s := range []string{get(c.place), get(c.adm2), get(c.adm1)} {
		if s != "" && !contains(where, s) {
			where = append(where, s)
		}
	}
	if len(where) > 0 {
		fmt.Fprintf(&d, ", %s", strings.Join(where, ", "))
	}
	if end.Equal(start) {
		fmt.Fprintf(&d, ", on %s.", start.Format(time.DateOnly))
	} else {
		fmt.Fprintf(&d, ", between %s and %s.", start.Format(time.DateOnly), end.Format(time.DateOnly))
	}
	fmt.Fprintf(&d, " Deaths: best %d (low %d, high %d): %d %s, %d %s, %d civilians, %d unknown.", best, low, high, dA, orUnknown(sideA), dB, orUnknown(sideB), dCiv, dUnk)
	d.WriteString(note)
	if headline != "" {
		fmt.Fprintf(&d, " Headline: “%s”", oneLine(headline, 600))
		if s := get(c.office); s != "" {
			fmt.Fprintf(&d, " (%s", strings.ReplaceAll(s, ";", "; "))
			if s := get(c.sourceDate); s != "" {
				fmt.Fprintf(&d, ", %s", strings.ReplaceAll(s, ";", "; "))
			}
			d.WriteString(")")
		}
		d.WriteString(".")
	}
	if clarity == 2 {
		d.WriteString(" UCDP codes the event as unclear (event_clarity 2).")
	}
	fmt.Fprintf(&d, " From UCDP GED event %s, which does not say who attacked: side A is filed as the perpetrator, side B as the target", out.ID)
	if violence != 3 {
		d.WriteString(", and the event type is read from the headline")
	}
	d.WriteString(".")
	in.Description = clipRunes(cleanText(d.String()), truce.MaxDescription)
	in.Origin = out.Origin
	out.Input = in
	if note != "" {
		out.Notes = append(out.Notes, strings.TrimSpace(note))
	}
	return out, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ucdpGovernorates maps UCDP's adm_1 names for Syria to the OCHA P-codes
// of the governorates (places.Governorates): UCDP writes the
// transliterations of GeoNames ("Hamah", "Deir ez Zor"), OCHA its own
// ("Hama", "Deir-ez-Zor").
var ucdpGovernorates = map[string]string{
	"Damascus Governorate":    "SY01",
	"Aleppo Governorate":      "SY02",
	"Rif Dimashq Governorate": "SY03",
	"Homs Governorate":        "SY04",
	"Hamah Governorate":       "SY05",
	"Latakia Governorate":     "SY06",
	"Idlib Governorate":       "SY07",
	"Al Hasakah Governorate":  "SY08",
	"Deir ez Zor Governorate": "SY09",
	"Tartus Governorate":      "SY10",
	"Ar Raqqah Governorate":   "SY11",
	"Daraa Governorate":       "SY12",
	"As Suwayda Governorate":  "SY13",
	"Quneitra Governorate":    "SY14",
}

// UCDPGovernorate returns the OCHA P-code of the governorate a UCDP adm_1
// name for Syria denotes ("Idlib Governorate" is SY07); ok is false for
// an empty or unknown name.
func UCDPGovernorate(adm1 string) (string, bool) {
	p, ok := ucdpGovernorates[strings.TrimSpace(adm1)]
	return p, ok
}
