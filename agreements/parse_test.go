package agreements

import (
	"fmt"
	"strings"
	"testing"

	"truce"
)

// minimal is a small valid agreement. The malformed files below are edits
// of it, and their expected line numbers count from it: keep the lines
// where they are.
const minimal = `id: test
names: {en: Test, ar: اختبار}
effective: 2016-12-30T00:00:00+02:00
area: [35.5, 32.2, 42.5, 37.4]
guarantors:
  - id: RU
    kind: state
    names: {en: Russia, ar: روسيا}
  - id: TR
    kind: state
    names: {en: Turkey, ar: تركيا}
parties:
  - id: SYG
    kind: state_force
    names: {en: Government of Syria, ar: الحكومة السورية}
    guarantors: [RU]
  - id: OPP
    kind: rebel_group
    names: {en: Armed opposition, ar: المعارضة المسلحة}
    aliases: [rebels]
    guarantors: [TR]
excluded:
  - id: ISIL
    kind: designated_group
    names: {en: Islamic State, ar: الدولة الإسلامية}
    aliases: [Daesh]
rules:
  answer_window: 72h
  consensus:
    - {state: confirmed, confirm: all}
    - {state: pending, window: open}
    - {state: unilateral}
disclosure:
  guarantor: {coordinates: exact}
  party: {coordinates: coarse, grid: 0.01}
  monitor: {coordinates: exact}
  observer: {coordinates: coarse, grid: 0.1}
  operator: {coordinates: exact}
  public: {coordinates: hidden}
`

// edit returns minimal with old replaced by new; old must occur once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(minimal, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times in minimal, want 1", old, n)
	}
	return strings.Replace(minimal, old, new, 1)
}

func TestParseMinimal(t *testing.T) {
	a, err := Parse("test.yaml", []byte(minimal))
	if err != nil {
		t.Fatalf("Parse(minimal) = %v", err)
	}
	var ids []truce.ActorID
	for _, x := range a.Actors {
		ids = append(ids, x.ID)
	}
	if got, want := fmt.Sprint(ids), "[RU TR SYG OPP ISIL]"; got != want {
		t.Errorf("actor ids = %s, want %s", got, want)
	}
	if got, want := a.Actor("OPP").Standing, truce.Party; got != want {
		t.Errorf("OPP standing = %s, want %s", got, want)
	}
	if got, want := a.Rules.AnswerWindow, truce.Duration(72*60*60e9); got != want {
		t.Errorf("answer window = %v, want %v", got, want)
	}
	if got, want := a.Disclosure[truce.RoleObserver].Grid, 0.1; got != want {
		t.Errorf("observer grid = %v, want %v", got, want)
	}
}

// The order of Actors is the order of sections, whatever order the file
// writes them in, so that actors[i] means the same thing for every file.
func TestParseSectionOrder(t *testing.T) {
	i := strings.Index(minimal, "excluded:")
	j := strings.Index(minimal, "rules:")
	moved := minimal[i:j] + minimal[:i] + minimal[j:]
	a, err := Parse("test.yaml", []byte(moved))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	if got, want := a.Actors[len(a.Actors)-1].ID, truce.ActorID("ISIL"); got != want {
		t.Errorf("last actor = %s, want %s", got, want)
	}
}

