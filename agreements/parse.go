package agreements

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"truce"
)

// MaxSize is the largest agreement file accepted, in bytes. The Astana file
// is about 20 KiB; the limit only keeps a hostile file from costing memory.
const MaxSize = 1 << 20

// Parse reads an agreement file and validates the agreement it describes.
// filename is used only in error messages.
//
// Every error is a *truce.Error. A file that breaks a rule gives EINVALID
// with a message "file:line: path: rule", where path is the field's path in
// the file (parties[3].guarantors[0]), and Field set to that path; a file
// over MaxSize gives ETOOLARGE.
func Parse(filename string, data []byte) (*truce.Agreement, error) {
	if len(data) > MaxSize {
		return nil, &truce.Error{Code: truce.ETOOLARGE,
			Message: fmt.Sprintf("%s: the file is larger than the limit of %d bytes", filename, MaxSize)}
	}
	p := &parser{file: filename, data: data, locs: map[string]loc{}}
	top, err := p.document()
	if err != nil {
		return nil, err
	}
	a, err := p.agreement(top)
	if err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, p.locate(a, err)
	}
	return a, nil
}

// parser walks the YAML node tree of one file. While it walks, it records
// where each field of the Agreement came from, so that an error found later
// by Agreement.Validate, which speaks of actors[12].guarantors[0], can be
// reported at the right line as parties[3].guarantors[0].
type parser struct {
	file string
	data []byte
	locs map[string]loc // Agreement path (JSON terms) → place in the file
}

// loc is where a field of the Agreement was written.
type loc struct {
	line int
	path string // the field's path in the file's terms
}

// path is a field's path twice over: in the Agreement's JSON terms (ag),
// which Validate uses, and in the file's terms (yml), which the user reads.
// They differ only in the actor sections.
type path struct{ ag, yml string }

func (q path) key(k string) path { return path{join(q.ag, k), join(q.yml, k)} }

func (q path) index(i int) path {
	return path{fmt.Sprintf("%s[%d]", q.ag, i), fmt.Sprintf("%s[%d]", q.yml, i)}
}

func join(base, k string) string {
	if base == "" {
		return k
	}
	return base + "." + k
}

// mark records that the field at q was written at line.
func (p *parser) mark(q path, line int) { p.locs[q.ag] = loc{line, q.yml} }

// errorf returns the EINVALID error for a field of the file.
func (p *parser) errorf(line int, field, format string, args ...any) error {
	rule := fmt.Sprintf(format, args...)
	if field != "" {
		rule = field + ": " + rule
	}
	return &truce.Error{Code: truce.EINVALID, Field: field, Message: fmt.Sprintf("%s:%d: %s", p.file, line, rule)}
}

// locate reports an error of Agreement.Validate at the line of the field it
// names, or of the nearest enclosing field the file wrote, and with the
// field's path in the file's terms.
func (p *parser) locate(a *truce.Agreement, err error) error {
	var e *truce.Error
	if !errors.As(err, &e) {
		return err
	}
	field, rule := e.Field, strings.TrimPrefix(e.Message, e.Field+": ")
	if m := actorPath.FindStringSubmatch(field); m != nil {
		// Validate names only the actor when two actors share a name;
		// find which of this actor's names it was.
		i, _ := strconv.Atoi(m[1])
		field = collision(a, i)
	}
	prefix := field
	for {
		if l, ok := p.locs[prefix]; ok {
			return p.errorf(l.line, l.path+field[len(prefix):], "%s", rule)
		}
		cut := strings.LastIndexAny(prefix, ".[")
		if cut < 0 {
			break
		}
		prefix = prefix[:cut]
	}
	l := p.locs[""]
	return p.errorf(l.line, field, "%s", rule)
}

var actorPath = regexp.MustCompile(`^actors\[(\d+)\]$`)

// collision returns the path of the first name of actor i (its id, names
// in language order, then aliases, as Validate takes them) that folds to a
// name of an earlier actor; or the actor's own path if none does.
func collision(a *truce.Agreement, i int) string {
	field := fmt.Sprintf("actors[%d]", i)
	if i >= len(a.Actors) {
		return field
	}
	earlier := map[string]bool{}
	for _, x := range a.Actors[:i] {
		for _, n := range names(x) {
			earlier[truce.NormalizeName(n.name)] = true
		}
	}
	for _, n := range names(a.Actors[i]) {
		if earlier[truce.NormalizeName(n.name)] {
			return field + n.field
		}
	}
	return field
}

type actorName struct{ name, field string }

func names(x truce.Actor) []actorName {
	ns := []actorName{{string(x.ID), ".id"}}
	for _, lang := range truce.Languages {
		if n := x.Names[lang]; n != "" {
			ns = append(ns, actorName{n, ".names." + lang})
		}
	}
	for j, n := range x.Aliases {
		ns = append(ns, actorName{n, fmt.Sprintf(".aliases[%d]", j)})
	}
	return ns
}
