// Command gen draws the demo's control map of mid-2017 from the shared
// markers and outline:
//
//	go run ./demo/controlmap/internal/gen -shared ../shared -out demo/controlmap/control-2017.geojson
//
// The logic is in package mapgen, which the map's tests also run to check
// that the committed file is what the generator makes. A summary goes to
// standard error.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"truce/demo/controlmap/internal/mapgen"
)

func main() {
	shared := flag.String("shared", "../shared", "the shared directory holding data/territorial_control and data/admin_boundaries")
	out := flag.String("out", "demo/controlmap/control-2017.geojson", "the GeoJSON file to write")
	flag.Parse()
	start := time.Now()
	b, st, err := mapgen.Generate(*shared)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	w := os.Stderr
	fmt.Fprintf(w, "markers used %d at %d sites (%d shared by several markers)\n", st.Markers, st.Sites, st.Shared)
	for _, k := range sortedKeys(st.ByClass) {
		fmt.Fprintf(w, "  %-10s %5d\n", k, st.ByClass[k])
	}
	for _, k := range sortedKeys(st.Skipped) {
		fmt.Fprintf(w, "skipped %-40s %5d\n", k, st.Skipped[k])
	}
	for _, d := range st.Disagree {
		fmt.Fprintf(w, "markers disagree at one point (made contested): %s\n", d)
	}
	fmt.Fprintf(w, "Voronoi edges between classes %d\n", st.Boundaries)
	fmt.Fprintf(w, "areas %d, polygons %d, holes %d, vertices %d, %d bytes\n", st.Areas, st.Polygons, st.Holes, st.Vertices, len(b))
	fmt.Fprintf(w, "sole settlement markers in their controller's area: %d/%d = %.2f%%\n",
		st.Own.Hit, st.Own.Total, 100*float64(st.Own.Hit)/float64(st.Own.Total))
	for _, k := range sortedKeys(st.Own.Misses) {
		fmt.Fprintf(w, "  miss: %-60s %4d\n", k, st.Own.Misses[k])
	}
	fmt.Fprintf(w, "took %v\n", time.Since(start).Round(time.Millisecond))
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