// A rule without conditions may come before the last one: it makes the
// rules after it unreachable, which is the writer's choice, not an error.
func TestParseUnconditionalRuleNotLast(t *testing.T) {
	data := edit(t, "    - {state: pending, window: open}\n", "    - {state: contested}\n    - {state: pending, window: open}\n")
	if _, err := Parse("test.yaml", []byte(data)); err != nil {
		t.Fatalf("Parse = %v, want nil", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		line     int
		path     string
		rule     string
	}{
		{"unknown key", "    kind: state_force\n", "    kind: state_force\n    colour: red\n",
			15, "parties[0].colour", "unknown key; known keys are id, kind, names, aliases, acled_inter, guarantors, since, note"},
		{"unknown top-level key", "area:", "areas:", 4, "areas", "unknown key; known keys are id, names, effective,"},
		{"duplicate key", "    guarantors: [RU]\n", "    guarantors: [RU]\n    guarantors: [TR]\n",
			17, "parties[0].guarantors", "is given twice (first at line 16)"},
		{"list for a mapping", "names: {en: Test, ar: اختبار}", "names: [Test, اختبار]",
			2, "names", "must be a mapping, not a sequence"},
		{"mapping for a list", "aliases: [Daesh]", "aliases: {en: Daesh}",
			26, "excluded[0].aliases", "must be a sequence, not a mapping"},
		{"number for a string", "id: test", "id: 2017", 1, "id", `must be a string (quote it if it looks like a number, date or boolean), not the integer "2017"`},
		{"non-integer acled_inter", "  - id: RU\n    kind: state\n", "  - id: RU\n    kind: state\n    acled_inter: two\n",
			8, "guarantors[0].acled_inter", `must be an integer from 1 to 8, not the string "two"`},
		{"acled_inter out of range", "  - id: RU\n    kind: state\n", "  - id: RU\n    kind: state\n    acled_inter: 9\n",
			8, "guarantors[0].acled_inter", "must be an integer from 1 to 8, not 9"},
		{"bad effective time", "2016-12-30T00:00:00+02:00", "2016-12-30 00:00",
			3, "effective", `"2016-12-30 00:00" is not an RFC 3339 time with its offset`},
		{"bad since", "    aliases: [Daesh]\n", "    aliases: [Daesh]\n    since: 2016-13-30\n",
			27, "excluded[0].since", `"2016-13-30" must be a date YYYY-MM-DD`},
		{"bad duration", "answer_window: 72h", "answer_window: 3 days",
			28, "rules.answer_window", `"3 days" is not a duration such as 72h`},
		{"zone approval by nobody", "answer_window: 72h", "answer_window: 72h\n  zone_approval: none",
			29, "rules.zone_approval", `"none" is not all, any or >=N with N at least 1`},
		{"zone approval by more than the guarantors", "answer_window: 72h", "answer_window: 72h\n  zone_approval: 3",
			29, "rules.zone_approval", `">=3" asks for more than the 2 guarantors there are`},
		{"area of three numbers", "[35.5, 32.2, 42.5, 37.4]", "[35.5, 32.2, 42.5]",
			4, "area", "must be 4 numbers [west, south, east, north], not 3"},
		{"area upside down", "[35.5, 32.2, 42.5, 37.4]", "[35.5, 37.4, 42.5, 32.2]",
			4, "area", "must be [west, south, east, north] with west < east"},
		{"unknown guarantor for a party", "guarantors: [TR]", "guarantors: [TR, XX]",
			21, "parties[1].guarantors[1]", `"XX" is not a guarantor of this agreement`},
		{"party without guarantors", "    guarantors: [TR]\n", "",
			17, "parties[1].guarantors", "a party needs the guarantor that answers for it"},
		{"guarantor with guarantors", "    names: {en: Turkey, ar: تركيا}\n", "    names: {en: Turkey, ar: تركيا}\n    guarantors: [RU]\n",
			12, "guarantors[1].guarantors", "only parties have guarantors answering for them"},
		{"missing Arabic name of an actor", "{en: Islamic State, ar: الدولة الإسلامية}", "{en: Islamic State}",
			25, "excluded[0].names.ar", "a name in ar is required"},
		{"missing Arabic name of the agreement", "names: {en: Test, ar: اختبار}", "names: {en: Test}",
			2, "names.ar", "a name in ar is required"},
		{"unknown language", "names: {en: Test, ar: اختبار}", "names: {en: Test, ar: اختبار, de: Test}",
			2, "names.de", "unknown key; known keys are en, ar, ru, tr, fa"},
		{"bad actor kind", "kind: rebel_group", "kind: rebels", 18, "parties[1].kind", `"rebels" is not one of`},
		{"duplicate actor id", "id: OPP", "id: SYG", 17, "parties[1].id", `"SYG" is used twice`},
		{"alias colliding with another actor", "aliases: [Daesh]", "aliases: [Daesh, Rebels]",
			26, "excluded[0].aliases[1]", `name "Rebels" is also a name of OPP`},
		{"name colliding with another actor", "{en: Islamic State, ar: الدولة الإسلامية}", "{en: Islamic State, ar: المعارضة المسلحة}",
			25, "excluded[0].names.ar", `is also a name of OPP`},
		{"last rule conditional", "{state: unilateral}", "{state: unilateral, dispute: none}",
			32, "rules.consensus[2]", "the last rule must have no conditions"},
		{"unknown state", "{state: confirmed, confirm: all}", "{state: agreed, confirm: all}",
			30, "rules.consensus[0].state", `"agreed" is not one of`},
		{"bad quantity", "confirm: all", "confirm: most", 30, "rules.consensus[0].confirm", `"most" is not all, none, any, not_all, N, >=N or <=N`},
		{"unknown role in disclosure", "  public: {coordinates: hidden}\n", "  public: {coordinates: hidden}\n  press: {coordinates: hidden}\n",
			40, "disclosure.press", "unknown key; known keys are guarantor, party, monitor, observer, operator, public"},
		{"missing disclosure for a role", "  observer: {coordinates: coarse, grid: 0.1}\n", "",
			33, "disclosure.observer", "a coordinate-disclosure policy is required for every role"},
		{"grid on exact disclosure", "monitor: {coordinates: exact}", "monitor: {coordinates: exact, grid: 1}",
			36, "disclosure.monitor.grid", "only coarse disclosure has a grid"},
		{"disclosure without coordinates", "operator: {coordinates: exact}", "operator: {}",
			38, "disclosure.operator.coordinates", "is required"},
		{"missing required key", "effective: 2016-12-30T00:00:00+02:00\n", "", 1, "effective", "is required"},
		{"anchor", "names: {en: Russia, ar: روسيا}", "names: &n {en: Russia, ar: روسيا}",
			8, "guarantors[0].names", "YAML anchors (&n) are not allowed"},
		{"alias", "aliases: [rebels]", "aliases: &a [rebels]\n    note: *a",
			20, "parties[1].aliases", "YAML anchors (&a) are not allowed"},
		{"merge key", "  - id: TR\n", "  - <<: {id: TR}\n", 9, "guarantors[1]", "YAML merge keys (<<) are not allowed"},
		{"number as a key", "  - id: TR\n", "  - 12: TR\n", 9, "guarantors[1]", `keys must be strings, not the integer "12"`},
		{"two documents", "  public: {coordinates: hidden}\n", "  public: {coordinates: hidden}\n---\nid: other\n",
			40, "", "a second YAML document"},
		{"unclosed flow sequence", "names: {en: Test, ar: اختبار}", "names: {en: Test, ar: [اختبار}",
			2, "", "YAML syntax: did not find expected ',' or ']'"},
		// The YAML library names the line where the block it was in began.
		{"bad indentation", "    kind: state_force\n", "    kind: state_force\n   note: x\n",
			13, "", "YAML syntax: did not find expected '-' indicator"},
		{"tab indentation", "    kind: state_force\n", "    kind: state_force\n\tnote: x\n",
			15, "", "YAML syntax: found a tab character that violates indentation"},
		{"alias to no anchor", "    aliases: [rebels]\n", "    aliases: [rebels]\n    note: *nowhere\n",
			21, "", "YAML syntax: YAML aliases are not allowed, and this one names no anchor"},
		{"mapping in a plain scalar", "id: test", "id: test: x", 1, "", "YAML syntax: mapping values are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := edit(t, tt.old, tt.new)
			_, err := Parse("test.yaml", []byte(data))
			checkError(t, err, tt.line, tt.path, tt.rule)
		})
	}
}

