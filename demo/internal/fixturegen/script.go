package fixturegen

import "truce"

// A scene is what happens to one selected event in the demo: who files it,
// how many days before the demo is seeded, the state it should then be in,
// and the guarantors' answers. The filer's organisation decides whom the
// report accuses (see perpetrator) unless accuse says otherwise.
type scene struct {
	ucdp    int
	org     truce.ActorID
	role    truce.Role
	days    float64
	expect  truce.State
	accuse  truce.ActorID
	answers []answer
}

// An answer is a guarantor's assessment, hours after the filing.
type answer struct {
	org     truce.ActorID
	verdict truce.Verdict
	reason  string
	hours   float64
}

const (
	guarantor = truce.RoleGuarantor
	party     = truce.RoleParty
	monitor   = truce.RoleMonitor

	confirm = truce.Confirm
	dispute = truce.Dispute
	cannot  = truce.CannotVerify
)

// script has one scene for every event Select draws; Build fails when the
// two disagree. Against the Astana rules (answer window 72 hours): 8
// confirmed, 3 rejected, 10 contested, 8 unilateral, 7 pending. Reports a
// guarantor's own member files count as that guarantor's confirmation.
// Russia changes its answer twice (233206, 256995), Turkey once (261774).
var script = []scene{
	// The first two days of the nationwide ceasefire, 30–31 December 2016.
	{ucdp: 233194, org: "RU", role: guarantor, days: 13.6, expect: truce.Confirmed, answers: []answer{
		{"IR", confirm, "", 5},
		{"TR", confirm, "ISIL is not a party; recorded as an operation against a designated group.", 26},
	}},
	{ucdp: 233195, org: "TR", role: monitor, days: 12.9, expect: truce.Contested, answers: []answer{
		{"RU", dispute, "The Russian Reconciliation Centre recorded no government fire on Kafr Dael on 31 December; the shells came from Jabhat Fatah al-Sham positions west of Aleppo.", 9},
		{"IR", dispute, "No Iranian advisers in western Aleppo reported firing that day.", 31},
	}},
	{ucdp: 233199, org: "SYG", role: party, days: 12.4, expect: truce.Contested, answers: []answer{
		{"RU", confirm, "", 3},
		{"TR", dispute, "Our contacts in the southern Aleppo countryside report government fire on Huwayr al-Eis that day, not an opposition attack.", 14},
		{"IR", confirm, "", 40},
	}},
	{ucdp: 233206, org: "JAI", role: party, days: 11.8, expect: truce.Confirmed, answers: []answer{
		{"TR", confirm, "", 6},
		{"RU", cannot, "No Russian post overlooks the Marj front; the request was passed to the Syrian command.", 20},
		{"IR", confirm, "", 30},
		{"RU", confirm, "The Syrian command's log for 31 December records artillery fire on Midaana.", 61},
	}},
	{ucdp: 233209, org: "AHS", role: party, days: 10.7, expect: truce.Unilateral, answers: []answer{
		{"TR", confirm, "", 7},
		{"RU", cannot, "The report places the fire only in \"Eastern Ghouta\"; without a town or a grid reference there is nothing to check.", 28},
	}},
	{ucdp: 233212, org: "RU", role: monitor, days: 10.2, expect: truce.Contested, answers: []answer{
		{"IR", confirm, "", 12},
		{"TR", dispute, "The exchange in Daraa al-Balad began with a government advance; the opposition returned fire.", 22},
	}},
	{ucdp: 234791, org: "TR", role: guarantor, days: 9.9, expect: truce.Confirmed, answers: []answer{
		{"RU", confirm, "Russian aircraft supported the operation against ISIL at al-Bab that day.", 4},
		{"IR", confirm, "", 18},
	}},
	{ucdp: 240886, org: "SYG", role: party, days: 9.4, expect: truce.Rejected, answers: []answer{
		{"TR", dispute, "Our contacts in Jasim report no opposition attack on 30 December; the death was caused by an earlier incident.", 10},
		{"RU", dispute, "The Russian post at Izra recorded no exchange of fire at Jasim on 30 December.", 21},
		{"IR", dispute, "Duplicate of an incident already recorded before the ceasefire took effect.", 44},
	}},

	// Idlib.
	{ucdp: 255953, org: "FLS", role: party, days: 8.9, expect: truce.Contested, answers: []answer{
		{"TR", confirm, "", 2},
		{"RU", dispute, "Government artillery answered fire from Hay'at Tahrir al-Sham positions near Abu Habba, which the ceasefire does not cover.", 15},
		{"IR", dispute, "Not a violation: the target was a position of a designated group.", 33},
	}},
	{ucdp: 256242, org: "IR", role: guarantor, days: 8.3, expect: truce.Confirmed, answers: []answer{
		{"RU", confirm, "", 6},
		{"TR", confirm, "ISIL's pocket east of the Hejaz railway is outside the ceasefire; the clash is confirmed as an operation against ISIL.", 29},
	}},
	{ucdp: 256309, org: "RU", role: guarantor, days: 7.9, expect: truce.Contested, answers: []answer{
		{"IR", confirm, "", 3},
		{"TR", dispute, "The aircraft came down over ground held by Hay'at Tahrir al-Sham, which is not a party to the ceasefire; no party fired on it.", 19},
	}},
	{ucdp: 259572, org: "UN", role: monitor, days: 1.6, expect: truce.Pending, answers: []answer{
		{"TR", confirm, "", 5},
		{"RU", cannot, "Flight logs for that morning are being checked; an answer will follow.", 20},
	}},
	{ucdp: 261077, org: "TR", role: monitor, days: 7.3, expect: truce.Contested, answers: []answer{
		{"RU", dispute, "The strike in Idlib city hit a Hay'at Tahrir al-Sham headquarters; designated groups are not covered by the ceasefire.", 8},
		{"IR", dispute, "Not a violation: the target was a designated group.", 36},
	}},
	{ucdp: 263367, org: "OPP", role: party, days: 6.6, expect: truce.Contested, answers: []answer{
		{"RU", dispute, "No Russian aircraft flew over Halban on 8 September.", 7},
		{"TR", cannot, "Our posts at Surman and Tall Tuqan heard aircraft but cannot say whose they were.", 16},
		{"IR", dispute, "The Russian flight records show no sortie over Halban.", 41},
	}},
	{ucdp: 271506, org: "SYG", role: party, days: 0.9, expect: truce.Pending, answers: []answer{
		{"RU", confirm, "", 6},
	}},

	// Northern Hama.
	{ucdp: 256997, org: "FLS", role: party, days: 6.2, expect: truce.Unilateral, answers: []answer{
		{"TR", confirm, "A Turkish observation post in the Ghab plain counted about 40 shells falling on farmland near Al Jalamah.", 11},
	}},
	{ucdp: 260259, org: "UN", role: monitor, days: 2.1, expect: truce.Pending, answers: []answer{
		{"RU", confirm, "", 8},
	}},
	{ucdp: 261122, org: "TR", role: guarantor, days: 5.8, expect: truce.Unilateral, answers: []answer{
		{"IR", cannot, "No Iranian personnel are deployed in the Ghab plain; nothing to check against.", 27},
	}},
	{ucdp: 263346, org: "AHS", role: party, days: 2.6, expect: truce.Pending, answers: []answer{
		{"TR", confirm, "", 9},
		{"IR", cannot, "Awaiting the Syrian command's fire log for the night in question.", 40},
	}},
	{ucdp: 268582, org: "SYG", role: party, days: 5.4, expect: truce.Confirmed, answers: []answer{
		{"RU", confirm, "", 4},
		{"IR", confirm, "", 12},
		{"TR", confirm, "Mines left by ISIL around Souran are known; the casualties are confirmed.", 30},
	}},

	// Northern Homs.
	{ucdp: 255972, org: "OPP", role: party, days: 5.1, expect: truce.Confirmed, answers: []answer{
		{"TR", confirm, "", 3},
		{"RU", confirm, "The Russian checkpoint on the edge of the northern Homs pocket heard the fire on Al Ghantu.", 17},
		{"IR", confirm, "", 48},
	}},
	{ucdp: 257624, org: "RU", role: monitor, days: 4.8, expect: truce.Unilateral, answers: []answer{
		{"IR", confirm, "", 10},
		{"TR", cannot, "There is no Turkish post in the northern Homs pocket; the local council reports no attack but cannot rule one out.", 35},
	}},
	{ucdp: 259203, org: "OPP", role: party, days: 2.4, expect: truce.Pending, answers: []answer{
		{"TR", confirm, "", 4},
		{"RU", cannot, "A request for information has been sent to the Syrian air force command.", 30},
	}},
	{ucdp: 261774, org: "IR", role: guarantor, days: 4.5, expect: truce.Contested, answers: []answer{
		{"RU", confirm, "", 5},
		{"TR", cannot, "Checking with the opposition's council in Talbiseh.", 14},
		{"TR", dispute, "The council in Talbiseh reports a government assault on Sunaysil, not an opposition attack.", 52},
	}},

	// Eastern Ghouta.
	{ucdp: 255947, org: "OPP", role: party, days: 4.2, expect: truce.Contested, answers: []answer{
		{"TR", confirm, "", 6},
		{"RU", dispute, "Beit Sawa was used by Jabhat Fatah al-Sham to fire on Damascus; the strikes answered that fire.", 13},
		{"IR", dispute, "Not a violation: the target was a designated group.", 39},
	}},
	{ucdp: 256548, org: "SYG", role: party, days: 4.0, expect: truce.Unilateral, answers: []answer{
		{"RU", confirm, "", 2},
		{"IR", confirm, "", 20},
	}},
	{ucdp: 260873, org: "JAI", role: party, days: 3.7, expect: truce.Confirmed, answers: []answer{
		{"TR", confirm, "", 5},
		{"RU", confirm, "Government forces took Ash Shaffuniyah that day; losses on both sides are confirmed.", 18},
		{"IR", confirm, "", 25},
	}},
	{ucdp: 261126, org: "TR", role: monitor, days: 0.5, expect: truce.Pending, answers: []answer{
		{"IR", cannot, "No Iranian presence near Hezzeh; referred to the Russian side.", 4},
	}},
	{ucdp: 261313, org: "OPP", role: party, days: 3.5, expect: truce.Unilateral, answers: []answer{
		{"TR", confirm, "", 8},
		{"RU", cannot, "Kafr Batna had just changed hands; the military police have no record of executions and are inquiring.", 31},
	}},
	{ucdp: 261883, org: "SYG", role: party, days: 1.1, expect: truce.Pending, answers: []answer{
		{"IR", confirm, "", 6},
	}},

	// The south: Daraa and Quneitra.
	{ucdp: 256995, org: "RU", role: monitor, days: 13.1, expect: truce.Rejected, answers: []answer{
		{"TR", dispute, "The killers are unidentified; nothing links an opposition group that joined the ceasefire to the killing.", 12},
		{"RU", dispute, "Withdrawn after review: the Reconciliation Centre attributes the killing to an ISIL cell, not to a party.", 30},
		{"IR", dispute, "The attribution to the opposition is not supported.", 47},
	}},
	{ucdp: 257924, org: "OPP", role: party, days: 11.2, expect: truce.Rejected, answers: []answer{
		{"RU", dispute, "Unidentified gunmen, not government forces; the victim headed a reconciliation committee the government supported.", 8},
		{"IR", dispute, "No government unit operated in Dael that night.", 26},
		{"TR", dispute, "The opposition's own council in Dael attributes the killing to unknown gunmen; the report is withdrawn from Turkey's list.", 50},
	}},
	{ucdp: 258040, org: "SYG", role: party, days: 8.6, expect: truce.Unilateral, answers: []answer{
		{"RU", confirm, "", 3},
		{"IR", confirm, "", 15},
		{"TR", cannot, "Tasil is held by ISIL's Jaysh Khalid ibn al-Walid; no Turkish contact has access.", 38},
	}},
	{ucdp: 258135, org: "OPP", role: party, days: 7.0, expect: truce.Contested, answers: []answer{
		{"TR", confirm, "", 2},
		{"RU", dispute, "Government artillery fired at launch sites east of Daraa, not at al-Karak; no civilian casualties are confirmed.", 11},
		{"IR", dispute, "Not confirmed by the Syrian command.", 34},
	}},
	{ucdp: 258951, org: "UN", role: monitor, days: 6.9, expect: truce.Unilateral, answers: []answer{
		{"TR", confirm, "", 9},
		{"RU", cannot, "No Russian post observes al-Yadudah; the Syrian command has not answered.", 45},
	}},
	{ucdp: 259724, org: "TR", role: monitor, days: 3.2, expect: truce.Confirmed, answers: []answer{
		{"RU", confirm, "Strikes on Jaysh Khalid ibn al-Walid (ISIL) positions in the Yarmouk basin; confirmed, and not covered by the ceasefire.", 3},
		{"IR", confirm, "", 21},
	}},
}
