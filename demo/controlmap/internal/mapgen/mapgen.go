// Package mapgen draws the demo's control map of mid-2017
// (demo/controlmap/control-2017.geojson) from the map markers of
// Wikipedia's "Syrian Civil War detailed map" as transcribed in the shared
// data: the Voronoi cell of every marker, merged by who holds it, clipped
// to Syria's outline. Everything is deterministic: the same files give the
// same bytes. demo/controlmap/METHOD.md says how and with what limits.
package mapgen

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The attribution every area carries.
const (
	ValidFrom = "2017-07-01"
	Source    = "Voronoi areas of the markers of Wikipedia's \"Module:Syrian Civil War detailed map\" (mid-2017, " +
		"best estimate July 2017; Wikipedia contributors, CC BY-SA 4.0), clipped to the Natural Earth 10m " +
		"outline of Syria (public domain); an approximation of control, see demo/controlmap/METHOD.md"
	Licence = "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
)

// Area is one area of the map: everything one class holds, as polygons of
// rings in micro-degrees (a shell counter-clockwise, then its holes
// clockwise; rings not closed).
type Area struct {
	Class    Class
	Markers  int
	Polygons [][][]ipt
}

// Stats says what went into the map and what came out.
type Stats struct {
	Markers    int            // markers used
	Skipped    Skipped        // markers left out, by reason
	ByClass    map[string]int // markers used, by class key
	Sites      int            // distinct marker locations
	Shared     int            // locations with more than one marker
	Disagree   []string       // locations whose markers disagree (made contested)
	Boundaries int            // Voronoi edges between classes
	Areas      int
	Polygons   int
	Holes      int
	Vertices   int // without the closing points
	Own        OwnCheck
}

// OwnCheck is the share of sole-control settlement markers whose own
// location lies in an area of their controller.
type OwnCheck struct {
	Total, Hit int
	Misses     map[string]int // by where the marker's location fell
}

// Generate reads the markers and the outline under the shared directory and
// returns the map as GeoJSON.
func Generate(shared string) ([]byte, *Stats, error) {
	mf, err := os.Open(filepath.Join(shared, MarkersFile))
	if err != nil {
		return nil, nil, err
	}
	defer mf.Close()
	ms, skipped, err := ReadMarkers(mf)
	if err != nil {
		return nil, nil, err
	}
	of, err := os.Open(filepath.Join(shared, OutlineFile))
	if err != nil {
		return nil, nil, err
	}
	defer of.Close()
	outline, err := ReadOutline(of)
	if err != nil {
		return nil, nil, err
	}
	areas, st, err := Build(ms, outline)
	if err != nil {
		return nil, nil, err
	}
	st.Skipped = skipped
	return Encode(areas), st, nil
}

// Build draws the areas of the markers within the outline.
func Build(ms []Marker, outline []pt) ([]Area, *Stats, error) {
	st := &Stats{Markers: len(ms), ByClass: map[string]int{}}
	ss := sites(ms)
	st.Sites = len(ss)

	// Classes, in output order, and each site's.
	var classes []Class
	for _, s := range ss {
		if !slices.ContainsFunc(classes, func(c Class) bool { return compareClasses(c, s.class) == 0 }) {
			classes = append(classes, s.class)
		}
	}
	slices.SortFunc(classes, compareClasses)
	classOf := make([]int, len(ss))
	markers := make([]int, len(classes))
	pts := make([]pt, len(ss))
	for i, s := range ss {
		classOf[i] = slices.IndexFunc(classes, func(c Class) bool { return compareClasses(c, s.class) == 0 })
		markers[classOf[i]] += len(s.markers)
		st.ByClass[s.class.Key()] += len(s.markers)
		pts[i] = s.p
		if len(s.markers) > 1 {
			st.Shared++
			agree := true
			for _, m := range s.markers {
				agree = agree && ms[m].ControlType == "sole" && ms[m].Actors[0] == s.class[0] && len(s.class) == 1
			}
			if !agree {
				var names []string
				for _, m := range s.markers {
					names = append(names, fmt.Sprintf("%d %s (%s)", ms[m].ID, ms[m].Label, strings.Join(ms[m].Actors, "/")))
				}
				st.Disagree = append(st.Disagree, strings.Join(names, " + "))
			}
		}
	}

	tr, err := delaunay(pts)
	if err != nil {
		return nil, nil, err
	}
	if err := tr.check(); err != nil {
		return nil, nil, err
	}
	segs := boundaries(tr, classOf)
	st.Boundaries = len(segs)
	nearest := func(p pt) int { // only when no boundary crosses the outline
		best, bd := 0, math.Inf(1)
		for i, q := range pts {
			if d := math.Hypot(p.X-q.X, p.Y-q.Y); d < bd {
				best, bd = i, d
			}
		}
		return classOf[best]
	}
	edges, err := clip(segs, outline, nearest)
	if err != nil {
		return nil, nil, err
	}
	byClass, err := stitch(edges, len(classes))
	if err != nil {
		return nil, nil, err
	}

	// Round, clean and check all rings together: they share their points.
	var all [][]ipt
	var owner []int
	for c, rings := range byClass {
		for _, r := range rings {
			ir := make([]ipt, len(r))
			for i, p := range r {
				ir[i] = toMicro(p)
			}
			for _, x := range clean(ir) {
				all = append(all, x)
				owner = append(owner, c)
			}
		}
	}
	all = dropStraight(all)
	if err := checkNoding(all); err != nil {
		return nil, nil, err
	}
	var areas []Area
	for c, cl := range classes {
		var rings [][]ipt
		for i, r := range all {
			if owner[i] == c {
				rings = append(rings, startAtMin(r))
			}
		}
		if len(rings) == 0 {
			continue // every cell of the class is outside the outline
		}
		polys, err := polygons(rings)
		if err != nil {
			return nil, nil, err
		}
		areas = append(areas, Area{Class: cl, Markers: markers[c], Polygons: polys})
		st.Areas++
		for _, p := range polys {
			st.Polygons++
			st.Holes += len(p) - 1
			for _, r := range p {
				st.Vertices += len(r)
			}
		}
	}
	st.Own = ownCheck(ms, ss, areas)
	return areas, st, nil
}

// ownCheck finds, for every sole-control settlement marker, the area its
// own location lies in.
func ownCheck(ms []Marker, ss []site, areas []Area) OwnCheck {
	oc := OwnCheck{Misses: map[string]int{}}
	shared := map[pt]bool{}
	for _, s := range ss {
		if len(s.class) > 1 {
			shared[s.p] = true
		}
	}
	for _, m := range ms {
		if m.Feature != "settlement" || m.ControlType != "sole" {
			continue
		}
		oc.Total++
		p := toMicro(pt{m.Lon, m.Lat})
		var in []string
		for _, a := range areas {
			for _, poly := range a.Polygons {
				if locate(p, poly[0]) != outside && !slices.ContainsFunc(poly[1:], func(h []ipt) bool { return locate(p, h) == inside }) {
					in = append(in, a.Class.Key())
				}
			}
		}
		switch {
		case slices.Contains(in, m.Actors[0]):
			oc.Hit++
		case len(in) == 0:
			oc.Misses["outside the outline"]++
		case shared[pt{m.Lon, m.Lat}]:
			oc.Misses["location shared with a marker of another side: contested"]++
		default:
			oc.Misses["in another area ("+strings.Join(in, ",")+")"]++
		}
	}
	return oc
}
