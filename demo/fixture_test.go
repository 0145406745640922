package demo_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/demo"
	"truce/demo/internal/fixturegen"
)

// now is the moment the tests seed the demo at.
var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// astana returns a minimal agreement with the Astana actors and decision
// rules: enough for ResolveActor, ValidateMember and Consensus.
func astana(t *testing.T) *truce.Agreement {
	t.Helper()
	a := &truce.Agreement{
		ID: "astana-test",
		Rules: truce.Rules{
			AnswerWindow: truce.Duration(72 * time.Hour),
			Consensus: []truce.ConsensusRule{
				{State: truce.Confirmed, Confirm: "all"},
				{State: truce.Rejected, Dispute: "all"},
				{State: truce.Contested, Confirm: "any", Dispute: "any"},
				{State: truce.Pending, Window: truce.WindowOpen},
				{State: truce.Unilateral, Dispute: "none"},
				{State: truce.Contested},
			},
		},
	}
	add := func(s truce.Standing, ids ...truce.ActorID) {
		for _, id := range ids {
			a.Actors = append(a.Actors, truce.Actor{ID: id, Standing: s})
		}
	}
	add(truce.Guarantor, "RU", "IR", "TR")
	add(truce.Party, "SYG", "OPP", "FLS", "JAI", "AHS", "TSH", "JMJ", "JID", "JSH", "JAS")
	add(truce.Excluded, "ISIL", "JFS")
	add(truce.Observer, "UN", "US")
	add(truce.Other, "SDF")
	add(truce.Secretariat, "JWG")
	if err := a.Rules.Validate(); err != nil {
		t.Fatalf("Rules.Validate() = %v, want nil", err)
	}
	return a
}

func mustLoad(t *testing.T) *demo.Fixture {
	t.Helper()
	f, err := demo.Load()
	if err != nil {
		t.Fatalf("Load() = %v, want nil", err)
	}
	return f
}

// state computes the consensus of a fixture report in a demo seeded at now.
func state(t *testing.T, a *truce.Agreement, r *demo.FixtureReport) truce.State {
	t.Helper()
	filed := r.FiledAt(now)
	var xs []truce.Assessment
	for _, x := range r.Assessments {
		at := x.MadeAt(filed)
		if !at.Before(now) {
			t.Fatalf("UCDP %d: assessment by %s at %v, want before now %v", r.UCDPID, x.Organisation, at, now)
		}
		xs = append(xs, truce.Assessment{Organisation: x.Organisation, Verdict: x.Verdict, Reason: x.Reason, MadeAt: at})
	}
	return truce.Consensus(a, truce.Answers(a, r.Filer.Organisation, xs), filed, now)
}

func TestLoad(t *testing.T) {
	f := mustLoad(t)
	if got := len(f.Reports); got < 30 || got > 45 {
		t.Errorf("len(Reports) = %d, want a few dozen (30 to 45)", got)
	}
	if !strings.Contains(f.Source, "UCDP") || !strings.Contains(f.Licence, "CC BY 4.0") {
		t.Errorf("Source, Licence = %q, %q; want the UCDP citation and CC BY 4.0", f.Source, f.Licence)
	}
}

func TestReportsValidate(t *testing.T) {
	a := astana(t)
	f := mustLoad(t)
	for _, r := range f.Reports {
		t.Run(fmt.Sprint(r.UCDPID), func(t *testing.T) {
			got, err := r.Report.Validate(a, now)
			if err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if got.Perpetrator == "" {
				t.Errorf("Perpetrator = %q, want an actor", got.Perpetrator)
			}
			if got.Perpetrator == r.Filer.Organisation {
				t.Errorf("Perpetrator = %s, the filer's own organisation", got.Perpetrator)
			}
			if err := truce.ValidateMember(a, "demo member", r.Filer.Organisation, r.Filer.Role); err != nil {
				t.Errorf("ValidateMember(%s, %s) = %v, want nil", r.Filer.Organisation, r.Filer.Role, err)
			}
			if n := len([]rune(r.Report.Description)); n > 400 {
				t.Errorf("len(Description) = %d, want at most 400", n)
			}
			if want := fmt.Sprintf("UCDP GED event %d;", r.UCDPID); !strings.Contains(r.Report.Description, want) {
				t.Errorf("Description = %q, want it to cite %q", r.Report.Description, want)
			}
			for _, x := range r.Assessments {
				if !a.IsGuarantor(x.Organisation) {
					t.Errorf("assessment by %s, want only guarantors", x.Organisation)
				}
			}
		})
	}
}

