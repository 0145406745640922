package agreements

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The helpers below read one kind of YAML value each. They share three
// habits: every node is first checked for anchors and aliases, an explicit
// null (a key with nothing after it) reads as the empty value so that the
// agreement's own rules decide whether it may be empty, and a value of the
// wrong kind is an error naming what was expected and what was found.

// plain refuses anchors (&a) and aliases (*a). Aliases let a small file
// expand into a huge one ("billion laughs"), and an agreement is short
// enough to write out in full.
func (p *parser) plain(n *yaml.Node, at string) error {
	if n.Kind == yaml.AliasNode {
		return p.errorf(n.Line, at, "YAML aliases (*%s) are not allowed; write the value out", n.Value)
	}
	if n.Anchor != "" {
		return p.errorf(n.Line, at, "YAML anchors (&%s) are not allowed; write the value out", n.Anchor)
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// fields walks a mapping: keys must be strings, known and given once; each
// is recorded and passed to fn in file order; required keys must be there.
func (p *parser) fields(n *yaml.Node, at path, known, required []string, fn func(key string, v *yaml.Node, at path) error) error {
	if err := p.plain(n, at.yml); err != nil {
		return err
	}
	if isNull(n) {
		n = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line}
	} else if n.Kind != yaml.MappingNode {
		return p.errorf(n.Line, at.yml, "must be a mapping, not %s", describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.plain(k, at.yml); err != nil {
			return err
		}
		if k.ShortTag() == "!!merge" {
			return p.errorf(k.Line, at.yml, "YAML merge keys (<<) are not allowed; write the value out")
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			return p.errorf(k.Line, at.yml, "keys must be strings, not %s", describe(k))
		}
		sub := at.key(k.Value)
		if first, dup := seen[k.Value]; dup {
			return p.errorf(k.Line, sub.yml, "is given twice (first at line %d)", first)
		}
		seen[k.Value] = k.Line
		if !slices.Contains(known, k.Value) {
			return p.errorf(k.Line, sub.yml, "unknown key; known keys are %s", strings.Join(known, ", "))
		}
		p.mark(sub, k.Line)
		if err := fn(k.Value, v, sub); err != nil {
			return err
		}
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			return p.errorf(n.Line, at.key(r).yml, "is required")
		}
	}
	return nil
}

// items walks a sequence, recording each item and passing it to fn.
func (p *parser) items(n *yaml.Node, at path, max int, fn func(i int, v *yaml.Node, at path) error) error {
	if err := p.plain(n, at.yml); err != nil {
		return err
	}
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n.Line, at.yml, "must be a sequence, not %s", describe(n))
	}
	if len(n.Content) > max {
		return p.errorf(n.Line, at.yml, "at most %d entries (got %d)", max, len(n.Content))
	}
	for i, v := range n.Content {
		sub := at.index(i)
		p.mark(sub, v.Line)
		if err := fn(i, v, sub); err != nil {
			return err
		}
	}
	return nil
}

// scalar returns the text of a scalar whose tag is one of tags.
func (p *parser) scalar(n *yaml.Node, at path, want string, tags ...string) (string, error) {
	if err := p.plain(n, at.yml); err != nil {
		return "", err
	}
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
		return "", p.errorf(n.Line, at.yml, "must be %s, not %s", want, describe(n))
	}
	return n.Value, nil
}

// str reads a string. Numbers, booleans and dates are refused rather than
// turned into text: a name written as 2017 or yes was most likely a mistake,
// and quoting it says it was not.
func (p *parser) str(n *yaml.Node, at path) (string, error) {
	return p.scalar(n, at, "a string (quote it if it looks like a number, date or boolean)", "!!str")
}

// strs reads a sequence of strings.
func (p *parser) strs(n *yaml.Node, at path, max int) ([]string, error) {
	var out []string
	err := p.items(n, at, max, func(_ int, v *yaml.Node, at path) error {
		s, err := p.str(v, at)
		out = append(out, s)
		return err
	})
	return out, err
}

// texts reads a sequence of free-text strings (sources, prohibited acts),
// which Agreement.Validate does not check: each 1 to 2000 characters, no
// control characters but newline and tab.
func (p *parser) texts(n *yaml.Node, at path) ([]string, error) {
	ss, err := p.strs(n, at, 64)
	if err != nil {
		return nil, err
	}
	for i, s := range ss {
		q, line := at.index(i), n.Content[i].Line
		if c := utf8.RuneCountInString(s); c < 1 || c > 2000 {
			return nil, p.errorf(line, q.yml, "must be 1 to 2000 characters (got %d)", c)
		}
		for _, r := range s {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				return nil, p.errorf(line, q.yml, "must not contain control characters (found U+%04X)", r)
			}
		}
	}
	return ss, nil
}

// integer reads an integer from min to max.
func (p *parser) integer(n *yaml.Node, at path, min, max int) (int, error) {
	want := fmt.Sprintf("an integer from %d to %d", min, max)
	s, err := p.scalar(n, at, want, "!!int")
	if err != nil || s == "" {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min || v > max {
		return 0, p.errorf(n.Line, at.yml, "must be %s, not %s", want, s)
	}
	return v, nil
}

// number reads a finite decimal number.
func (p *parser) number(n *yaml.Node, at path) (float64, error) {
	s, err := p.scalar(n, at, "a number", "!!int", "!!float")
	if err != nil || s == "" {
		return 0, err
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, p.errorf(n.Line, at.yml, "must be a finite decimal number, not %s", s)
	}
	return v, nil
}

// describe names a node's kind, and a scalar's value, for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	}
	kinds := map[string]string{
		"!!null": "nothing", "!!str": "the string", "!!int": "the integer", "!!float": "the number",
		"!!bool": "the boolean", "!!timestamp": "the date", "!!binary": "binary data",
	}
	k, ok := kinds[n.ShortTag()]
	if !ok {
		k = "a value tagged " + n.ShortTag()
	}
	if n.ShortTag() == "!!null" || n.ShortTag() == "!!binary" {
		return k
	}
	return fmt.Sprintf("%s %q", k, n.Value)
}
