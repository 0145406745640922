package truce_test

import (
	"fmt"
	"testing"
	"time"

	"truce"
	"truce/internal/trucetest"
)

// astanaRules are the decision rules of the Astana agreement, as the
// shipped agreements/astana-2017.yaml writes them.
func astanaRules() truce.Rules { return trucetest.Agreement().Rules }

// testAgreement is a minimal agreement: three guarantors, two parties, an
// excluded group, an observer and a secretariat.
func testAgreement() *truce.Agreement { return trucetest.Agreement() }

// oracle is the rule of the agreement as its text states it, written
// independently of the rule evaluator: confirmed when all three guarantors
// confirm, rejected when all three dispute, contested when at least one
// confirms and one disputes, pending within 72 hours otherwise, unilateral
// after them with no dispute, and contested after them when disputed by
// some and confirmed by none.
func oracle(t truce.Tally, open bool) truce.State {
	confirm, dispute := 0, 0
	for _, g := range []truce.ActorID{"RU", "IR", "TR"} {
		switch t[g] {
		case truce.Confirm:
			confirm++
		case truce.Dispute:
			dispute++
		}
	}
	switch {
	case confirm == 3:
		return truce.Confirmed
	case dispute == 3:
		return truce.Rejected
	case confirm >= 1 && dispute >= 1:
		return truce.Contested
	case open:
		return truce.Pending
	case dispute == 0:
		return truce.Unilateral
	}
	return truce.Contested
}

// TestDecideEveryTally checks Decide against the oracle for every
// combination of the three guarantors' answers (none, confirm, dispute,
// cannot verify), with the window open and closed.
func TestDecideEveryTally(t *testing.T) {
	a := testAgreement()
	answers := []truce.Verdict{"", truce.Confirm, truce.Dispute, truce.CannotVerify}
	seen := map[truce.State]bool{}
	for _, ru := range answers {
		for _, ir := range answers {
			for _, tr := range answers {
				tally := truce.Tally{}
				for g, v := range map[truce.ActorID]truce.Verdict{"RU": ru, "IR": ir, "TR": tr} {
					if v != "" {
						tally[g] = v
					}
				}
				for _, open := range []bool{true, false} {
					got := a.Rules.Decide(a.Guarantors(), tally, open)
					if want := oracle(tally, open); got != want {
						t.Errorf("Decide(%v, open=%v) = %s, want %s", tally, open, got, want)
					}
					seen[got] = true
				}
			}
		}
	}
	for _, s := range truce.States {
		if !seen[s] {
			t.Errorf("no tally gives %s", s)
		}
	}
}

