// Command gen writes the reference geography that package places embeds,
// from the source files under ../shared/data:
//
//	go run ./places/internal/gen -shared ../shared
//
// It is run by hand when a source changes, and its outputs are committed.
// Its test checks that the committed files are byte for byte what it writes
// (and skips when ../shared is not there). What it changes in the sources —
// properties reduced, coordinates rounded, Polygons written as MultiPolygons
// — is listed in places/data/ATTRIBUTION.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	shared := flag.String("shared", "../shared", "the shared folder, holding data/admin_boundaries and data/gazetteer")
	out := flag.String("out", filepath.Join("places", "data"), "where to write the files")
	flag.Parse()

	files, report, err := generate(filepath.Join(*shared, "data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(*out, name)
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Printf("%-24s %9d bytes\n", path, len(files[name]))
	}
	for _, line := range report {
		fmt.Println(line)
	}
}
