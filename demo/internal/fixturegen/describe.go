package fixturegen

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Damascus, the same on every machine

	"truce"
)

// Camps: whom a filer accuses. Russia and Iran answer for the government,
// Turkey for the armed opposition; observers take no side.
var (
	governmentCamp = []truce.ActorID{"SYG", "RU", "IR"}
	oppositionCamp = []truce.ActorID{"TR", "OPP", "FLS", "JAI", "AHS", "TSH", "JMJ", "JID", "JSH", "JAS"}
)

func inCamp(id truce.ActorID, camp []truce.ActorID) bool {
	for _, c := range camp {
		if c == id {
			return true
		}
	}
	return false
}

// perpetrator is the side of e a member of org accuses. The perpetrator of
// one-sided violence is side A. Otherwise a filer of the government camp
// accuses the side outside it (a designated group first); a filer of the
// opposition camp accuses the side outside it, and when neither side is in
// it, the government side (Russia for Russian air strikes); an observer's
// monitor names side A, as UCDP does.
func perpetrator(e *Event, org truce.ActorID) truce.ActorID {
	if e.Violence == 3 {
		return e.ActorA
	}
	a, b := e.ActorA, e.ActorB
	switch {
	case inCamp(org, governmentCamp):
		switch {
		case inCamp(a, governmentCamp):
			return b
		case inCamp(b, governmentCamp):
			return a
		case excluded(b) && !excluded(a):
			return b
		}
		return a
	case inCamp(org, oppositionCamp):
		var p truce.ActorID
		switch {
		case inCamp(a, oppositionCamp):
			p = b
		case inCamp(b, oppositionCamp):
			p = a
		case inCamp(b, governmentCamp) && !inCamp(a, governmentCamp):
			p = b
		default:
			p = a
		}
		if p == "SYG" && fire(e.Headline) == airFire && strings.Contains(strings.ToLower(e.Headline), "russian") {
			p = "RU"
		}
		return p
	}
	return a
}

func excluded(id truce.ActorID) bool { return id == "ISIL" || id == "JFS" }

// hasAircraft reports whether the actor flies aircraft over Syria.
func hasAircraft(id truce.ActorID) bool {
	return id == "SYG" || id == "RU" || id == "TR" || id == "IR"
}

// Kinds of fire a headline may name.
const (
	noFire = iota
	airFire
	artilleryFire
	mineFire
)

var (
	airWords       = regexp.MustCompile(`(?i)warplane|war plane|air ?strike|air raid|\braids?\b|aerial|helicopter|barrel|aircraft|\bjets?\b`)
	artilleryWords = regexp.MustCompile(`(?i)shell|artillery|rocket|missile|mortar|bombard|bombing|cannon`)
	mineWords      = regexp.MustCompile(`(?i)\bmines?\b|landmine|\bied\b|explosive device|car bomb|booby`)
)

// fire reads the kind of fire from a headline: mines first, otherwise
// whichever of air and artillery fire it names first.
func fire(headline string) int {
	if mineWords.MatchString(headline) {
		return mineFire
	}
	air := airWords.FindStringIndex(headline)
	art := artilleryWords.FindStringIndex(headline)
	switch {
	case air != nil && (art == nil || air[0] < art[0]):
		return airFire
	case art != nil:
		return artilleryFire
	}
	return noFire
}

// ACLED event types the fixture uses.
const (
	battles    = "Battles"
	explosions = "Explosions/Remote violence"
	civilians  = "Violence against civilians"
)

// eventType maps e, as alleged against perp, to an ACLED event and
// sub-event type: one-sided violence is an attack on civilians; deaths on
// both sides mean fighting; otherwise the headline's kind of fire decides,
// an air strike only when the accused has aircraft.
func eventType(e *Event, perp truce.ActorID) (string, string) {
	if e.Violence == 3 {
		return civilians, "Attack"
	}
	f := fire(e.Headline)
	switch {
	case f == mineFire:
		return explosions, "Remote explosive/landmine/IED"
	case e.DeathsA > 0 && e.DeathsB > 0:
		return battles, "Armed clash"
	case f == airFire && hasAircraft(perp):
		return explosions, "Air/drone strike"
	case f == artilleryFire:
		return explosions, "Shelling/artillery/missile attack"
	}
	return battles, "Armed clash"
}

