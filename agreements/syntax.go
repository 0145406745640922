package agreements

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"truce"
)

// document parses the file as exactly one YAML document whose top level is
// a mapping, and returns that mapping.
func (p *parser) document() (*yaml.Node, error) {
	empty := fmt.Sprintf("the file is empty; an agreement is a mapping of %s", strings.Join(topKeys, ", "))
	dec := yaml.NewDecoder(bytes.NewReader(p.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, p.errorf(1, "", "%s", empty)
	} else if err != nil {
		return nil, p.syntax(err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		return nil, p.errorf(more.Line, "", "a second YAML document; an agreement file holds exactly one")
	} else if err != io.EOF {
		return nil, p.syntax(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || isNull(doc.Content[0]) {
		return nil, p.errorf(1, "", "%s", empty)
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, p.errorf(top.Line, "", "the top level must be a mapping of %s, not %s", strings.Join(topKeys, ", "), describe(top))
	}
	return top, nil
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// parserStage lists the messages of the YAML library's parser stage. Its
// line numbers count from 0 where those of its scanner stage count from 1,
// and both leave the number out on the first line. When the parser was
// inside a bracket or block, the line is where that began.
var parserStage = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected key", "did not find expected node content",
	"found incompatible YAML document", "found undefined tag handle",
}

// syntax turns an error of the YAML library into an EINVALID error with
// the best line number to be had.
func (p *parser) syntax(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	switch {
	case slices.Contains(parserStage, msg):
		line++
	case strings.HasPrefix(msg, "found a tab character"):
		// The library gives the line before the tab; find the tab.
		if n := p.lineWith(regexp.MustCompile(`(?m)^ *\t`), line); n > 0 {
			line = n
		}
	case unknownAnchor.MatchString(msg):
		name := unknownAnchor.FindStringSubmatch(msg)[1]
		line = p.lineWith(regexp.MustCompile(`\*`+regexp.QuoteMeta(name)+`\b`), 1)
		msg = "YAML aliases are not allowed, and this one names no anchor: " + msg
	case line == 0:
		line = 1
	}
	if line == 0 {
		return &truce.Error{Code: truce.EINVALID, Message: fmt.Sprintf("%s: YAML syntax: %s", p.file, msg)}
	}
	return p.errorf(line, "", "YAML syntax: %s", msg)
}

// lineWith returns the number of the first line at or after from that re
// matches, or 0.
func (p *parser) lineWith(re *regexp.Regexp, from int) int {
	for i, l := range bytes.Split(p.data, []byte("\n")) {
		if i+1 >= from && re.Match(l) {
			return i + 1
		}
	}
	return 0
}
