package web

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"time"

	"truce"
	trucehttp "truce/http"
	"truce/i18n"
	"truce/places"
	"truce/workflow"
)

func statusOf(err error) int { return trucehttp.StatusOf(truce.ErrorCode(err)) }

// mapConfig is what the map's script needs from the server, embedded in
// the page as JSON: the words it writes, the colours of actors and
// states, the dates the slider spans, and what the viewer may do.
type mapConfigData struct {
	Lang        i18n.Lang                  `json:"lang"`
	Dir         string                     `json:"dir"`
	From        string                     `json:"from"` // the agreement's first day
	To          string                     `json:"to"`   // today
	Actors      map[truce.ActorID]mapActor `json:"actors"`
	States      map[truce.State]string     `json:"states"` // state → its name in the language
	Scopes      map[string]string          `json:"scopes"`
	Governorate map[string]string          `json:"governorates"`
	Texts       map[string]string          `json:"texts"`
	Coarse      bool                       `json:"coarse"` // the viewer sees others' reports coarsened
	Area        [4]float64                 `json:"area"`
}

type mapActor struct {
	Name       string `json:"name"`
	Colour     string `json:"colour"`
	Designated bool   `json:"designated,omitempty"`
}

func (h *Handler) mapConfig(a *truce.Agreement, rq *request) mapConfigData {
	l := rq.lang
	c := mapConfigData{
		Lang: l, Dir: l.Dir(), Area: a.Area,
		From:   a.Effective.UTC().Format(time.DateOnly),
		To:     h.Service.Now().UTC().Format(time.DateOnly),
		Actors: map[truce.ActorID]mapActor{}, States: map[truce.State]string{},
		Scopes: map[string]string{}, Governorate: map[string]string{}, Texts: map[string]string{},
	}
	for _, x := range a.Actors {
		c.Actors[x.ID] = mapActor{Name: actorName(a, l, x.ID), Colour: actorColour(a, &x), Designated: x.Standing == truce.Excluded}
	}
	for _, s := range truce.States {
		c.States[s] = text(l, string(s))
	}
	for _, s := range truce.Scopes {
		c.Scopes[s] = text(l, s)
	}
	for _, g := range places.Governorates() {
		c.Governorate[g.PCode] = i18n.Governorate(g.PCode, l)
	}
	for _, k := range []string{"zones", "lines", "lines.desig", "positions", "reports", "basemap", "map.shown", "map.nocoords", "report", "perpetrator", "unknown", "filed", "consensus", "scope", "coordinates", "exact", "coarse"} {
		c.Texts[k] = text(l, k)
	}
	if m := rq.member(); m != nil {
		c.Coarse = a.DisclosureFor(m.Role, "", "").Coordinates != truce.DiscloseExact
	}
	return c
}

// Colours of the map, chosen to tell apart the sides a viewer cares
// about: the government red, the opposition greens, the designated
// groups black and brown, a guarantor's own forces blue, anyone else
// ochre.
var (
	governmentColour  = "#c62d42"
	oppositionColours = []string{"#2e8b57", "#3cb371", "#228b22", "#6b8e23", "#20b2aa", "#66a35e", "#4f9d69", "#8fbc5a", "#2f7f6f"}
	designatedColours = []string{"#222222", "#7b4a2a", "#5a5a5a"}
	guarantorColour   = "#4a6fa5"
	otherColour       = "#d4a017"
)

// actorColour is the fill of an actor's areas on the map.
func actorColour(a *truce.Agreement, x *truce.Actor) string {
	var n, d int
	for _, y := range a.Actors {
		if y.ID == x.ID {
			break
		}
		if y.Standing == truce.Party && y.Kind != truce.KindStateForce {
			n++
		}
		if y.Standing == truce.Excluded {
			d++
		}
	}
	switch {
	case x.Standing == truce.Party && x.Kind == truce.KindStateForce:
		return governmentColour
	case x.Standing == truce.Party:
		return oppositionColours[n%len(oppositionColours)]
	case x.Standing == truce.Excluded:
		return designatedColours[d%len(designatedColours)]
	case x.Standing == truce.Guarantor:
		return guarantorColour
	}
	return otherColour
}

// The map's layers, each from the same service call as its API route.

func (h *Handler) handleZonesData(r *http.Request, m *truce.Member) (any, error) {
	return h.Service.Zones(r.Context(), m, r.URL.Query().Get("at"), "")
}

func (h *Handler) handleLinesData(r *http.Request, m *truce.Member) (any, error) {
	return h.Service.Lines(r.Context(), m, r.URL.Query().Get("at"), false)
}

// handlePositionsData gives the designated groups' positions standing at
// a time, as the viewer may see them; a position whose coordinates the
// viewer may not see is left out, as it could not be drawn.
func (h *Handler) handlePositionsData(r *http.Request, m *truce.Member) (any, error) {
	ctx := r.Context()
	a, err := h.Service.Agreement(ctx)
	if err != nil {
		return nil, err
	}
	fc, err := h.Service.Positions(ctx, m, r.URL.Query().Get("at"))
	if err != nil {
		return nil, err
	}
	kept := fc.Features[:0]
	for _, f := range fc.Features {
		id, _ := f.Properties["actor"].(truce.ActorID)
		if x := a.Actor(id); x != nil && x.Standing == truce.Excluded && f.Geometry.Type != "" {
			kept = append(kept, f)
		}
	}
	fc.Features = kept
	return fc, nil
}