// actorPhrase names an actor in a description.
var actorPhrase = map[truce.ActorID]string{
	"SYG":  "government forces",
	"OPP":  "armed opposition",
	"ISIL": "ISIL",
	"JFS":  "Jabhat Fatah al-Sham",
	"SDF":  "the SDF",
	"RU":   "Russian forces",
	"TR":   "Turkish forces",
	"IR":   "Iranian forces",
}

// aircraftPhrase names an actor's aircraft.
var aircraftPhrase = map[truce.ActorID]string{
	"SYG": "government aircraft",
	"RU":  "Russian aircraft",
	"TR":  "Turkish aircraft",
	"IR":  "Iranian drones",
}

// placeName shortens a UCDP place ("Jasim town") to the name itself.
func placeName(p string) string {
	for _, suffix := range []string{" town", " village", " suburb", " city"} {
		p = strings.TrimSuffix(p, suffix)
	}
	return p
}

func governorate(adm1 string) string {
	return strings.TrimSuffix(adm1, " Governorate")
}

// describe writes a report's description from the event's structured
// fields, as the filer alleges it; it never quotes UCDP's sources.
func describe(e *Event, perp truce.ActorID, sub string) string {
	other := e.ActorB
	if perp == e.ActorB {
		other = e.ActorA
	}
	where := fmt.Sprintf("%s (%s)", placeName(e.Place), governorate(e.Adm1))
	var b strings.Builder
	switch sub {
	case "Armed clash":
		fmt.Fprintf(&b, "Clashes between %s and %s at %s.", actorPhrase[perp], actorPhrase[other], where)
	case "Air/drone strike":
		fmt.Fprintf(&b, "Air strike by %s on %s.", aircraftPhrase[perp], where)
	case "Shelling/artillery/missile attack":
		fmt.Fprintf(&b, "Shelling by %s of %s.", actorPhrase[perp], where)
	case "Remote explosive/landmine/IED":
		fmt.Fprintf(&b, "Explosive devices laid by %s went off at %s.", actorPhrase[perp], where)
	case "Attack":
		fmt.Fprintf(&b, "Civilians killed by %s at %s.", actorPhrase[perp], where)
	}
	if e.Zone != "" {
		fmt.Fprintf(&b, " In %s.", e.Zone)
	} else if day := e.Date.Sub(ceasefireStart).Hours()/24 + 1; day >= 1 && day <= 2 {
		fmt.Fprintf(&b, " On day %.0f of the nationwide ceasefire.", day)
	}
	fmt.Fprintf(&b, " UCDP GED event %d; deaths best %d (low %d, high %d)", e.ID, e.Best, e.Low, e.High)
	if e.DeathsCivilians > 0 {
		fmt.Fprintf(&b, ", civilians %d", e.DeathsCivilians)
	}
	b.WriteString(".")
	return b.String()
}

var damascus = mustLoad("Asia/Damascus")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// occurredAt is noon in Syria on the event's first day, with the offset
// Syria used then (UTC+3 in summer 2018).
func occurredAt(e *Event) string {
	t := time.Date(e.Date.Year(), e.Date.Month(), e.Date.Day(), 12, 0, 0, 0, damascus)
	return t.Format(time.RFC3339)
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// reportInput is the report a member of org files about e.
func reportInput(e *Event, org, accuse truce.ActorID) truce.ReportInput {
	perp := accuse
	if perp == "" {
		perp = perpetrator(e, org)
	}
	et, sub := eventType(e, perp)
	lon, lat := round4(e.Lon), round4(e.Lat)
	return truce.ReportInput{
		OccurredAt:   occurredAt(e),
		Lon:          &lon,
		Lat:          &lat,
		EventType:    et,
		SubEventType: sub,
		Perpetrator:  string(perp),
		Description:  describe(e, perp, sub),
	}
}
