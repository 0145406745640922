package fixturegen

import (
	"strings"
	"testing"
	"time"

	"truce"
)

func TestReadEvents(t *testing.T) {
	const in = `"id","type_of_violence","side_a","side_b","source_headline","where_prec","where_coordinates","adm_1","adm_2","latitude","longitude","event_clarity","date_prec","date_start","deaths_a","deaths_b","deaths_civilians","low","best","high"
1,1,"Government of Syria","Syrian insurgents","Shelling on
the ""town""",1,"Jasim town","Daraa Governorate","Izra district",32.99115,36.060232,1,1,"2016-12-30",0,0,1,1,1,1
2,1,"Government of Iran","Government of Israel","x",1,"p","a","b",33,36,1,1,"2018-05-10",0,0,0,1,1,1
3,3,"IS","Civilians","",2,"Tasil town","Daraa Governorate","Izra district",32.8,35.9,1,1,"2018-04-12",0,0,1,1,1,1
4,2,"IS","SDF","",1,"p","a","b",33,36,1,1,"2018-05-10",1,1,0,2,2,2
`
	events, err := ReadEvents(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadEvents() = %v, want nil", err)
	}
	if got, want := len(events), 2; got != want {
		t.Fatalf("len(events) = %d, want %d (Israel and non-state events skipped)", got, want)
	}
	if got, want := events[0].Headline, "Shelling on\nthe \"town\""; got != want {
		t.Errorf("Headline = %q, want %q", got, want)
	}
	if got, want := [2]truce.ActorID{events[0].ActorA, events[0].ActorB}, [2]truce.ActorID{"SYG", "OPP"}; got != want {
		t.Errorf("actors = %v, want %v", got, want)
	}
	if got, want := [2]truce.ActorID{events[1].ActorA, events[1].ActorB}, [2]truce.ActorID{"ISIL", ""}; got != want {
		t.Errorf("actors = %v, want %v", got, want)
	}
}

func TestPerpetratorAndType(t *testing.T) {
	for _, tt := range []struct {
		name     string
		e        Event
		filer    truce.ActorID
		perp     truce.ActorID
		sub      string
		occurred string
	}{
		{"government filer accuses opposition", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP", Headline: "Shelling and raids", Date: date(2018, 1, 2)},
			"RU", "OPP", "Shelling/artillery/missile attack", "2018-01-02T12:00:00+02:00"},
		{"opposition filer accuses government", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP", Headline: "Warplanes strike", Date: date(2018, 7, 2)},
			"FLS", "SYG", "Air/drone strike", "2018-07-02T12:00:00+03:00"},
		{"Russian air strike", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP", Headline: "Russian warplanes carry out raids"},
			"TR", "RU", "Air/drone strike", ""},
		{"opposition has no aircraft", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP", Headline: "Airstrikes target the countryside"},
			"SYG", "OPP", "Armed clash", ""},
		{"deaths on both sides", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP", Headline: "Shelling", DeathsA: 2, DeathsB: 1},
			"OPP", "SYG", "Armed clash", ""},
		{"opposition filer, government against ISIL", Event{Violence: 1, ActorA: "SYG", ActorB: "ISIL", Headline: "Airstrikes"},
			"TR", "SYG", "Air/drone strike", ""},
		{"government filer, Turkey against ISIL", Event{Violence: 1, ActorA: "TR", ActorB: "ISIL"},
			"RU", "ISIL", "Armed clash", ""},
		{"mines", Event{Violence: 1, ActorA: "SYG", ActorB: "ISIL", Headline: "The planted mines cause casualties"},
			"SYG", "ISIL", "Remote explosive/landmine/IED", ""},
		{"one-sided", Event{Violence: 3, ActorA: "OPP", Headline: "shelling"},
			"OPP", "OPP", "Attack", ""},
		{"observer names side A", Event{Violence: 1, ActorA: "SYG", ActorB: "OPP"},
			"UN", "SYG", "Armed clash", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := perpetrator(&tt.e, tt.filer); got != tt.perp {
				t.Errorf("perpetrator(%s) = %s, want %s", tt.filer, got, tt.perp)
			}
			if _, got := eventType(&tt.e, tt.perp); got != tt.sub {
				t.Errorf("eventType(%s) = %q, want %q", tt.perp, got, tt.sub)
			}
			if tt.occurred != "" {
				if got := occurredAt(&tt.e); got != tt.occurred {
					t.Errorf("occurredAt() = %s, want %s", got, tt.occurred)
				}
			}
		})
	}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
