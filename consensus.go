package truce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// State is the consensus state of a report.
type State string

const (
	Pending    State = "pending"    // within the answer window, no decision yet
	Confirmed  State = "confirmed"  // the guarantors agree it happened
	Rejected   State = "rejected"   // the guarantors agree it did not
	Contested  State = "contested"  // the guarantors disagree
	Unilateral State = "unilateral" // the window closed without the answers a decision needs
)

// States lists every consensus state.
var States = []State{Pending, Confirmed, Rejected, Contested, Unilateral}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return oneOf(s, States) }

// Window conditions of a consensus rule.
const (
	WindowAny    = ""       // the rule holds whatever the clock says
	WindowOpen   = "open"   // only before the answer window closes
	WindowClosed = "closed" // only once it has closed
)

// Rules are an agreement's decision rules, as data. The answers that count
// are each guarantor's latest verdict on a report; a report filed by a
// member of a guarantor's organisation counts as that guarantor's
// confirmation until the guarantor assesses it otherwise.
type Rules struct {
	// AnswerWindow is how long guarantors have to answer a report, from the
	// moment it was filed.
	AnswerWindow Duration `json:"answer_window"`
	// Consensus is evaluated in order; the first rule that holds gives the
	// state. The last rule MUST have no conditions, so that every report has
	// a state.
	Consensus []ConsensusRule `json:"consensus"`
	// ZoneApproval is how many guarantors must approve a zone before it is
	// on the map: "all" (the default when empty), "any", or ">=N".
	ZoneApproval Quantity `json:"zone_approval,omitempty"`
}

// ZoneApproved reports whether approvals by count of total guarantors put
// a zone on the map under the rules. Approvals only grow, so a rule that
// held once holds on.
func (r *Rules) ZoneApproved(count, total int) bool {
	if count == 0 {
		return false
	}
	if r.ZoneApproval == "" {
		return count >= total
	}
	op, n, _ := r.ZoneApproval.parse()
	switch op {
	case "all":
		return count >= total
	case "any":
		return true
	}
	return count >= n
}

// ConsensusRule gives State when every condition it sets holds. Counts are
// over the agreement's guarantors: how many confirm, dispute, cannot verify,
// or have given no answer at all (silent).
type ConsensusRule struct {
	State        State    `json:"state"`
	Window       string   `json:"window,omitempty"`
	Confirm      Quantity `json:"confirm,omitempty"`
	Dispute      Quantity `json:"dispute,omitempty"`
	CannotVerify Quantity `json:"cannot_verify,omitempty"`
	Silent       Quantity `json:"silent,omitempty"`
}

// Quantity is a condition on a count of guarantors, written as one of:
// "all", "none", "any" (at least one), "not_all", "N" (exactly N), ">=N",
// "<=N". The empty quantity sets no condition.
type Quantity string

// Holds reports whether count, out of total guarantors, meets q.
func (q Quantity) Holds(count, total int) bool {
	op, n, _ := q.parse()
	switch op {
	case "":
		return true
	case "all":
		return count == total
	case "none":
		return count == 0
	case "any":
		return count > 0
	case "not_all":
		return count < total
	case "=":
		return count == n
	case ">=":
		return count >= n
	case "<=":
		return count <= n
	}
	return false
}

func (q Quantity) parse() (op string, n int, err error) {
	s := string(q)
	switch s {
	case "", "all", "none", "any", "not_all":
		return s, 0, nil
	}
	op = "="
	if strings.HasPrefix(s, ">=") || strings.HasPrefix(s, "<=") {
		op, s = s[:2], s[2:]
	}
	n, err = strconv.Atoi(s)
	if err != nil || n < 0 || n > 1000 || strconv.Itoa(n) != s {
		return "", 0, fmt.Errorf("%q is not all, none, any, not_all, N, >=N or <=N", string(q))
	}
	return op, n, nil
}

// Validate checks the rules: a positive window of at most a year, known
// states and conditions, and a last rule without conditions.
func (r *Rules) Validate() error {
	if r.AnswerWindow <= 0 || time.Duration(r.AnswerWindow) > 366*24*time.Hour {
		return Invalidf("rules.answer_window", "must be a positive duration of at most 366 days, such as 72h")
	}
	if len(r.Consensus) == 0 {
		return Invalidf("rules.consensus", "at least one rule is required")
	}
	if len(r.Consensus) > 64 {
		return Invalidf("rules.consensus", "at most 64 rules")
	}
	if q := r.ZoneApproval; q != "" {
		op, n, err := q.parse()
		if err != nil || !(op == "all" || op == "any" || op == ">=" && n >= 1) {
			return Invalidf("rules.zone_approval", "%q is not all, any or >=N with N at least 1", string(q))
		}
	}
	for i, c := range r.Consensus {
		field := fmt.Sprintf("rules.consensus[%d]", i)
		if !c.State.Valid() {
			return Invalidf(field+".state", "%q is not one of %v", c.State, States)
		}
		if c.Window != WindowAny && c.Window != WindowOpen && c.Window != WindowClosed {
			return Invalidf(field+".window", "%q is not open or closed", c.Window)
		}
		for _, q := range c.quantities() {
			if _, _, err := q.q.parse(); err != nil {
				return Invalidf(field+"."+q.name, "%v", err)
			}
		}
	}
	if last := r.Consensus[len(r.Consensus)-1]; last != (ConsensusRule{State: last.State}) {
		return Invalidf(fmt.Sprintf("rules.consensus[%d]", len(r.Consensus)-1), "the last rule must have no conditions, so that every report has a state")
	}
	return nil
}

