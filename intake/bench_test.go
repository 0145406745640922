package intake_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
	"time"

	"truce/intake"
	"truce/internal/trucetest"
)

// corpusSize is the number of documents in the synthetic corpus.
const corpusSize = 10000

var parenCount = regexp.MustCompile(`\((\d+)\)`)

// syntheticCorpus builds n bulletins from the shared rows' quotes (every
// row of a side with a breakdown, dated or not, each quote once): each document is a quote with a
// dateline of a random day of 2016–2021 and its bracketed counts drawn
// anew, so that no two documents are alike. The same seed gives the same
// corpus.
func syntheticCorpus(tb testing.TB, n int, seed uint64) []string {
	tb.Helper()
	seen := map[string]bool{}
	var quotes []string
	for _, r := range rrcRowsAll(tb) {
		if !seen[r] {
			seen[r] = true
			quotes = append(quotes, r)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]string, n)
	for i := range docs {
		q := quotes[i%len(quotes)]
		q = parenCount.ReplaceAllStringFunc(q, func(string) string { return "(" + strconv.Itoa(1+rng.IntN(40)) + ")" })
		day := start.AddDate(0, 0, rng.IntN(6*365))
		docs[i] = fmt.Sprintf("MOSCOW, %s. %s", day.Format("January 2, 2006"), q)
	}
	return docs
}

// rrcRowsAll returns the quote of every row of the shared file.
func rrcRowsAll(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, r := range append(trucetest.RRCRows(tb, false), trucetest.RRCRows(tb, true)...) {
		out = append(out, r.Quote)
	}
	if len(out) == 0 {
		tb.Skip("no rows")
	}
	return out
}

// TestSyntheticCorpus: every document of the corpus reads as a bulletin
// of its dateline's date with at least one side.
func TestSyntheticCorpus(t *testing.T) {
	opt := rrcOptions(astana(t))
	for i, d := range syntheticCorpus(t, 500, 1) {
		doc, err := intake.Read(d, opt)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != intake.KindBulletin || len(doc.Sides) == 0 || doc.Date == "" || doc.DateSpan == nil {
			t.Fatalf("document %d reads as %s with %d sides, date %q: %s", i, doc.Kind, len(doc.Sides), doc.Date, d)
		}
	}
}

// BenchmarkReadCorpus reads the 10,000 documents of the synthetic corpus
// per operation and reports documents per second:
//
//	go test ./intake -run '^$' -bench ReadCorpus -count 5
func BenchmarkReadCorpus(b *testing.B) {
	docs := syntheticCorpus(b, corpusSize, 1)
	opt := rrcOptions(astana(b))
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d))
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		for _, d := range docs {
			if _, err := intake.Read(d, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(docs))/time.Since(start).Seconds(), "docs/s")
}
