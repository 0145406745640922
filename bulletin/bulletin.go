package bulletin

import (
	"slices"
	"sort"
	"time"

	"truce"
	"truce/i18n"
	"truce/places"
)

// Version is the version of the bulletin format, in its JSON and in the
// text its signature covers.
const Version = 1

// Outside is the pseudo P-code of the row of reports in no governorate.
const Outside = "outside"

// Bulletin is one day's bulletin. Its JSON form is the reference: the
// other formats render it, and the signature covers its canonical JSON
// without Signature.
type Bulletin struct {
	Version       int    `json:"version"`
	Agreement     string `json:"agreement"`      // the agreement's id
	AgreementName string `json:"agreement_name"` // its name in Lang
	Origin        string `json:"origin"`         // the log's origin
	Date          string `json:"date"`           // the day, YYYY-MM-DD (UTC)
	Lang          string `json:"lang"`
	// Checkpoint is the C2SP signed checkpoint the bulletin was computed
	// at, verbatim; TreeSize its size, and AsOf the time of its last
	// entry, at which consensus was evaluated.
	Checkpoint string `json:"checkpoint"`
	TreeSize   int64  `json:"tree_size"`
	AsOf       string `json:"as_of"`
	// Guarantors in the agreement's order, with their names in Lang.
	Guarantors []Name `json:"guarantors"`
	// Governorates has a row for each of Syria's fourteen, by P-code, and
	// one for reports in none (Outside) when there are any.
	Governorates []Row `json:"governorates"`
	Total        Row   `json:"total"`
	// Groups names the designated groups that operations of the day were
	// against, in the agreement's order.
	Groups     []Name      `json:"designated_groups"`
	Accessions Accessions  `json:"accessions"`
	Confirmed  []Violation `json:"confirmed_violations"`
	// Disclosure is the public's coordinate policy the list obeys.
	Disclosure string `json:"disclosure"`
	// Signature is the signed note over the bulletin (see the package
	// documentation); empty until signed.
	Signature string `json:"signature,omitempty"`
}

// Name is an actor's id and its name in the bulletin's language.
type Name struct {
	ID   truce.ActorID `json:"id"`
	Name string        `json:"name"`
}

// Counts are the ceasefire violations of a day in one place: how many,
// how many each guarantor registered, and how many are in each consensus
// state.
type Counts struct {
	Reports    int            `json:"reports"`
	ReportedBy map[string]int `json:"reported_by"` // every guarantor, 0 included
	Confirmed  int            `json:"confirmed"`
	Contested  int            `json:"contested"`
	Unilateral int            `json:"unilateral"`
	Pending    int            `json:"pending"`
	Rejected   int            `json:"rejected"`
}

// Designated counts the operations against designated groups: not
// violations, kept apart.
type Designated struct {
	Reports    int            `json:"reports"`
	ReportedBy map[string]int `json:"reported_by"`
	Confirmed  int            `json:"confirmed"`
	// Against counts them by designated group; "" when the report names
	// none and no designated group held the place.
	Against map[string]int `json:"against"`
}

// Row is one governorate's day (or the total's).
type Row struct {
	PCode string `json:"pcode,omitempty"` // empty in the total
	Name  string `json:"name"`
	Counts
	Designated Designated `json:"designated"`
	// OutsideScope counts reports the ceasefire does not cover for
	// another reason: outside the agreement's area, or in the area of an
	// actor it does not bind.
	OutsideScope int `json:"outside_scope"`
	// Settlements is how many settlements of the governorate had joined
	// by the end of the day.
	Settlements int    `json:"settlements"`
	Change      Change `json:"change"`
}

// Change is a row's day minus the previous day.
type Change struct {
	Counts
	Designated   int `json:"designated"`
	OutsideScope int `json:"outside_scope"`
	Settlements  int `json:"settlements"`
}

