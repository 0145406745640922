// Package trucetest holds fixtures shared by the tests of several packages.
package trucetest

import (
	"time"

	"truce"
)

// Agreement returns a small valid agreement: three guarantors (RU, IR, TR),
// two parties (SYG, answered for by RU and IR; OPP, by TR), an excluded
// group (JFS, alias Jabhat al-Nusra), an observer (UN) and a secretariat
// (JWG), with the Astana decision rules and disclosure policy. Each call
// returns a new value that tests may change.
func Agreement() *truce.Agreement {
	names := func(en string) map[string]string { return map[string]string{"en": en, "ar": en + " (ar)"} }
	exact := truce.Disclosure{Coordinates: truce.DiscloseExact}
	return &truce.Agreement{
		ID: "test", Names: names("Test ceasefire"),
		Effective: time.Date(2016, 12, 30, 0, 0, 0, 0, time.UTC),
		Area:      [4]float64{35.5, 32.3, 42.4, 37.4},
		Actors: []truce.Actor{
			{ID: "RU", Standing: truce.Guarantor, Kind: truce.KindState, Names: names("Russia")},
			{ID: "IR", Standing: truce.Guarantor, Kind: truce.KindState, Names: names("Iran")},
			{ID: "TR", Standing: truce.Guarantor, Kind: truce.KindState, Names: names("Turkey")},
			{ID: "SYG", Standing: truce.Party, Kind: truce.KindStateForce, Names: names("Government"), Guarantors: []truce.ActorID{"RU", "IR"}, Aliases: []string{"Syrian Arab Army"}},
			{ID: "OPP", Standing: truce.Party, Kind: truce.KindRebelGroup, Names: names("Opposition"), Guarantors: []truce.ActorID{"TR"}},
			{ID: "JFS", Standing: truce.Excluded, Kind: truce.KindDesignatedGroup, Names: names("Jabhat Fatah al-Sham"), Aliases: []string{"Jabhat al-Nusra", "al-Nusra Front"}},
			{ID: "UN", Standing: truce.Observer, Kind: truce.KindObserverBody, Names: names("United Nations")},
			{ID: "JWG", Standing: truce.Secretariat, Kind: truce.KindSecretariat, Names: names("Joint working group")},
		},
		Rules: truce.Rules{
			AnswerWindow: truce.Duration(72 * time.Hour),
			Consensus: []truce.ConsensusRule{
				{State: truce.Confirmed, Confirm: "all"},
				{State: truce.Rejected, Dispute: "all"},
				{State: truce.Contested, Confirm: "any", Dispute: "any"},
				{State: truce.Pending, Window: truce.WindowOpen},
				{State: truce.Unilateral, Dispute: "none"},
				{State: truce.Contested},
			},
		},
		Disclosure: map[truce.Role]truce.Disclosure{
			truce.RoleGuarantor: exact, truce.RoleMonitor: exact, truce.RoleOperator: exact,
			truce.RoleParty:    {Coordinates: truce.DiscloseCoarse, Grid: 0.01},
			truce.RoleObserver: {Coordinates: truce.DiscloseCoarse, Grid: 0.1},
			truce.RolePublic:   {Coordinates: truce.DiscloseHidden},
		},
		Sources: []string{"https://example.org/astana"},
	}
}
