package mapgen

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// MarkersFile is the mid-2017 markers table, relative to the shared
// directory.
const MarkersFile = "data/territorial_control/wikipedia_syria_detailed_map_markers_2017.csv"

// Actors are the agreement's actor ids the map's sides become, in the
// order areas are written (contested pairs list their actors in this order
// too).
var Actors = []string{"SYG", "OPP", "JFS", "ISIL", "SDF", "TR"}

// parties maps the map module's side codes to actor ids. lcl ("local
// forces", blue) and spc ("special", orange) exist in the marks module but
// not in this version of the map, and no actor of the agreement stands for
// them: a marker of theirs would be skipped (and counted), not guessed.
var parties = map[string]string{
	"gov": "SYG",  // Government (Syrian Arab Republic and allies)
	"opp": "OPP",  // Opposition: the group is not known, so the generic actor
	"JaN": "JFS",  // Tahrir al-Sham (HTS), the map's code from Jabhat al-Nusra
	"IS":  "ISIL", // Islamic State
	"SDF": "SDF",  // Syrian Democratic Forces: neither party nor designated
	"Trk": "TR",   // Turkey: five military bases
}

// places are the features that mark a place someone holds. Left out: border
// crossings (pass: no party; a party dot sits at the same point), inset city
// maps, the road overlay and the label anchor, and siege rings and pressure
// arcs, which say who presses on a place, not who holds it.
var places = map[string]bool{
	"settlement": true, "hill": true, "base": true, "air": true, "heli": true, "naval": true,
	"industry": true, "oil": true, "dam": true, "rural3": true, "rural4": true,
}

// Marker is one marker of the map the areas are drawn from.
type Marker struct {
	ID          int
	Lat, Lon    float64
	Feature     string   // settlement, hill, base, …
	ControlType string   // sole, stable_mixed or contested
	Actors      []string // one actor id for sole control, else both, as party_1, party_2
	Label       string
}

// Skipped counts the markers left out, by reason.
type Skipped map[string]int

// ReadMarkers reads the markers table and returns the markers that say who
// holds a place: live (not commented out in the source), with valid
// coordinates, a place feature, a controller role and sides that map to
// actors.
func ReadMarkers(r io.Reader) ([]Marker, Skipped, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("mapgen: markers header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, h := range []string{"marker_id", "commented_out", "lat", "lon", "coord_flag", "control_type",
		"party_1", "party_2", "party_role", "feature", "place_name"} {
		if _, ok := col[h]; !ok {
			return nil, nil, fmt.Errorf("mapgen: markers table has no column %q", h)
		}
	}
	var out []Marker
	skipped := Skipped{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("mapgen: markers: %w", err)
		}
		get := func(h string) string { return rec[col[h]] }
		switch {
		case get("commented_out") != "no":
			skipped["commented out in the source"]++
			continue
		case get("coord_flag") != "":
			skipped["invalid coordinates"]++
			continue
		case !places[get("feature")]:
			skipped["not a place ("+get("feature")+")"]++
			continue
		case !strings.HasPrefix(get("party_role"), "controller"):
			skipped["no controller"]++
			continue
		}
		m := Marker{Feature: get("feature"), ControlType: get("control_type"), Label: get("place_name")}
		if m.ID, err = strconv.Atoi(get("marker_id")); err != nil {
			return nil, nil, fmt.Errorf("mapgen: marker id %q: %w", get("marker_id"), err)
		}
		if m.Lat, err = strconv.ParseFloat(get("lat"), 64); err != nil {
			return nil, nil, fmt.Errorf("mapgen: marker %d: lat: %w", m.ID, err)
		}
		if m.Lon, err = strconv.ParseFloat(get("lon"), 64); err != nil {
			return nil, nil, fmt.Errorf("mapgen: marker %d: lon: %w", m.ID, err)
		}
		if m.Lat < 30 || m.Lat > 40 || m.Lon < 33 || m.Lon > 45 {
			skipped["coordinates far from Syria"]++
			continue
		}
		sides := []string{get("party_1")}
		switch m.ControlType {
		case "sole":
		case "stable_mixed", "contested":
			sides = append(sides, strings.Split(get("party_2"), ";")...)
		default:
			skipped["control type "+strconv.Quote(m.ControlType)]++
			continue
		}
		ok := true
		for _, s := range sides {
			a, known := parties[s]
			if !known {
				ok = false
				skipped["side "+strconv.Quote(s)+" has no actor"]++
				break
			}
			m.Actors = append(m.Actors, a)
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, skipped, nil
}

// actorRank is an actor's place in Actors.
func actorRank(a string) int { return slices.Index(Actors, a) }

// Class is who an area belongs to: one controller, or the actors who
// contest it (two or more, in the order of Actors).
type Class []string

// Key names a class: "SYG", or "OPP+JFS" for a contested area.
func (c Class) Key() string { return strings.Join(c, "+") }

// Contested reports whether the class is a contested area.
func (c Class) Contested() bool { return len(c) > 1 }

// compareClasses orders classes: single controllers first, in the order of
// Actors, then contested areas by their actors.
func compareClasses(a, b Class) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	for i := range a {
		if d := actorRank(a[i]) - actorRank(b[i]); d != 0 {
			return d
		}
	}
	return 0
}

// site is one point of the Voronoi diagram: every marker at exactly that
// point (several markers share a point: a town and its base, a town listed
// twice).
type site struct {
	p       pt
	markers []int // indexes into the markers
	class   Class
}

// sites groups the markers by location. A site's class is the union of its
// markers' actors: one actor if they agree on sole control, else a contested
// area between all the actors named.
func sites(ms []Marker) []site {
	byPt := map[pt]int{}
	var ss []site
	for i, m := range ms {
		p := pt{m.Lon, m.Lat}
		k, ok := byPt[p]
		if !ok {
			k = len(ss)
			byPt[p] = k
			ss = append(ss, site{p: p})
		}
		ss[k].markers = append(ss[k].markers, i)
	}
	for k := range ss {
		var c Class
		for _, i := range ss[k].markers {
			for _, a := range ms[i].Actors {
				if !slices.Contains(c, a) {
					c = append(c, a)
				}
			}
		}
		slices.SortFunc(c, func(a, b string) int { return actorRank(a) - actorRank(b) })
		ss[k].class = c
	}
	slices.SortFunc(ss, func(a, b site) int {
		if a.p.X != b.p.X {
			return cmpF(a.p.X, b.p.X)
		}
		return cmpF(a.p.Y, b.p.Y)
	})
	return ss
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