func TestConsensus(t *testing.T) {
	a := astana(t)
	f := mustLoad(t)
	counts := map[truce.State]int{}
	changed := 0
	for i := range f.Reports {
		r := &f.Reports[i]
		if got := state(t, a, r); got != r.Expect {
			t.Errorf("UCDP %d: Consensus = %s, want %s", r.UCDPID, got, r.Expect)
		}
		counts[r.Expect]++
		windowOpen := r.FiledDaysAgo*24 < 72
		if r.Expect == truce.Pending && !windowOpen {
			t.Errorf("UCDP %d: pending but filed %v days ago, want under 72 hours", r.UCDPID, r.FiledDaysAgo)
		}
		if r.Expect == truce.Unilateral && windowOpen {
			t.Errorf("UCDP %d: unilateral but filed %v days ago, want over 72 hours", r.UCDPID, r.FiledDaysAgo)
		}
		if d := r.FiledDaysAgo; d < 0.5 || d > 14 {
			t.Errorf("UCDP %d: filed_days_ago = %v, want 0.5 to 14", r.UCDPID, d)
		}
		seen := map[truce.ActorID]bool{}
		for _, x := range r.Assessments {
			if seen[x.Organisation] {
				changed++
			}
			seen[x.Organisation] = true
		}
	}
	for _, s := range truce.States {
		min := 5
		if s == truce.Rejected {
			min = 2
		}
		if counts[s] < min {
			t.Errorf("%d reports %s, want at least %d", counts[s], s, min)
		}
	}
	if changed == 0 {
		t.Errorf("no guarantor changes its assessment, want at least one")
	}
	t.Logf("states: %v; changed assessments: %d", counts, changed)
}

// TestLaterAssessmentCounts checks the script's premise on a report where a
// guarantor's own monitor filed and the guarantor later disputed it.
func TestLaterAssessmentCounts(t *testing.T) {
	a := astana(t)
	f := mustLoad(t)
	for i := range f.Reports {
		r := &f.Reports[i]
		if !a.IsGuarantor(r.Filer.Organisation) {
			continue
		}
		for _, x := range r.Assessments {
			if x.Organisation == r.Filer.Organisation && x.Verdict == truce.Dispute {
				if got := state(t, a, r); got == truce.Confirmed {
					t.Errorf("UCDP %d: Consensus = %s after the filer's guarantor disputed", r.UCDPID, got)
				}
				return
			}
		}
	}
	t.Errorf("no report disputed by its filer's own guarantor, want one")
}

func TestDecodeRejects(t *testing.T) {
	const valid = `{"source":"s","licence":"l","reports":[{"ucdp_id":1,
		"filer":{"organisation":"RU","role":"guarantor"},"filed_days_ago":2,"expect":"pending",
		"report":{"occurred_at":"2018-01-01T12:00:00+02:00","lon":36,"lat":35,"event_type":"Battles",
		"sub_event_type":"Armed clash","perpetrator":"OPP","description":"d"},
		"assessments":[{"organisation":"TR","verdict":"dispute","reason":"r","after_hours":5}]}]}`
	if _, err := demo.Decode(strings.NewReader(valid)); err != nil {
		t.Fatalf("Decode(valid) = %v, want nil", err)
	}
	for _, tt := range []struct{ name, old, new string }{
		{"unknown field", `"ucdp_id":1,`, `"ucdp_id":1,"extra":true,`},
		{"assessment after now", `"after_hours":5`, `"after_hours":48`},
		{"dispute without reason", `"reason":"r",`, ``},
		{"unknown verdict", `"dispute"`, `"maybe"`},
		{"role may not file", `"guarantor"`, `"observer"`},
		{"unknown state", `"pending"`, `"open"`},
		{"no coordinates", `"lon":36,`, ``},
		{"trailing data", `]}]}`, `]}]}{}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(valid, tt.old, tt.new, 1)
			if in == valid {
				t.Fatalf("replacing %q changed nothing", tt.old)
			}
			if _, err := demo.Decode(strings.NewReader(in)); err == nil {
				t.Errorf("Decode() = nil, want an error")
			}
		})
	}
}

// TestFixtureIsGenerated checks that fixture.json is exactly what the
// generator makes from the shared UCDP file, when that file is at hand.
func TestFixtureIsGenerated(t *testing.T) {
	shared := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, fixturegen.UCDPFile)); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	want, err := fixturegen.Generate(shared)
	if err != nil {
		t.Fatalf("Generate() = %v, want nil", err)
	}
	got, err := os.ReadFile("fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fixture.json differs from the generator's output; run go run ./demo/internal/gen -shared ../shared -out demo/fixture.json")
	}
}