// TestConsensus walks reports through actions in order: filing, each
// guarantor's assessments (including changes of mind), and the clock
// passing the 72-hour deadline.
func TestConsensus(t *testing.T) {
	a := testAgreement()
	filed := time.Date(2017, 1, 5, 12, 0, 0, 0, time.UTC)
	deadline := filed.Add(72 * time.Hour)
	type step struct {
		org     truce.ActorID
		verdict truce.Verdict
	}
	for _, tc := range []struct {
		name  string
		filer truce.ActorID
		steps []step
		now   time.Time
		want  truce.State
	}{
		{"party files, no answer yet", "OPP", nil, filed, truce.Pending},
		{"party files, silence past the deadline", "OPP", nil, deadline, truce.Unilateral},
		{"guarantor files, counts as its confirmation", "RU", nil, filed.Add(time.Hour), truce.Pending},
		{"guarantor files, others confirm", "RU", []step{{"IR", truce.Confirm}, {"TR", truce.Confirm}}, filed.Add(time.Hour), truce.Confirmed},
		{"three confirmations", "OPP", []step{{"RU", truce.Confirm}, {"IR", truce.Confirm}, {"TR", truce.Confirm}}, filed.Add(time.Hour), truce.Confirmed},
		{"confirmed stays confirmed after the deadline", "OPP", []step{{"RU", truce.Confirm}, {"IR", truce.Confirm}, {"TR", truce.Confirm}}, deadline.Add(time.Hour), truce.Confirmed},
		{"three disputes", "SYG", []step{{"RU", truce.Dispute}, {"IR", truce.Dispute}, {"TR", truce.Dispute}}, filed.Add(time.Hour), truce.Rejected},
		{"confirm and dispute", "OPP", []step{{"TR", truce.Confirm}, {"RU", truce.Dispute}}, filed.Add(time.Hour), truce.Contested},
		{"guarantor's filing and another's dispute", "TR", []step{{"RU", truce.Dispute}}, filed.Add(time.Hour), truce.Contested},
		{"two confirm, one cannot verify, window open", "OPP", []step{{"RU", truce.Confirm}, {"IR", truce.Confirm}, {"TR", truce.CannotVerify}}, filed.Add(time.Hour), truce.Pending},
		{"two confirm, one cannot verify, window closed", "OPP", []step{{"RU", truce.Confirm}, {"IR", truce.Confirm}, {"TR", truce.CannotVerify}}, deadline, truce.Unilateral},
		{"one confirm, silence, one nanosecond before the deadline", "OPP", []step{{"TR", truce.Confirm}}, deadline.Add(-time.Nanosecond), truce.Pending},
		{"one confirm, silence, at the deadline", "OPP", []step{{"TR", truce.Confirm}}, deadline, truce.Unilateral},
		{"one dispute, no confirmation, window open", "OPP", []step{{"RU", truce.Dispute}}, filed.Add(time.Hour), truce.Pending},
		{"one dispute, no confirmation, window closed", "OPP", []step{{"RU", truce.Dispute}}, deadline, truce.Contested},
		{"two disputes, one silent, window closed", "OPP", []step{{"RU", truce.Dispute}, {"IR", truce.Dispute}}, deadline, truce.Contested},
		{"all cannot verify, window closed", "OPP", []step{{"RU", truce.CannotVerify}, {"IR", truce.CannotVerify}, {"TR", truce.CannotVerify}}, deadline, truce.Unilateral},
		{"dispute withdrawn: latest answer counts", "OPP", []step{{"RU", truce.Dispute}, {"TR", truce.Confirm}, {"RU", truce.Confirm}, {"IR", truce.Confirm}}, filed.Add(time.Hour), truce.Confirmed},
		{"confirmation withdrawn: latest answer counts", "OPP", []step{{"RU", truce.Confirm}, {"IR", truce.Confirm}, {"TR", truce.Confirm}, {"TR", truce.Dispute}}, filed.Add(time.Hour), truce.Contested},
		{"guarantor disputes its own filing", "RU", []step{{"RU", truce.Dispute}, {"IR", truce.Dispute}, {"TR", truce.Dispute}}, filed.Add(time.Hour), truce.Rejected},
		{"answers of non-guarantors do not count", "OPP", []step{{"SYG", truce.Dispute}, {"UN", truce.Confirm}}, deadline, truce.Unilateral},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var as []truce.Assessment
			for i, s := range tc.steps {
				as = append(as, truce.Assessment{Organisation: s.org, Verdict: s.verdict, Entry: int64(i + 1)})
			}
			tally := truce.Answers(a, tc.filer, as)
			if got := truce.Consensus(a, tally, filed, tc.now); got != tc.want {
				t.Errorf("Consensus(%v, now=filed%+v) = %s, want %s", tally, tc.now.Sub(filed), got, tc.want)
			}
		})
	}
}