// Accessions are the totals to the end of the day, and how many joined on
// the day.
type Accessions struct {
	Groups            int `json:"groups"`
	Settlements       int `json:"settlements"`
	GroupsChange      int `json:"groups_change"`
	SettlementsChange int `json:"settlements_change"`
}

// Violation is a confirmed violation as the public may see it.
type Violation struct {
	ID              truce.ReportID `json:"id"`
	OccurredAt      string         `json:"occurred_at"`
	Governorate     string         `json:"governorate,omitempty"`
	GovernorateName string         `json:"governorate_name,omitempty"`
	Lon             *float64       `json:"lon,omitempty"`
	Lat             *float64       `json:"lat,omitempty"`
	Perpetrator     truce.ActorID  `json:"perpetrator,omitempty"`
	PerpetratorName string         `json:"perpetrator_name,omitempty"`
	EventType       string         `json:"event_type"`
	SubEventType    string         `json:"sub_event_type"`
}

// Input is the log's state at a checkpoint, as a bulletin needs it.
type Input struct {
	Agreement  *truce.Agreement
	Origin     string
	Checkpoint string    // the signed checkpoint note, verbatim
	TreeSize   int64     // its size
	AsOf       time.Time // the time of entry TreeSize-1
	Date       string    // YYYY-MM-DD
	Lang       i18n.Lang
	// Reports that occurred on Date and on the day before, as they stood
	// at the checkpoint (truce.ProjectionTx.ReportsAsOf).
	Reports []truce.ReportAsOf
	// Accessions dated on or before Date and recorded before TreeSize.
	Accessions []truce.Accession
}

// ParseDate parses a bulletin's date, YYYY-MM-DD, as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return time.Time{}, truce.Invalidf("date", "%q is not a date YYYY-MM-DD", clip(s))
	}
	return d, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Compute computes the bulletin of in.Date from in. It is a pure function
// of in; the result is not signed.
func Compute(in *Input) (*Bulletin, error) {
	day, err := ParseDate(in.Date)
	if err != nil {
		return nil, err
	}
	lang := in.Lang
	if lang == "" {
		lang = i18n.EN
	}
	a := in.Agreement
	policy := a.DisclosureFor(truce.RolePublic, "", "")
	b := &Bulletin{
		Version: Version, Agreement: a.ID, AgreementName: localName(a.Names, lang, a.ID),
		Origin: in.Origin, Date: in.Date, Lang: string(lang),
		Checkpoint: in.Checkpoint, TreeSize: in.TreeSize, AsOf: in.AsOf.UTC().Format(time.RFC3339Nano),
		Disclosure: policy.Coordinates, Confirmed: []Violation{},
	}
	guarantors := a.Guarantors()
	for _, g := range guarantors {
		b.Guarantors = append(b.Guarantors, Name{g, actorName(a, g, lang)})
	}
	today, yesterday := newTally(guarantors), newTally(guarantors)
	for i := range in.Reports {
		r := &in.Reports[i]
		t := today
		switch {
		case r.OccurredAt.Before(day.AddDate(0, 0, -1)) || !r.OccurredAt.Before(day.AddDate(0, 0, 1)):
			continue // not asked for
		case r.OccurredAt.Before(day):
			t = yesterday
		}
		state := t.add(a, r, in.AsOf)
		if t == today && state == truce.Confirmed && violation(r) {
			b.Confirmed = append(b.Confirmed, publicViolation(a, policy, r, lang))
		}
	}
	sort.Slice(b.Confirmed, func(i, j int) bool {
		x, y := b.Confirmed[i], b.Confirmed[j]
		if x.OccurredAt != y.OccurredAt {
			return x.OccurredAt < y.OccurredAt
		}
		return x.ID < y.ID
	})
	for _, x := range in.Accessions {
		if x.Date > in.Date {
			continue
		}
		adm1 := ""
		if x.Kind == truce.AccessionSettlement {
			if c, ok := places.CommunityByPCode(x.PCode); ok {
				adm1 = c.ADM1
			}
		}
		today.accession(x, adm1)
		if x.Date < in.Date {
			yesterday.accession(x, adm1)
		}
	}
	b.Accessions = today.accessions
	b.Accessions.GroupsChange = today.accessions.Groups - yesterday.accessions.Groups
	b.Accessions.SettlementsChange = today.accessions.Settlements - yesterday.accessions.Settlements
	b.Governorates, b.Total = rows(today, yesterday, guarantors, lang)
	b.Groups = []Name{}
	for _, x := range a.Actors {
		if today.groups[x.ID] {
			b.Groups = append(b.Groups, Name{x.ID, actorName(a, x.ID, lang)})
		}
	}
	return b, nil
}

