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
		// identity) take the general path.
		if p.Casualties != nil || p.Fire != nil || p.Sources != nil || p.SourceIdentity != nil {
			return b, false
		}
		b = append(b, `{"description":`...)
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