func TestQuantity(t *testing.T) {
	for _, tc := range []struct {
		q            truce.Quantity
		count, total int
		want         bool
	}{
		{"", 0, 3, true}, {"all", 3, 3, true}, {"all", 2, 3, false}, {"none", 0, 3, true}, {"none", 1, 3, false},
		{"any", 1, 3, true}, {"any", 0, 3, false}, {"not_all", 2, 3, true}, {"not_all", 3, 3, false},
		{"2", 2, 3, true}, {"2", 3, 3, false}, {">=2", 3, 3, true}, {">=2", 1, 3, false}, {"<=1", 1, 3, true}, {"<=1", 2, 3, false},
	} {
		if got := tc.q.Holds(tc.count, tc.total); got != tc.want {
			t.Errorf("Quantity(%q).Holds(%d, %d) = %v, want %v", tc.q, tc.count, tc.total, got, tc.want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	ok := astanaRules()
	if err := ok.Validate(); err != nil {
		t.Fatalf("astana rules: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *truce.Rules)
		field string
	}{
		{"no window", func(r *truce.Rules) { r.AnswerWindow = 0 }, "rules.answer_window"},
		{"window over a year", func(r *truce.Rules) { r.AnswerWindow = truce.Duration(400 * 24 * time.Hour) }, "rules.answer_window"},
		{"no rules", func(r *truce.Rules) { r.Consensus = nil }, "rules.consensus"},
		{"unknown state", func(r *truce.Rules) { r.Consensus[0].State = "agreed" }, "rules.consensus[0].state"},
		{"unknown window", func(r *truce.Rules) { r.Consensus[3].Window = "shut" }, "rules.consensus[3].window"},
		{"bad quantity", func(r *truce.Rules) { r.Consensus[0].Confirm = "most" }, "rules.consensus[0].confirm"},
		{"conditional last rule", func(r *truce.Rules) { r.Consensus[5].Dispute = "any" }, "rules.consensus[5]"},
		{"zone approval by none", func(r *truce.Rules) { r.ZoneApproval = "none" }, "rules.zone_approval"},
		{"zone approval exactly", func(r *truce.Rules) { r.ZoneApproval = "2" }, "rules.zone_approval"},
		{"zone approval at most", func(r *truce.Rules) { r.ZoneApproval = "<=2" }, "rules.zone_approval"},
		{"zone approval by zero", func(r *truce.Rules) { r.ZoneApproval = ">=0" }, "rules.zone_approval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := astanaRules()
			tc.edit(&r)
			err := r.Validate()
			if got := truce.ErrorField(err); got != tc.field {
				t.Errorf("Validate() field = %q (%v), want %q", got, err, tc.field)
			}
		})
	}
}

func TestZoneApproved(t *testing.T) {
	for _, tc := range []struct {
		q            truce.Quantity
		count, total int
		want         bool
	}{
		{"", 2, 3, false}, {"", 3, 3, true}, {"all", 2, 3, false}, {"all", 3, 3, true},
		{"any", 0, 3, false}, {"any", 1, 3, true}, {">=2", 1, 3, false}, {">=2", 2, 3, true}, {">=2", 3, 3, true},
	} {
		r := truce.Rules{ZoneApproval: tc.q}
		if got := r.ZoneApproved(tc.count, tc.total); got != tc.want {
			t.Errorf("Rules{ZoneApproval: %q}.ZoneApproved(%d, %d) = %v, want %v", tc.q, tc.count, tc.total, got, tc.want)
		}
	}
}

func ExampleConsensus() {
	a := testAgreement()
	filed := time.Date(2017, 1, 5, 12, 0, 0, 0, time.UTC)
	as := []truce.Assessment{{Organisation: "IR", Verdict: truce.Confirm}}
	tally := truce.Answers(a, "RU", as) // filed by Russia: its own confirmation
	for _, h := range []int{1, 71, 72} {
		fmt.Printf("%2dh: %s\n", h, truce.Consensus(a, tally, filed, filed.Add(time.Duration(h)*time.Hour)))
	}
	// Output:
	//  1h: pending
	// 71h: pending
	// 72h: unilateral
}

func TestHashSlot(t *testing.T) {
	// Walk a tree as tlog stores it: leaf i adds HashesAdded(i) hashes at
	// consecutive stored-hash indexes, each of which HashSlot must place.
	next := int64(0)
	for leaf := int64(0); leaf < 1000; leaf++ {
		for pos := 0; pos < truce.HashesAdded(leaf); pos++ {
			if l, p := truce.HashSlot(next); l != leaf || p != pos {
				t.Fatalf("HashSlot(%d) = %d, %d, want %d, %d", next, l, p, leaf, pos)
			}
			next++
		}
	}
}
