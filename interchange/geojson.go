package interchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"truce"
)

// geoJSONWriter streams a FeatureCollection (RFC 7946): one Point feature
// a report, with a null geometry when its coordinates are withheld from
// the reader.
type geoJSONWriter struct {
	w     *bufio.Writer
	n     int
	begun bool
}

func newGeoJSONWriter(w io.Writer) *geoJSONWriter { return &geoJSONWriter{w: bufio.NewWriter(w)} }

type geoJSONFeature struct {
	Type       string            `json:"type"`
	ID         truce.ReportID    `json:"id"`
	Geometry   *geoJSONPoint     `json:"geometry"`
	Properties geoJSONProperties `json:"properties"`
}

type geoJSONPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// geoJSONProperties are a report's fields as its reader may see them,
// named as the API names them.
type geoJSONProperties struct {
	OccurredAt      time.Time             `json:"occurred_at"`
	TimePrecision   int                   `json:"time_precision"`
	EventType       string                `json:"event_type"`
	SubEventType    string                `json:"sub_event_type"`
	Perpetrator     truce.ActorID         `json:"perpetrator,omitempty"`
	PerpetratorName string                `json:"perpetrator_name,omitempty"`
	Target          truce.ActorID         `json:"target,omitempty"`
	TargetName      string                `json:"target_name,omitempty"`
	Place           string                `json:"place,omitempty"`
	Coordinates     string                `json:"coordinates"`
	GeoPrecision    int                   `json:"geo_precision"`
	UncertaintyM    int                   `json:"uncertainty_m"`
	Casualties      *truce.Casualties     `json:"casualties,omitempty"`
	Description     string                `json:"description"`
	Sources         []string              `json:"sources,omitempty"`
	Classification  *truce.Classification `json:"classification,omitempty"`
	GovernorateName string                `json:"governorate_name,omitempty"`
	Consensus       truce.State           `json:"consensus"`
	Organisation    truce.ActorID         `json:"organisation"`
	FiledAt         time.Time             `json:"filed_at"`
}

func (w *geoJSONWriter) begin() {
	w.begun = true
	w.w.WriteString(`{"type":"FeatureCollection","features":[`)
}

func (w *geoJSONWriter) Write(r *Report) error {
	if !w.begun {
		w.begin()
	}
	f := geoJSONFeature{Type: "Feature", ID: r.ID, Properties: geoJSONProperties{
		OccurredAt: r.OccurredAt, TimePrecision: max(r.TimePrecision, 1),
		EventType: r.EventType, SubEventType: r.SubEventType,
		Perpetrator: r.Perpetrator.ID, PerpetratorName: r.Perpetrator.Name,
		Target: r.Target.ID, TargetName: r.Target.Name,
		Place: r.Place, Coordinates: r.Coordinates, GeoPrecision: max(r.GeoPrecision, 1), UncertaintyM: r.UncertaintyM,
		Casualties: r.Casualties, Description: r.Description, Sources: r.Sources,
		Classification: r.Classification, Consensus: r.Consensus, Organisation: r.Organisation, FiledAt: r.FiledAt,
	}}
	if adm1, _, _ := r.adm(); adm1 != "" {
		f.Properties.GovernorateName = unitName(adm1)
	}
	if r.Lon != nil && r.Lat != nil {
		f.Geometry = &geoJSONPoint{Type: "Point", Coordinates: [2]float64{*r.Lon, *r.Lat}}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as the API writes JSON
	if err := enc.Encode(&f); err != nil {
		return err
	}
	if w.n > 0 {
		w.w.WriteByte(',')
	}
	w.w.WriteByte('\n')
	w.n++
	_, err := w.w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return err
}

func (w *geoJSONWriter) Close() error {
	if !w.begun {
		w.begin()
	}
	if w.n > 0 {
		w.w.WriteByte('\n')
	}
	w.w.WriteString("]}\n")
	return w.w.Flush()
}
