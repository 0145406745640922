// Command gen writes the demo fixture from the shared UCDP data:
//
//	go run ./demo/internal/gen -shared ../shared -out demo/fixture.json
//
// The logic is in package fixturegen, which the demo's tests also run to
// check that the committed fixture is what the generator makes.
package main

import (
	"flag"
	"fmt"
	"os"

	"truce/demo/internal/fixturegen"
)

func main() {
	shared := flag.String("shared", "../shared", "the shared directory holding data/events_ucdp")
	out := flag.String("out", "demo/fixture.json", "the fixture file to write")
	flag.Parse()
	b, err := fixturegen.Generate(*shared)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
