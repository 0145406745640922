package interchange

import (
	"fmt"
	"io"
	"strings"
	"time"

	"truce"
	"truce/places"
)

// Report is a report as an export writes it: what its reader may see of
// it, with the actors' names and ACLED types looked up. Coordinates and
// classification are those disclosed to the reader; nil when withheld.
type Report struct {
	ID             truce.ReportID
	OccurredAt     time.Time
	TimePrecision  int
	Lon, Lat       *float64
	Coordinates    string // the disclosure applied: exact, coarse, governorate or hidden
	GeoPrecision   int
	UncertaintyM   int
	Place          string
	EventType      string
	SubEventType   string
	Perpetrator    Actor
	Target         Actor
	Description    string
	Casualties     *truce.Casualties
	Sources        []string
	Classification *truce.Classification
	Organisation   truce.ActorID // the filer's organisation
	FiledBy        truce.MemberID
	FiledAt        time.Time
	Consensus      truce.State
	// Origin is the dataset row the report was imported from, when truce
	// keeps it (see the package documentation); nil otherwise.
	Origin *Origin
}

// Actor is a report's perpetrator or target.
type Actor struct {
	ID    truce.ActorID // empty when the report names none
	Name  string        // as the filer gave it, or the actor's English name
	Inter int           // the ACLED actor type (1 state forces … 8 external); 0 when unknown
}

// Writer writes reports in one format. Close finishes the file (a GeoJSON
// collection's closing brackets, a CSV writer's buffer); nothing written
// is complete without it.
type Writer interface {
	Write(r *Report) error
	Close() error
}

// NewWriter returns a writer of format (ACLED, HXL or GeoJSON) to w, with
// dates in opt's time zone.
func NewWriter(format string, w io.Writer, opt *Options) (Writer, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	switch format {
	case ACLED:
		return newACLEDWriter(w, o), nil
	case HXL:
		return newHXLWriter(w, o), nil
	case GeoJSON:
		return newGeoJSONWriter(w), nil
	}
	return nil, fmt.Errorf("%q is not a format truce exports; use one of %s", format, strings.Join(ExportFormats, ", "))
}

// originField returns the verbatim field of a report imported from
// dataset, when truce kept it.
func (r *Report) originField(dataset, column string) (string, bool) {
	if r.Origin == nil || r.Origin.Dataset != dataset {
		return "", false
	}
	v, ok := r.Origin.Fields[column]
	return v, ok
}

// adm returns the P-codes of the report's administrative units, as
// disclosed.
func (r *Report) adm() (adm1, adm2, adm3 string) {
	if c := r.Classification; c != nil {
		return c.ADM1, c.ADM2, c.ADM3
	}
	return "", "", ""
}

// unitName returns the English name of the unit with that P-code, "" when
// none.
func unitName(pcode string) string {
	if pcode == "" {
		return ""
	}
	if u, ok := places.UnitByPCode(pcode); ok {
		return u.NameEN
	}
	return ""
}

// citation is how a report's sources name the dataset event it was
// imported from: "ACLED event SYR12345", "UCDP GED event 214797".
var citationPrefix = map[string]string{ACLED: "ACLED event ", UCDP: "UCDP GED event "}

// citedID returns the id of the dataset event a report's sources cite,
// and the sources without that citation.
func citedID(dataset string, sources []string) (string, []string) {
	prefix := citationPrefix[dataset]
	for i, s := range sources {
		if id, ok := strings.CutPrefix(s, prefix); ok && id != "" && !strings.ContainsAny(id, " \t") {
			rest := append(append([]string(nil), sources[:i]...), sources[i+1:]...)
			return id, rest
		}
	}
	return "", sources
}

func killedBest(c *truce.Casualties) (int, bool) {
	if c == nil || c.Killed == nil {
		return 0, false
	}
	return c.Killed.Best, true
}
