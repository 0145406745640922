package fixturegen

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"truce"
)

// UCDPFile is the UCDP GED file the fixture is drawn from, relative to the
// shared directory.
const UCDPFile = "data/events_ucdp/ucdp_ged_syria_652.1601.1911_2016_2018_2019.csv"

// Event is one UCDP GED event, with the columns the fixture uses.
type Event struct {
	ID       int
	Date     time.Time // date_start, as a calendar date (UTC midnight)
	Violence int       // type_of_violence: 1 state-based, 2 non-state, 3 one-sided
	SideA    string
	SideB    string
	// ActorA and ActorB are the sides as actor ids of the Astana agreement;
	// ActorB is empty for one-sided violence (side B is "Civilians").
	ActorA, ActorB truce.ActorID

	Place      string // where_coordinates, such as "Jasim town"
	Adm1, Adm2 string
	WherePrec  int
	DatePrec   int
	Clarity    int
	Lat, Lon   float64

	DeathsA, DeathsB, DeathsCivilians int
	Low, Best, High                   int
	Headline                          string // source_headline: read for the kind of fire, never copied

	Area string // the selection stratum it was drawn from
	Zone string // the de-escalation area it is in, as a description names it; empty before 2018
}

// sideActors maps UCDP side names to actor ids. Coalitions (comma-joined
// names) and sides the agreement does not name are not mapped: their events
// are skipped.
var sideActors = map[string]truce.ActorID{
	"Government of Syria":                 "SYG",
	"Syrian insurgents":                   "OPP",
	"IS":                                  "ISIL",
	"Jabhat Fateh al-Sham":                "JFS",
	"Jabhat Fatah al-Sham":                "JFS",
	"Jabhat al-Nusra":                     "JFS",
	"HTS":                                 "JFS",
	"Hayat Tahrir al-Sham":                "JFS",
	"Hay'at Tahrir al-Sham":               "JFS",
	"SDF":                                 "SDF",
	"PYD":                                 "SDF",
	"YPG":                                 "SDF",
	"Government of Russia (Soviet Union)": "RU",
	"Government of Turkey":                "TR",
	"Government of Iran":                  "IR",
}

// ReadEvents reads a UCDP GED CSV file (R write.csv quoting, text fields
// with line breaks) and returns the events whose sides map to actors:
// state-based events between two mapped sides and one-sided violence by a
// mapped side. Other events are left out.
func ReadEvents(r io.Reader) ([]Event, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("ucdp: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"id", "type_of_violence", "side_a", "side_b", "source_headline", "where_prec",
		"where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "event_clarity", "date_prec",
		"date_start", "deaths_a", "deaths_b", "deaths_civilians", "low", "best", "high"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("ucdp: no column %q", h)
		}
	}
	var events []Event
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ucdp: %w", err)
		}
		line, _ := cr.FieldPos(0)
		e, ok, err := parseEvent(rec, col)
		if err != nil {
			return nil, fmt.Errorf("ucdp: line %d: %w", line, err)
		}
		if ok {
			events = append(events, e)
		}
	}
	return events, nil
}

