package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"truce"
	"truce/agreements"
)

func TestPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(i + 1) // 1ms … 100ms
	}
	thousand := make([]time.Duration, 1000)
	for i := range thousand {
		thousand[i] = ms(i + 1)
	}
	for _, tt := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one p0", []time.Duration{ms(7)}, 0, ms(7)},
		{"one p99.9", []time.Duration{ms(7)}, 99.9, ms(7)},
		{"two p50", []time.Duration{ms(1), ms(9)}, 50, ms(1)},
		{"two p51", []time.Duration{ms(1), ms(9)}, 51, ms(9)},
		{"100 p0", hundred, 0, ms(1)},
		{"100 p50", hundred, 50, ms(50)},
		{"100 p90", hundred, 90, ms(90)},
		{"100 p99", hundred, 99, ms(99)},
		{"100 p99.9", hundred, 99.9, ms(100)},
		{"100 p100", hundred, 100, ms(100)},
		{"1000 p99", thousand, 99, ms(990)},
		{"1000 p99.9", thousand, 99.9, ms(999)},
		{"1000 p99.95", thousand, 99.95, ms(1000)},
	} {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("%s: percentile(%d samples, %v) = %v, want %v", tt.name, len(tt.sorted), tt.p, got, tt.want)
		}
	}
}

func TestSummarise(t *testing.T) {
	// Two clients' samples, unsorted and interleaved: the percentiles are
	// taken over all of them.
	var a, b []time.Duration
	for i := 1; i <= 1000; i++ {
		if i%3 == 0 {
			a = append(a, time.Duration(i)*time.Millisecond)
		} else {
			b = append([]time.Duration{time.Duration(i) * time.Millisecond}, b...)
		}
	}
	r := &result{Window: 2, Measured: 1000}
	r.summarise([][]time.Duration{a, b})
	if r.P50 != ms(500*time.Millisecond) || r.P99 != ms(990*time.Millisecond) || r.Max != ms(time.Second) {
		t.Errorf("summarise: p50 %v p99 %v max %v, want 500ms 990ms 1000ms", r.P50, r.P99, r.Max)
	}
	if r.Rate != 500 || r.Met {
		t.Errorf("summarise: rate %v met %v, want 500 and not met", r.Rate, r.Met)
	}
	r = &result{Window: 1, Measured: 2000}
	r.summarise([][]time.Duration{slices.Repeat([]time.Duration{49 * time.Millisecond}, 2000)})
	if !r.Met {
		t.Errorf("2000/s at p99 49ms: target not met, want met")
	}
}

func TestBodiesDeterministic(t *testing.T) {
	x, y, z := bodies(7, 200), bodies(7, 200), bodies(8, 200)
	differ := 0
	for i := range x {
		if !bytes.Equal(x[i], y[i]) {
			t.Fatalf("bodies(7)[%d] differs between calls:\n%s\n%s", i, x[i], y[i])
		}
		if !bytes.Equal(x[i], z[i]) {
			differ++
		}
	}
	if differ < 190 {
		t.Errorf("seeds 7 and 8 give %d of 200 different bodies, want nearly all", differ)
	}
}

func TestBodiesValidate(t *testing.T) {
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	descs := map[string]bool{}
	perps := map[string]bool{}
	events := map[string]bool{}
	for i, b := range bodies(1, 2000) {
		var in truce.ReportInput
		if err := json.Unmarshal(b, &in); err != nil {
			t.Fatalf("body %d: %v\n%s", i, err, b)
		}
		r, err := in.Validate(a, now)
		if err != nil {
			t.Fatalf("body %d: Validate: %v\n%s", i, err, b)
		}
		if r.Lon < 35.8 || r.Lon > 42.0 || r.Lat < 32.5 || r.Lat > 37.0 {
			t.Errorf("body %d: lon %v lat %v, want inside Syria", i, r.Lon, r.Lat)
		}
		if !r.OccurredAt.Before(now) {
			t.Errorf("body %d: occurred at %v, want in the past", i, r.OccurredAt)
		}
		if n := utf8.RuneCountInString(in.Description); n < 150 || n > 250 {
			t.Errorf("body %d: description of %d characters, want 150–250: %q", i, n, in.Description)
		}
		descs[in.Description] = true
		perps[string(r.Perpetrator)] = true
		events[r.SubEventType] = true
	}
	if len(descs) < 1900 || len(perps) < 5 || len(events) < 5 {
		t.Errorf("2000 bodies: %d descriptions, %d perpetrators, %d sub-event types; want them varied", len(descs), len(perps), len(events))
	}
}

func TestLoopbackBase(t *testing.T) {
	for addr, want := range map[string]string{
		"http://127.0.0.1:8080":  "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/": "http://127.0.0.1:8080",
		"127.0.0.2:9000":         "http://127.0.0.2:9000",
		"http://localhost:8080":  "http://localhost:8080",
		"http://[::1]:8080":      "http://[::1]:8080",
		"http://10.0.0.1:8080":   "",
		"http://example.org":     "",
		"http://0.0.0.0:8080":    "",
		"ftp://127.0.0.1":        "",
		"http://127.0.0.1/api":   "",
	} {
		got, err := loopbackBase(addr)
		if want == "" && err == nil {
			t.Errorf("loopbackBase(%q) = %q, want an error", addr, got)
		} else if want != "" && (err != nil || got != want) {
			t.Errorf("loopbackBase(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