type namedQuantity struct {
	name string
	q    Quantity
}

// quantities returns the rule's conditions on counts, in a fixed order.
func (c *ConsensusRule) quantities() []namedQuantity {
	return []namedQuantity{{"confirm", c.Confirm}, {"dispute", c.Dispute}, {"cannot_verify", c.CannotVerify}, {"silent", c.Silent}}
}

// validateCounts checks that no quantity asks for more guarantors than
// there are: such a rule could never hold.
func (r *Rules) validateCounts(guarantors int) error {
	if _, n, _ := r.ZoneApproval.parse(); n > guarantors {
		return Invalidf("rules.zone_approval", "%q asks for more than the %d guarantors there are", r.ZoneApproval, guarantors)
	}
	for i, c := range r.Consensus {
		for _, q := range c.quantities() {
			if _, n, _ := q.q.parse(); n > guarantors {
				return Invalidf(fmt.Sprintf("rules.consensus[%d].%s", i, q.name), "%q asks for more than the %d guarantors there are", q.q, guarantors)
			}
		}
	}
	return nil
}

// Verdict is a guarantor's answer to a report.
type Verdict string

const (
	Confirm      Verdict = "confirm"
	Dispute      Verdict = "dispute"
	CannotVerify Verdict = "cannot_verify"
)

// Verdicts lists every verdict.
var Verdicts = []Verdict{Confirm, Dispute, CannotVerify}

// Valid reports whether v is a known verdict.
func (v Verdict) Valid() bool { return oneOf(v, Verdicts) }

// Tally is each guarantor's current answer to one report.
type Tally map[ActorID]Verdict

// Answers computes the tally of a report: the filer's organisation, when it
// is a guarantor, confirms by filing; then each assessment by a guarantor, in
// log order, replaces that guarantor's earlier answer. Assessments by
// non-guarantors are ignored.
func Answers(a *Agreement, filer ActorID, assessments []Assessment) Tally {
	t := Tally{}
	if a.IsGuarantor(filer) {
		t[filer] = Confirm
	}
	for _, x := range assessments {
		if a.IsGuarantor(x.Organisation) {
			t[x.Organisation] = x.Verdict
		}
	}
	return t
}

// Decide returns the state the rules give for the tally, with the answer
// window open or closed. It is pure: the same tally, guarantors and window
// give the same state.
func (r *Rules) Decide(guarantors []ActorID, t Tally, windowOpen bool) State {
	var confirm, dispute, cannot, silent int
	for _, g := range guarantors {
		switch t[g] {
		case Confirm:
			confirm++
		case Dispute:
			dispute++
		case CannotVerify:
			cannot++
		default:
			silent++
		}
	}
	n := len(guarantors)
	for _, c := range r.Consensus {
		if (c.Window == WindowOpen && !windowOpen) || (c.Window == WindowClosed && windowOpen) {
			continue
		}
		if c.Confirm.Holds(confirm, n) && c.Dispute.Holds(dispute, n) &&
			c.CannotVerify.Holds(cannot, n) && c.Silent.Holds(silent, n) {
			return c.State
		}
	}
	// Unreachable for validated rules, whose last rule always holds.
	return Pending
}

// Deadline is when the answer window of a report filed at filedAt closes.
func (r *Rules) Deadline(filedAt time.Time) time.Time {
	return filedAt.Add(time.Duration(r.AnswerWindow))
}

// Consensus is the state of a report at time now: a pure function of its
// tally, the time it was filed, the clock and the rules. The window closes
// at the deadline itself: a report filed at t is decided as closed at
// exactly t + AnswerWindow.
func Consensus(a *Agreement, t Tally, filedAt, now time.Time) State {
	return a.Rules.Decide(a.Guarantors(), t, now.Before(a.Rules.Deadline(filedAt)))
}

// Duration is a time.Duration written as Go writes durations ("72h0m0s") in
// JSON, and read from strings such as "72h".
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration must be a string such as \"72h\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"72h\"", s)
	}
	*d = Duration(v)
	return nil
}