func TestParseEmptyAndTopLevel(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		rule       string
	}{
		{"empty", "", 1, "the file is empty"},
		{"comments only", "# nothing here\n", 1, "the file is empty"},
		{"null document", "---\n", 1, "the file is empty"},
		{"sequence", "\n- id: test\n", 2, "the top level must be a mapping of id, names"},
		{"scalar", "astana", 1, "the top level must be a mapping of id, names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tt.data))
			checkError(t, err, tt.line, "", tt.rule)
		})
	}
}

func TestParseOversize(t *testing.T) {
	data := minimal + "# " + strings.Repeat("x", MaxSize) + "\n"
	_, err := Parse("big.yaml", []byte(data))
	if got, want := truce.ErrorCode(err), truce.ETOOLARGE; got != want {
		t.Fatalf("Parse(oversize) code = %q (%v), want %q", got, err, want)
	}
	if got, want := truce.ErrorMessage(err), "big.yaml: the file is larger than the limit of 1048576 bytes"; got != want {
		t.Errorf("Parse(oversize) message = %q, want %q", got, want)
	}
}

// checkError asserts that err is EINVALID at line, with the field path and
// a message "test.yaml:line: path: rule…".
func checkError(t *testing.T, err error, line int, path, rule string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Parse = nil, want an error at line %d", line)
	}
	if got, want := truce.ErrorCode(err), truce.EINVALID; got != want {
		t.Fatalf("code = %q (%v), want %q", got, err, want)
	}
	prefix := fmt.Sprintf("test.yaml:%d: ", line)
	if path != "" {
		prefix += path + ": "
	}
	if got := truce.ErrorMessage(err); !strings.HasPrefix(got, prefix) || !strings.Contains(got[min(len(prefix), len(got)):], rule) {
		t.Errorf("message = %q, want %q followed by %q", got, prefix, rule)
	}
	if got, want := truce.ErrorField(err), path; got != want {
		t.Errorf("field = %q, want %q", got, want)
	}
}
