package agreements

import (
	"fmt"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"truce"
)

// topKeys are the keys of an agreement file, in the order README.md
// documents them.
var topKeys = []string{"id", "names", "effective", "area", "separation_m", "sources", "prohibited_acts",
	"guarantors", "parties", "excluded", "observers", "secretariat", "others", "rules", "disclosure"}

// sections are the keys that list actors, each giving its actors a
// standing, in the order Agreement.Actors lists them.
var sections = []struct {
	key      string
	standing truce.Standing
}{
	{"guarantors", truce.Guarantor},
	{"parties", truce.Party},
	{"excluded", truce.Excluded},
	{"observers", truce.Observer},
	{"secretariat", truce.Secretariat},
	{"others", truce.Other},
}

var (
	actorKeys      = []string{"id", "kind", "names", "aliases", "acled_inter", "guarantors", "since", "note"}
	rulesKeys      = []string{"answer_window", "consensus", "zone_approval"}
	rulesRequired  = []string{"answer_window", "consensus"}
	ruleKeys       = []string{"state", "window", "confirm", "dispute", "cannot_verify", "silent"}
	disclosureKeys = []string{"coordinates", "grid"}
)

// agreement reads the top-level mapping. The actor sections are read after
// the rest, in the fixed order of sections, so that an actor's index in
// Agreement.Actors does not depend on the order the file lists sections in.
func (p *parser) agreement(top *yaml.Node) (*truce.Agreement, error) {
	a := &truce.Agreement{}
	p.mark(path{}, top.Line)
	lists := map[string]*yaml.Node{}
	required := []string{"id", "names", "effective", "area", "guarantors", "parties", "rules", "disclosure"}
	err := p.fields(top, path{}, topKeys, required, func(key string, v *yaml.Node, at path) error {
		var err error
		switch key {
		case "id":
			a.ID, err = p.str(v, at)
		case "names":
			a.Names, err = p.names(v, at)
		case "effective":
			a.Effective, err = p.time(v, at)
		case "area":
			a.Area, err = p.area(v, at)
		case "separation_m":
			a.SeparationM, err = p.integer(v, at, 1, truce.MaxSeparationM)
		case "sources":
			a.Sources, err = p.texts(v, at)
		case "prohibited_acts":
			a.ProhibitedActs, err = p.texts(v, at)
		case "rules":
			a.Rules, err = p.rules(v, at)
		case "disclosure":
			a.Disclosure, err = p.disclosure(v, at)
		default:
			lists[key] = v
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, s := range sections {
		v, ok := lists[s.key]
		if !ok {
			continue
		}
		err := p.items(v, path{s.key, s.key}, 256, func(i int, v *yaml.Node, at path) error {
			at.ag = fmt.Sprintf("actors[%d]", len(a.Actors))
			p.mark(at, v.Line)
			x, err := p.actor(v, at, s.standing)
			a.Actors = append(a.Actors, x)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

// actor reads one actor; its standing is the section it is listed in.
func (p *parser) actor(n *yaml.Node, at path, standing truce.Standing) (truce.Actor, error) {
	x := truce.Actor{Standing: standing}
	err := p.fields(n, at, actorKeys, []string{"id", "kind", "names"}, func(key string, v *yaml.Node, at path) error {
		var err error
		var s string
		switch key {
		case "id":
			s, err = p.str(v, at)
			x.ID = truce.ActorID(s)
		case "kind":
			s, err = p.str(v, at)
			x.Kind = truce.ActorKind(s)
		case "names":
			x.Names, err = p.names(v, at)
		case "aliases":
			x.Aliases, err = p.strs(v, at, 64)
		case "acled_inter":
			x.ACLEDInter, err = p.integer(v, at, 1, 8)
		case "guarantors":
			var ids []string
			ids, err = p.strs(v, at, 16)
			for _, id := range ids {
				x.Guarantors = append(x.Guarantors, truce.ActorID(id))
			}
		case "since":
			// An unquoted date is a YAML timestamp; its text is what we keep.
			x.Since, err = p.scalar(v, at, "a date YYYY-MM-DD", "!!str", "!!timestamp")
		case "note":
			x.Note, err = p.str(v, at)
		}
		return err
	})
	return x, err
}

// names reads a mapping from language code to name. Unknown languages are
// refused here, with the line, like unknown keys.
func (p *parser) names(n *yaml.Node, at path) (map[string]string, error) {
	names := map[string]string{}
	err := p.fields(n, at, truce.Languages, nil, func(lang string, v *yaml.Node, at path) error {
		s, err := p.str(v, at)
		names[lang] = s
		return err
	})
	return names, err
}

// time reads an RFC 3339 time. The offset is required: "midnight" means
// nothing without saying whose.
func (p *parser) time(n *yaml.Node, at path) (time.Time, error) {
	want := "an RFC 3339 time with its offset, such as 2016-12-30T00:00:00+02:00"
	s, err := p.scalar(n, at, want, "!!str", "!!timestamp")
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, p.errorf(n.Line, at.yml, "%q is not %s", s, want)
	}
	return t, nil
}

// area reads [west, south, east, north].
func (p *parser) area(n *yaml.Node, at path) ([4]float64, error) {
	var b [4]float64
	if n.Kind == yaml.SequenceNode && len(n.Content) != 4 {
		return b, p.errorf(n.Line, at.yml, "must be 4 numbers [west, south, east, north], not %d", len(n.Content))
	}
	err := p.items(n, at, 4, func(i int, v *yaml.Node, at path) error {
		var err error
		b[i], err = p.number(v, at)
		return err
	})
	return b, err
}

// rules reads the answer window and the consensus rules.
func (p *parser) rules(n *yaml.Node, at path) (truce.Rules, error) {
	var r truce.Rules
	err := p.fields(n, at, rulesKeys, rulesRequired, func(key string, v *yaml.Node, at path) error {
		if key == "zone_approval" {
			s, err := p.scalar(v, at, "all, any or >=N", "!!str", "!!int")
			if err != nil {
				return err
			}
			if _, err := strconv.Atoi(s); err == nil {
				s = ">=" + s
			}
			r.ZoneApproval = truce.Quantity(s)
			return nil
		}
		if key == "answer_window" {
			want := "a duration such as 72h"
			s, err := p.scalar(v, at, want, "!!str")
			if err != nil {
				return err
			}
			d, err := time.ParseDuration(s)
			if err != nil {
				return p.errorf(v.Line, at.yml, "%q is not %s", s, want)
			}
			r.AnswerWindow = truce.Duration(d)
			return nil
		}
		return p.items(v, at, 64, func(_ int, v *yaml.Node, at path) error {
			c, err := p.rule(v, at)
			r.Consensus = append(r.Consensus, c)
			return err
		})
	})
	return r, err
}

// rule reads one consensus rule. Quantities may be written as integers
// (confirm: 2) or strings (confirm: ">=2").
func (p *parser) rule(n *yaml.Node, at path) (truce.ConsensusRule, error) {
	var c truce.ConsensusRule
	err := p.fields(n, at, ruleKeys, []string{"state"}, func(key string, v *yaml.Node, at path) error {
		var s string
		var err error
		if key == "state" || key == "window" {
			s, err = p.str(v, at)
		} else {
			s, err = p.scalar(v, at, "a quantity: all, none, any, not_all, N, \">=N\" or <=N", "!!str", "!!int")
		}
		switch key {
		case "state":
			c.State = truce.State(s)
		case "window":
			c.Window = s
		case "confirm":
			c.Confirm = truce.Quantity(s)
		case "dispute":
			c.Dispute = truce.Quantity(s)
		case "cannot_verify":
			c.CannotVerify = truce.Quantity(s)
		case "silent":
			c.Silent = truce.Quantity(s)
		}
		return err
	})
	return c, err
}

// disclosure reads the coordinate-disclosure policy, one entry per role.
// An unknown role is refused here, with its line; a missing one is left to
// Agreement.Validate.
func (p *parser) disclosure(n *yaml.Node, at path) (map[truce.Role]truce.Disclosure, error) {
	var roles []string
	for _, r := range truce.Roles {
		roles = append(roles, string(r))
	}
	out := map[truce.Role]truce.Disclosure{}
	err := p.fields(n, at, roles, nil, func(role string, v *yaml.Node, at path) error {
		var d truce.Disclosure
		err := p.fields(v, at, disclosureKeys, []string{"coordinates"}, func(key string, v *yaml.Node, at path) error {
			var err error
			if key == "coordinates" {
				d.Coordinates, err = p.str(v, at)
			} else {
				d.Grid, err = p.number(v, at)
			}
			return err
		})
		out[truce.Role(role)] = d
		return err
	})
	return out, err
}