// violation reports whether a report counts as a ceasefire violation:
// anything the ceasefire may cover, that is not excluded or outside it.
func violation(r *truce.ReportAsOf) bool {
	return r.Scope != truce.ScopeExcluded && r.Scope != truce.ScopeOutside
}

// publicViolation is a confirmed violation as the public policy shows it.
func publicViolation(a *truce.Agreement, policy truce.Disclosure, r *truce.ReportAsOf, lang i18n.Lang) Violation {
	v := Violation{
		ID: r.ID, OccurredAt: r.OccurredAt.UTC().Format(time.RFC3339Nano),
		EventType: r.EventType, SubEventType: r.SubEventType, Perpetrator: r.Perpetrator,
	}
	if r.Perpetrator != "" {
		v.PerpetratorName = actorName(a, r.Perpetrator, lang)
	}
	if c := policy.Classify(&truce.Classification{ADM1: r.ADM1, Scope: r.Scope}); c != nil {
		v.Governorate = c.ADM1
		if v.Governorate != "" {
			v.GovernorateName = i18n.Governorate(v.Governorate, lang)
		}
	}
	if lon, lat, ok := policy.Apply(r.Lon, r.Lat); ok {
		v.Lon, v.Lat = &lon, &lat
	}
	return v
}

// rows builds the governorates' rows and the total, in P-code order with
// Outside last.
func rows(today, yesterday *tally, guarantors []truce.ActorID, lang i18n.Lang) ([]Row, Row) {
	codes := map[string]bool{}
	for _, g := range places.Governorates() {
		codes[g.PCode] = true
	}
	for _, t := range []*tally{today, yesterday} {
		for code := range t.rows {
			codes[code] = true
		}
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == Outside) != (keys[j] == Outside) {
			return keys[j] == Outside
		}
		return keys[i] < keys[j]
	})
	var out []Row
	total := Row{Name: text(lang, "total")}
	total.init(guarantors)
	for _, code := range keys {
		r := today.row(code)
		r.PCode, r.Name = code, governorateName(code, lang)
		r.Change = r.minus(yesterday.row(code), guarantors)
		out = append(out, *r)
		total.addRow(r, guarantors)
	}
	return out, total
}

func governorateName(code string, lang i18n.Lang) string {
	if code == Outside {
		return text(lang, "outside_row")
	}
	return i18n.Governorate(code, lang)
}

// localName is a names map's entry for lang, else its English one, else
// fallback.
func localName(names map[string]string, lang i18n.Lang, fallback string) string {
	if n := names[string(lang)]; n != "" {
		return n
	}
	if n := names["en"]; n != "" {
		return n
	}
	return fallback
}

func actorName(a *truce.Agreement, id truce.ActorID, lang i18n.Lang) string {
	x := a.Actor(id)
	if x == nil {
		return string(id)
	}
	return localName(x.Names, lang, string(id))
}

// ParseLang parses a bulletin's language: en, ar, ru, tr or fa; en when
// empty.
func ParseLang(code string) (i18n.Lang, error) {
	if code == "" {
		return i18n.EN, nil
	}
	l, err := i18n.Parse(code)
	if err != nil {
		return "", truce.Invalidf("lang", "%v", err)
	}
	return l, nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
