// Package truce holds the vocabulary of a ceasefire monitoring mechanism:
// the agreement being monitored, its actors and members, the reports they
// file, the assessments guarantors make of them, the entries of the log that
// records all of it, and the pure rules that decide consensus. It does no I/O;
// the adapters (log, sqlite, workflow, http, cmd/truce) build on it.
package truce

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ActorID identifies an organisation within an agreement: upper-case ASCII
// letters and digits, 2 to 16 characters ("RU", "SYG", "ISIL").
type ActorID string

var actorIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}$`)

// Valid reports whether id has the form of an actor id.
func (id ActorID) Valid() bool { return actorIDPattern.MatchString(string(id)) }

// Standing is what an actor is to an agreement.
type Standing string

const (
	Guarantor   Standing = "guarantor"   // answers for parties, assesses reports, approves maps
	Party       Standing = "party"       // bound by the ceasefire
	Excluded    Standing = "excluded"    // a designated group the ceasefire does not cover
	Observer    Standing = "observer"    // reads, does not decide
	Secretariat Standing = "secretariat" // runs the mechanism's servers; never a side
	Other       Standing = "other"       // named so reports can cite it; neither party nor excluded
)

// Standings lists every standing, in the order the agreement file lists them.
var Standings = []Standing{Guarantor, Party, Excluded, Observer, Secretariat, Other}

// ActorKind says what sort of organisation an actor is.
type ActorKind string

const (
	KindState           ActorKind = "state"            // a state acting as guarantor or observer
	KindStateForce      ActorKind = "state_force"      // a government's armed forces
	KindRebelGroup      ActorKind = "rebel_group"      // a non-state armed group
	KindDesignatedGroup ActorKind = "designated_group" // a group designated as terrorist
	KindObserverBody    ActorKind = "observer_body"    // an international organisation
	KindSecretariat     ActorKind = "secretariat"      // the joint body's own staff
)

// ActorKinds lists every kind.
var ActorKinds = []ActorKind{KindState, KindStateForce, KindRebelGroup, KindDesignatedGroup, KindObserverBody, KindSecretariat}

// Languages are the languages an actor's names are kept in. English and
// Arabic are required; the guarantors' languages are expected.
var Languages = []string{"en", "ar", "ru", "tr", "fa"}

// Actor is an organisation known to an agreement.
type Actor struct {
	ID       ActorID           `json:"id"`
	Standing Standing          `json:"standing"`
	Kind     ActorKind         `json:"kind"`
	Names    map[string]string `json:"names"`             // language code → name
	Aliases  []string          `json:"aliases,omitempty"` // other names met in reports and news
	// ACLEDInter is the ACLED actor type (1 state forces … 8 external/other
	// forces); 0 when ACLED has no type for it.
	ACLEDInter int `json:"acled_inter,omitempty"`
	// Guarantors are, for a party, the guarantors answering for it.
	Guarantors []ActorID `json:"guarantors,omitempty"`
	// Since is when the actor took its standing (accession, designation),
	// as a date "2006-01-02"; empty means from the agreement's start.
	Since string `json:"since,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Name returns the actor's English name, or its id.
func (a *Actor) Name() string {
	if n := a.Names["en"]; n != "" {
		return n
	}
	return string(a.ID)
}

// NormalizeName folds a name for matching: Unicode compatibility
// decomposition, case folded, combining marks (Latin diacritics, Arabic
// tashkil) and modifier letters (ʼ ʿ, tatweel) dropped, and only letters and digits kept, so that
// spacing, hyphens and apostrophes do not matter: "Jabhat Fateh al-Sham",
// "jabhat fateh alsham" and "JABHAT FATEH AL SHAM" fold alike.
func NormalizeName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		// Modifier letters (ʼ ʿ ʾ, Arabic tatweel) are spelling, not letters.
		if (unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r)) || unicode.IsDigit(r) {
			if f, ok := arabicFold[r]; ok {
				r = f
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// arabicFold maps letters that Arabic and Persian spellings of one name
// write differently to one of them: Persian yeh and kaf, alef maqsura, teh
// marbuta and alef wasla. (Alef with hamza above or below decomposes to a
// bare alef and a dropped mark.)
var arabicFold = map[rune]rune{
	'ی': 'ي', // Persian yeh
	'ى': 'ي', // alef maqsura
	'ک': 'ك', // Persian kaf (keheh)
	'ة': 'ه', // teh marbuta
	'ٱ': 'ا', // alef wasla
}
