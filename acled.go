package truce

import "strings"

// ACLEDEventTypes maps each ACLED event type to its sub-event types, as the
// ACLED Codebook (2023) defines them.
var ACLEDEventTypes = map[string][]string{
	"Battles": {
		"Armed clash",
		"Government regains territory",
		"Non-state actor overtakes territory",
	},
	"Explosions/Remote violence": {
		"Chemical weapon",
		"Air/drone strike",
		"Suicide bomb",
		"Shelling/artillery/missile attack",
		"Remote explosive/landmine/IED",
		"Grenade",
	},
	"Violence against civilians": {
		"Sexual violence",
		"Attack",
		"Abduction/forced disappearance",
	},
	"Protests": {
		"Peaceful protest",
		"Protest with intervention",
		"Excessive force against protesters",
	},
	"Riots": {
		"Violent demonstration",
		"Mob violence",
	},
	"Strategic developments": {
		"Agreement",
		"Arrests",
		"Change to group/activity",
		"Disrupted weapons use",
		"Headquarters or base established",
		"Looting/property destruction",
		"Non-violent transfer of territory",
		"Other",
	},
}

// CanonicalEventType returns the ACLED event type and sub-event type as the
// codebook spells them, matching case-insensitively; ok is false when the
// type is unknown or the sub-event type does not belong to it.
func CanonicalEventType(eventType, subEventType string) (string, string, bool) {
	for et, subs := range ACLEDEventTypes {
		if !strings.EqualFold(et, strings.TrimSpace(eventType)) {
			continue
		}
		for _, s := range subs {
			if strings.EqualFold(s, strings.TrimSpace(subEventType)) {
				return et, s, true
			}
		}
		return et, "", false
	}
	return "", "", false
}