func parseEvent(rec []string, col map[string]int) (Event, bool, error) {
	get := func(name string) string { return rec[col[name]] }
	var e Event
	var err error
	num := func(name string) int {
		if err != nil {
			return 0
		}
		s := get(name)
		if s == "" {
			return 0
		}
		var n int
		n, err = strconv.Atoi(s)
		if err != nil {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return n
	}
	real := func(name string) float64 {
		if err != nil {
			return 0
		}
		var v float64
		v, err = strconv.ParseFloat(get(name), 64)
		if err != nil {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return v
	}
	e.ID = num("id")
	e.Violence = num("type_of_violence")
	e.WherePrec = num("where_prec")
	e.DatePrec = num("date_prec")
	e.Clarity = num("event_clarity")
	e.DeathsA, e.DeathsB, e.DeathsCivilians = num("deaths_a"), num("deaths_b"), num("deaths_civilians")
	e.Low, e.Best, e.High = num("low"), num("best"), num("high")
	e.Lat, e.Lon = real("latitude"), real("longitude")
	if err != nil {
		return e, false, err
	}
	e.Date, err = time.Parse(time.DateOnly, get("date_start"))
	if err != nil {
		return e, false, fmt.Errorf("date_start: %w", err)
	}
	e.SideA, e.SideB = get("side_a"), get("side_b")
	e.Place, e.Adm1, e.Adm2 = get("where_coordinates"), get("adm_1"), get("adm_2")
	e.Headline = get("source_headline")

	a, ok := sideActors[e.SideA]
	if !ok {
		return e, false, nil
	}
	e.ActorA = a
	switch e.Violence {
	case 1:
		b, ok := sideActors[e.SideB]
		if !ok || b == a {
			return e, false, nil
		}
		e.ActorB = b
	case 3:
		if e.SideB != "Civilians" {
			return e, false, nil
		}
	default:
		return e, false, nil
	}
	return e, true, nil
}

// An area is a stratum of the selection: where and when events are drawn
// from, and how many.
type area struct {
	name  string
	quota int
	in    func(e *Event) bool
	zone  string // how a description names the area
}

var (
	ceasefireStart = time.Date(2016, 12, 30, 0, 0, 0, 0, time.UTC) // the nationwide ceasefire of 30 December 2016
	year2018       = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	year2019       = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
)

func in2018(e *Event) bool { return !e.Date.Before(year2018) && e.Date.Before(year2019) }

func box(e *Event, south, west, north, east float64) bool {
	return e.Lat >= south && e.Lat <= north && e.Lon >= west && e.Lon <= east
}

// areas are the strata: the first two days of the nationwide ceasefire
// (the file holds no 2017 events), then the four de-escalation areas of the
// May 2017 memorandum as they were fought over in 2018 — Idlib with northern
// Hama, northern Homs, Eastern Ghouta, and the south (Daraa, Quneitra).
var areas = []area{
	{"ceasefire start", 8, func(e *Event) bool {
		return !e.Date.Before(ceasefireStart) && e.Date.Before(year2018)
	}, ""},
	{"Idlib", 7, func(e *Event) bool {
		return in2018(e) && e.Adm1 == "Idlib Governorate"
	}, "the Idlib de-escalation area"},
	{"northern Hama", 5, func(e *Event) bool {
		// North of Hama city; the Salamiyah district to the east is not in the area.
		return in2018(e) && e.Adm1 == "Hamah Governorate" && e.Adm2 != "Salamiyah district" && e.Lat >= 35.15
	}, "the Idlib de-escalation area (northern Hama)"},
	{"northern Homs", 4, func(e *Event) bool {
		// The Rastan–Talbiseh–Houla pocket.
		return in2018(e) && e.Adm1 == "Homs Governorate" && box(e, 34.78, 36.45, 35.05, 36.85)
	}, "the northern Homs de-escalation area"},
	{"Eastern Ghouta", 6, func(e *Event) bool {
		return in2018(e) && e.Adm1 == "Rif Dimashq Governorate" && box(e, 33.47, 36.30, 33.65, 36.60)
	}, "the Eastern Ghouta de-escalation area"},
	{"south", 6, func(e *Event) bool {
		return in2018(e) && (e.Adm1 == "Daraa Governorate" || e.Adm1 == "Quneitra Governorate")
	}, "the southern de-escalation area"},
}

// eligible reports whether an event is precise enough for a report: a clear
// event, on a known day, at an exact or near-exact place, with deaths.
func eligible(e *Event) bool {
	return e.Clarity == 1 && e.DatePrec == 1 && (e.WherePrec == 1 || e.WherePrec == 2) && e.Best >= 1
}

// Select draws the fixture's events, deterministically: for each area, the
// eligible events grouped by who fought whom (or who attacked civilians);
// one event from every group, largest group first, and the rest of the
// quota from the largest group; within a group, events spread evenly over
// time, preferring places not yet used. The result is sorted by id.
func Select(events []Event) []Event {
	var out []Event
	for _, ar := range areas {
		groups := map[string][]Event{}
		for i := range events {
			e := &events[i]
			if eligible(e) && ar.in(e) {
				k := fmt.Sprintf("%d %s %s", e.Violence, e.ActorA, e.ActorB)
				groups[k] = append(groups[k], *e)
			}
		}
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if a, b := len(groups[keys[i]]), len(groups[keys[j]]); a != b {
				return a > b
			}
			return keys[i] < keys[j]
		})
		want := map[string]int{}
		left := ar.quota
		for _, k := range keys {
			if left == 0 {
				break
			}
			want[k]++
			left--
		}
		if len(keys) > 0 {
			want[keys[0]] += left
		}
		places := map[string]bool{}
		for _, k := range keys {
			g := groups[k]
			sort.Slice(g, func(i, j int) bool {
				if !g[i].Date.Equal(g[j].Date) {
					return g[i].Date.Before(g[j].Date)
				}
				return g[i].ID < g[j].ID
			})
			for _, e := range spread(g, want[k], places) {
				e.Area, e.Zone = ar.name, ar.zone
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// spread picks n events of g (sorted by time) at evenly spaced positions;
// when the event at a position is at a place already used, the nearest
// later (then earlier) event at a new place is taken instead.
func spread(g []Event, n int, used map[string]bool) []Event {
	if n > len(g) {
		n = len(g)
	}
	taken := map[int]bool{}
	var out []Event
	for i := 0; i < n; i++ {
		pos := (2*i + 1) * len(g) / (2 * n)
		pick := -1
		for d := 0; d < len(g) && pick < 0; d++ {
			for _, j := range []int{pos + d, pos - d} {
				if j >= 0 && j < len(g) && !taken[j] && !used[g[j].Place] {
					pick = j
					break
				}
			}
		}
		if pick < 0 { // every place is used: take the position itself, or the next free one
			for j := pos; pick < 0; j = (j + 1) % len(g) {
				if !taken[j] {
					pick = j
				}
			}
		}
		taken[pick] = true
		used[g[pick].Place] = true
		out = append(out, g[pick])
	}
	return out
}
