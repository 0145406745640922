package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// reportBody is the JSON a client sends to POST /api/v1/reports: the
// fields of truce.ReportInput that a filer fills in, written out here as
// any client would, so that the generator sends the same bytes whatever
// fields the input type grows.
type reportBody struct {
	OccurredAt   string  `json:"occurred_at"`
	Lon          float64 `json:"lon"`
	Lat          float64 `json:"lat"`
	EventType    string  `json:"event_type"`
	SubEventType string  `json:"sub_event_type"`
	Perpetrator  string  `json:"perpetrator"`
	Description  string  `json:"description"`
}

// place is a town in Syria, at its approximate centre.
type place struct {
	name     string
	lon, lat float64
}

// Material for report bodies: the kind of thing a monitor files. Every
// place lies inside Syria (lon 35.8–42.0, lat 32.5–37.0), and stays inside
// with the jitter added to it.
var (
	places = []place{
		{"Khan Shaykhun", 36.64, 35.44}, {"Maarat al-Numan", 36.67, 35.65}, {"Saraqib", 36.80, 35.86},
		{"Jisr al-Shughur", 36.32, 35.81}, {"Idlib", 36.63, 35.93}, {"Ariha", 36.61, 35.81},
		{"Kafr Zita", 36.60, 35.37}, {"Latamneh", 36.62, 35.32}, {"Hama", 36.75, 35.13},
		{"al-Rastan", 36.72, 34.93}, {"Talbiseh", 36.73, 34.84}, {"Homs", 36.72, 34.73},
		{"Douma", 36.40, 33.57}, {"Harasta", 36.37, 33.56}, {"Jobar", 36.33, 33.53},
		{"Darayya", 36.24, 33.46}, {"Ain al-Fijah", 36.18, 33.66}, {"Daraa", 36.10, 32.62},
		{"Aleppo", 37.16, 36.20}, {"al-Bab", 37.52, 36.37}, {"Manbij", 37.95, 36.53},
		{"Raqqa", 39.01, 35.95}, {"Deir ez-Zor", 40.14, 35.33}, {"Palmyra", 38.27, 34.56},
		{"Abu Kamal", 40.92, 34.45}, {"al-Hasakah", 40.75, 36.50},
	}
	landmarks = []string{"grain silos", "main market", "old mosque", "water station", "school",
		"field hospital", "bakery", "bus depot", "checkpoint", "power station"}
	// Names the agreement resolves to an actor, and sometimes none: a
	// filer need not know who fired. Only the government flies.
	ground = []string{"Jabhat al-Nusra", "Jabhat al-Nusra", "ISIL", "Syrian Arab Army", "SYG",
		"Ahrar ash-Sham", "Jaish al-Islam", "Hay'at Tahrir al-Sham", ""}
	air = []string{"Syrian Arab Army", "SYG", ""}
)

// event is an ACLED event type pair, who may have done it, and how a filer
// describes one: a format taking the time (%[1]s), a count (%[2]d), the
// town (%[3]s) and a landmark (%[4]s).
type event struct {
	eventType, subEventType string
	perpetrators            []string
	format                  string
}

var events = []event{
	{"Explosions/Remote violence", "Shelling/artillery/missile attack", ground,
		"At about %s local time %d artillery shells fell on the eastern edge of %s, near the %s. The local council reported damage to houses and asked for the firing positions to be identified."},
	{"Explosions/Remote violence", "Air/drone strike", air,
		"At %s local time aircraft struck %d times at the outskirts of %s, close to the %s. Witnesses heard the jets for several minutes; civil defence teams searched the rubble."},
	{"Explosions/Remote violence", "Remote explosive/landmine/IED", ground,
		"An explosive device went off at %[1]s local time on the road into %[3]s, %[2]d metres from the %[4]s. A passing vehicle was destroyed and the road was closed."},
	{"Battles", "Armed clash", ground,
		"Heavy machine-gun fire was exchanged from %s local time for about %d minutes on the frontline north of %s, near the %s. Both sides reported casualties; the clash ended at dusk."},
	{"Violence against civilians", "Attack", ground,
		"At %s local time gunmen opened fire on %d civilians queueing in %s outside the %s. Two were wounded and taken to hospital; the attackers left in a pickup truck."},
	{"Violence against civilians", "Abduction/forced disappearance", ground,
		"At about %s local time %d men were taken from their homes in %s and driven towards the %s. Their families have had no news of them and ask the guarantors to intervene."},
}

// bodies returns n JSON report bodies drawn from a random source seeded
// with seed: the same seed gives the same bodies. Times fall in 2017, the
// first year of the ceasefire, so they are in the past; descriptions run
// to 150–250 characters.
func bodies(seed uint64, n int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 0x7275636501))
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.FixedZone("", 2*3600))
	out := make([][]byte, n)
	for i := range out {
		p := places[rng.IntN(len(places))]
		lon := round(p.lon+0.04*(rng.Float64()-0.5), 4)
		lat := round(p.lat+0.04*(rng.Float64()-0.5), 4)
		ev := events[rng.IntN(len(events))]
		at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Minute)
		in := reportBody{
			OccurredAt: at.Format(time.RFC3339), Lon: lon, Lat: lat,
			EventType: ev.eventType, SubEventType: ev.subEventType,
			Perpetrator: ev.perpetrators[rng.IntN(len(ev.perpetrators))],
			Description: describe(ev, at, p.name, landmarks[rng.IntN(len(landmarks))], rng),
		}
		b, err := json.Marshal(&in)
		if err != nil {
			panic(err) // a reportBody always marshals
		}
		out[i] = b
	}
	return out
}

// describe fills an event's format; only the count's range depends on it.
func describe(ev event, at time.Time, town, landmark string, rng *rand.Rand) string {
	var n int
	switch ev.subEventType {
	case "Remote explosive/landmine/IED":
		n = 50 + rng.IntN(450) // metres
	case "Armed clash":
		n = 10 + rng.IntN(110) // minutes
	default:
		n = 2 + rng.IntN(20)
	}
	return fmt.Sprintf(ev.format, at.Format("15:04"), n, town, landmark)
}

// round rounds x to d decimal places, as a monitor's GPS reading would be.
func round(x float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(x*p) / p
}
