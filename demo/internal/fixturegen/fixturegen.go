// Package fixturegen builds the demo fixture (demo/fixture.json) from the
// UCDP GED file in the shared data directory: it selects a few dozen events
// of the ceasefire period, turns each into a report written from UCDP's
// structured fields, and applies the script of who files it and how the
// guarantors answer. Everything is deterministic: the same file gives the
// same bytes.
package fixturegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"truce/demo"
)

// Source and Licence are the fixture's attribution, as UCDP asks for it.
const (
	Source = "UCDP Georeferenced Event Dataset (GED) Syria 20160101-20191130, release 652.1601.1911 " +
		"(the variables and codebook of UCDP GED Global 19.1, with all clear events), Uppsala Conflict Data Program. " +
		"Sundberg, Ralph and Erik Melander (2013), \"Introducing the UCDP Georeferenced Event Dataset\", " +
		"Journal of Peace Research 50(4): 523-532. Högbladh, Stina (2019), \"UCDP GED Codebook version 19.1\", " +
		"Department of Peace and Conflict Research, Uppsala University."
	Licence = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Dates, places, coordinates, sides and " +
		"death counts are UCDP's; the descriptions (written from UCDP's fields), event types, filers and " +
		"assessments are invented for the truce demo and are not UCDP's."
)

// Generate reads the UCDP file under the shared directory and returns the
// fixture, encoded as Encode does.
func Generate(shared string) ([]byte, error) {
	f, err := os.Open(filepath.Join(shared, UCDPFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	events, err := ReadEvents(f)
	if err != nil {
		return nil, err
	}
	fx, err := Build(Select(events))
	if err != nil {
		return nil, err
	}
	return Encode(fx)
}

// Build applies the script to the selected events. Every selected event
// needs a scene and every scene an event, so that a change in the selection
// cannot go unnoticed. Reports are in filing order, oldest first.
func Build(events []Event) (*demo.Fixture, error) {
	byID := map[int]*Event{}
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	fx := &demo.Fixture{Source: Source, Licence: Licence}
	used := map[int]bool{}
	for _, s := range script {
		e := byID[s.ucdp]
		if e == nil {
			return nil, fmt.Errorf("fixturegen: the script has a scene for UCDP event %d, which was not selected", s.ucdp)
		}
		if used[s.ucdp] {
			return nil, fmt.Errorf("fixturegen: two scenes for UCDP event %d", s.ucdp)
		}
		used[s.ucdp] = true
		r := demo.FixtureReport{
			UCDPID:       e.ID,
			Filer:        demo.Filer{Organisation: s.org, Role: s.role},
			FiledDaysAgo: s.days,
			Expect:       s.expect,
			Report:       reportInput(e, s.org, s.accuse),
			Assessments:  []demo.FixtureAssessment{},
		}
		for _, a := range s.answers {
			r.Assessments = append(r.Assessments, demo.FixtureAssessment{
				Organisation: a.org, Verdict: a.verdict, Reason: a.reason, AfterHours: a.hours,
			})
		}
		sort.SliceStable(r.Assessments, func(i, j int) bool { return r.Assessments[i].AfterHours < r.Assessments[j].AfterHours })
		fx.Reports = append(fx.Reports, r)
	}
	for _, e := range events {
		if !used[e.ID] {
			return nil, fmt.Errorf("fixturegen: UCDP event %d was selected but the script has no scene for it", e.ID)
		}
	}
	sort.SliceStable(fx.Reports, func(i, j int) bool {
		a, b := fx.Reports[i], fx.Reports[j]
		if a.FiledDaysAgo != b.FiledDaysAgo {
			return a.FiledDaysAgo > b.FiledDaysAgo
		}
		return a.UCDPID < b.UCDPID
	})
	if err := fx.Validate(); err != nil {
		return nil, err
	}
	return fx, nil
}

// Encode writes the fixture as indented JSON, without HTML escaping, with
// a final newline.
func Encode(fx *demo.Fixture) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fx); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
