package log

import (
	"time"

	"truce"
)

// appendPayload appends the canonical JSON of the payloads appended most
// often, written directly rather than marshalled and parsed again: every
// report and assessment passes through here. It reports false for other
// payloads, which take the general path. payload_test.go holds it to
// Canonical's output, field for field.
func appendPayload(b []byte, payload any) ([]byte, bool) {
	switch p := payload.(type) {
	case *truce.ReportFiled:
		// Reports with nested parts (casualties, fire, sources, a sealed
		// identity, an origin) take the general path.
		if p.Casualties != nil || p.Fire != nil || p.Sources != nil || p.SourceIdentity != nil || p.Origin != nil {
			return b, false
		}
		b = append(b, '{')
		if c := p.Classification; c != nil {
			b = append(b, `"classification":`...)
			b = appendClassification(b, c)
			b = append(b, ',')
		}
		b = append(b, `"description":`...)
		b = appendString(b, p.Description)
		b = append(b, `,"event_type":`...)
		b = appendString(b, p.EventType)
		b = append(b, `,"geo_precision":`...)
		b = FormatNumber(b, float64(p.GeoPrecision))
		b = append(b, `,"id":`...)
		b = appendString(b, string(p.ID))
		b = append(b, `,"lat":`...)
		b = FormatNumber(b, p.Lat)
		b = append(b, `,"lon":`...)
		b = FormatNumber(b, p.Lon)
		b = append(b, `,"occurred_at":"`...)
		b = p.OccurredAt.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
		b = appendOptional(b, "perpetrator", string(p.Perpetrator))
		b = appendOptional(b, "perpetrator_as_given", p.PerpetratorAsGiven)
		b = appendOptional(b, "place", p.Place)
		b = append(b, `,"sub_event_type":`...)
		b = appendString(b, p.SubEventType)
		b = appendOptional(b, "target", string(p.Target))
		b = appendOptional(b, "target_as_given", p.TargetAsGiven)
		b = append(b, `,"time_precision":`...)
		b = FormatNumber(b, float64(p.TimePrecision))
		if p.UncertaintyM != 0 {
			b = append(b, `,"uncertainty_m":`...)
			b = FormatNumber(b, float64(p.UncertaintyM))
		}
		return append(b, '}'), true
	case *truce.AssessmentMade:
		b = append(b, '{')
		if p.Reason != "" {
			b = append(b, `"reason":`...)
			b = appendString(b, p.Reason)
			b = append(b, ',')
		}
		b = append(b, `"report":`...)
		b = appendString(b, string(p.Report))
		b = append(b, `,"verdict":`...)
		b = appendString(b, string(p.Verdict))
		return append(b, '}'), true
	case *truce.MemberAdded:
		b = append(b, `{"id":`...)
		b = appendString(b, string(p.ID))
		b = append(b, `,"name":`...)
		b = appendString(b, p.Name)
		b = append(b, `,"organisation":`...)
		b = appendString(b, string(p.Organisation))
		b = append(b, `,"role":`...)
		b = appendString(b, string(p.Role))
		return append(b, '}'), true
	}
	return b, false
}

// appendOptional appends ,"key":value for a member that is left out when
// empty.
func appendOptional(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

// appendClassification writes a classification's members in key order.
func appendClassification(b []byte, c *truce.Classification) []byte {
	b = append(b, '{')
	first := true
	member := func(key string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, '"', ':')
	}
	strs := func(key string, vs []string) {
		if len(vs) == 0 {
			return
		}
		member(key)
		b = append(b, '[')
		for i, v := range vs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, v)
		}
		b = append(b, ']')
	}
	str := func(key, v string) {
		if v != "" {
			member(key)
			b = appendString(b, v)
		}
	}
	str("adm1", c.ADM1)
	str("adm2", c.ADM2)
	str("adm3", c.ADM3)
	contested := make([]string, len(c.ContestedBetween))
	for i, x := range c.ContestedBetween {
		contested[i] = string(x)
	}
	strs("contested_between", contested)
	str("controller", string(c.Controller))
	if c.OnLine {
		member("on_line")
		b = append(b, "true"...)
	}
	positions := make([]string, len(c.Positions))
	for i, x := range c.Positions {
		positions[i] = string(x)
	}
	strs("positions", positions)
	member("scope")
	b = appendString(b, c.Scope)
	if len(c.Zones) > 0 {
		member("zones")
		b = append(b, '[')
		for i, z := range c.Zones {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"entry":`...)
			b = FormatNumber(b, float64(z.Entry))
			b = append(b, `,"zone":`...)
			b = appendString(b, string(z.Zone))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