// mapReport is a report as a marker: as little as the popup shows.
type mapReport struct {
	ID          truce.ReportID `json:"id"`
	Lon         float64        `json:"lon"`
	Lat         float64        `json:"lat"`
	Coordinates string         `json:"coordinates"`
	Consensus   truce.State    `json:"consensus"`
	OccurredAt  time.Time      `json:"occurred_at"`
	EventType   string         `json:"event_type"`
	SubEvent    string         `json:"sub_event_type"`
	Perpetrator truce.ActorID  `json:"perpetrator,omitempty"`
	Place       string         `json:"place,omitempty"`
	Scope       string         `json:"scope,omitempty"`
	ADM1        string         `json:"adm1,omitempty"`
}

type mapReports struct {
	Reports []mapReport `json:"reports"`
	// Unplaced counts the reports selected whose coordinates the viewer
	// may not see; Capped says more reports matched than the map holds.
	Unplaced int  `json:"unplaced"`
	Capped   bool `json:"capped"`
}

// MaxMapReports bounds the reports one map shows.
const MaxMapReports = 5000

// handleReportsData lists the reports that occurred up to the end of the
// day ?to= (all when empty), filtered as the API's listing filters them
// (?consensus, scope, governorate, perpetrator), with each report's
// coordinates as the viewer may see them.
func (h *Handler) handleReportsData(r *http.Request, m *truce.Member) (any, error) {
	qs := r.URL.Query()
	q := workflow.ReportQuery{
		Consensus: qs.Get("consensus"), Scope: qs.Get("scope"), Governorate: qs.Get("governorate"),
		Perpetrator: qs.Get("perpetrator"), Limit: strconv.Itoa(workflow.MaxPageSize),
	}
	if to := qs.Get("to"); to != "" {
		d, err := time.Parse(time.DateOnly, to)
		if err != nil || len(to) != 10 {
			return nil, truce.Invalidf("to", "%.40q is not a date YYYY-MM-DD", to)
		}
		q.To = d.AddDate(0, 0, 1).Format(time.DateOnly)
	}
	out := &mapReports{Reports: []mapReport{}}
	for {
		page, err := h.Service.ListReports(r.Context(), m, q)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Reports {
			if v.Lon == nil || v.Lat == nil {
				out.Unplaced++
				continue
			}
			mr := mapReport{
				ID: v.ID, Lon: *v.Lon, Lat: *v.Lat, Coordinates: v.Coordinates, Consensus: v.Consensus,
				OccurredAt: v.OccurredAt, EventType: v.EventType, SubEvent: v.SubEventType, Perpetrator: v.Perpetrator, Place: v.Place,
			}
			if c := v.Classification; c != nil {
				mr.Scope, mr.ADM1 = c.Scope, c.ADM1
			}
			out.Reports = append(out.Reports, mr)
		}
		if page.Next == "" {
			break
		}
		if len(out.Reports)+out.Unplaced >= MaxMapReports {
			out.Capped = true
			break
		}
		q.Cursor = page.Next
	}
	return out, nil
}

// MaxPlaces bounds the candidates a gazetteer search returns.
const MaxPlaces = 10

// handlePlaces searches the gazetteer for ?q=, as `truce geo lookup`
// does.
func (h *Handler) handlePlaces(r *http.Request, m *truce.Member) (any, error) {
	q := r.URL.Query().Get("q")
	if q == "" {
		return nil, truce.Invalidf("q", "is required: a place name in English or Arabic")
	}
	if len(q) > 200 {
		return nil, truce.Invalidf("q", "must be at most 200 characters")
	}
	cs := places.Lookup(q, MaxPlaces)
	if cs == nil {
		cs = []places.Candidate{}
	}
	return map[string]any{"places": cs}, nil
}

// mapPage is the map page's own data.
type mapPage struct {
	HasMapLib     bool
	Config        template.JS
	To            string
	Days          int
	States        []truce.State
	Scopes        []string
	Governorates  []string
	Perpetrators  []truce.Actor
	Agreement     *truce.Agreement
	ByScope       bool
	ByGovernorate bool
	Coarse        bool
}

// handleMap shows the map with its filters and legend; the layers come
// from the endpoints above, fetched by static/map.js.
func (h *Handler) handleMap(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := signedIn(rq)
	if err != nil {
		return err
	}
	a, err := h.Service.Agreement(r.Context())
	if err != nil {
		return err
	}
	cfg := h.mapConfig(a, rq)
	from, _ := time.Parse(time.DateOnly, cfg.From)
	to, _ := time.Parse(time.DateOnly, cfg.To)
	d := mapPage{
		HasMapLib: h.hasMapLib, Config: template.JS(mustJSON(cfg)), To: cfg.To,
		Days:   max(0, int(to.Sub(from).Hours()/24)),
		States: truce.States, Scopes: truce.Scopes, Agreement: a, Coarse: cfg.Coarse,
	}
	d.ByGovernorate, d.ByScope, _ = a.DisclosureFor(m.Role, "", "").ClassificationFilters()
	for _, g := range places.Governorates() {
		d.Governorates = append(d.Governorates, g.PCode)
	}
	for _, x := range a.Actors {
		if x.Standing == truce.Party || x.Standing == truce.Excluded || x.Standing == truce.Other {
			d.Perpetrators = append(d.Perpetrators, x)
		}
	}
	h.render(w, rq, http.StatusOK, "map.html", "map", "map", d)
	return nil
}

// handleAttribution gives the sources of the base map and the licences of
// the map's libraries.
func (h *Handler) handleAttribution(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, places.Attribution())
	io.WriteString(w, "\n\nThe map is drawn by Leaflet (BSD 2-Clause licence, https://leafletjs.com) and Leaflet.markercluster (MIT licence); their licences are served at /static/vendor/LICENSE-leaflet and /static/vendor/LICENSE-leaflet.markercluster.\n")
}
