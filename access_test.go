package truce_test

import (
	"testing"

	"truce"
	"truce/internal/trucetest"
)

func ftMember(org truce.ActorID, role truce.Role) *truce.Member {
	return &truce.Member{ID: "mem_aaaaaaaaaaaaaaaa", Name: string(org) + " " + string(role), Organisation: org, Role: role}
}

// TestFtAccessRules runs the access rules of restricted report parts,
// replies, requests and meetings for every kind of member.
func TestFtAccessRules(t *testing.T) {
	a := trucetest.Agreement()
	// A report filed by the opposition, accusing the government.
	r := &truce.Report{ID: "rpt_aaaaaaaaaaaaaaaa", Organisation: "OPP", Perpetrator: "SYG", SourceIdentity: "a medic"}
	rfi := &truce.RFI{ID: "rfi_aaaaaaaaaaaaaaaa", Report: r.ID, From: "RU", To: "SYG"}

	type want struct{ identity, addEvidence, reply, answer, readRFI, listRFIs, readMeetings, manageMeetings, sendRFI, accession bool }
	for _, tc := range []struct {
		name string
		m    *truce.Member
		want want
	}{
		{"public", nil, want{}},
		{"filer's liaison", ftMember("OPP", truce.RoleParty), want{identity: true, addEvidence: true, listRFIs: true}},
		{"accused liaison", ftMember("SYG", truce.RoleParty), want{reply: true, answer: true, readRFI: true, listRFIs: true}},
		{"RU officer", ftMember("RU", truce.RoleGuarantor), want{identity: true, addEvidence: true, readRFI: true, listRFIs: true, readMeetings: true, manageMeetings: true, sendRFI: true, accession: true}},
		{"TR officer", ftMember("TR", truce.RoleGuarantor), want{identity: true, addEvidence: true, readRFI: true, listRFIs: true, readMeetings: true, manageMeetings: true, sendRFI: true, accession: true}},
		{"RU monitor", ftMember("RU", truce.RoleMonitor), want{identity: true, readRFI: true, listRFIs: true, readMeetings: true}},
		{"UN monitor", ftMember("UN", truce.RoleMonitor), want{}},
		{"UN observer", ftMember("UN", truce.RoleObserver), want{readRFI: true, listRFIs: true, readMeetings: true}},
		{"operator", ftMember("JWG", truce.RoleOperator), want{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := want{
				identity:       truce.CanReadSourceIdentity(a, tc.m, r),
				addEvidence:    truce.CanAddEvidence(a, tc.m, r),
				reply:          truce.CanReply(tc.m, r),
				answer:         truce.CanAnswerRFI(tc.m, rfi),
				readRFI:        truce.CanReadRFI(a, tc.m, rfi),
				listRFIs:       truce.CanListRFIs(a, tc.m),
				readMeetings:   truce.CanReadMeetings(a, tc.m),
				manageMeetings: truce.CanManageMeetings(tc.m),
				sendRFI:        truce.CanSendRFI(tc.m),
				accession:      truce.CanRecordAccession(tc.m),
			}
			if got != tc.want {
				t.Errorf("rules = %+v,\nwant    %+v", got, tc.want)
			}
			if ev := truce.CanReadEvidence(a, tc.m, r); ev != tc.want.identity {
				t.Errorf("CanReadEvidence = %v, want %v (as the source identity)", ev, tc.want.identity)
			}
			d := a.Disclose(tc.m, r)
			if wantID := map[bool]string{true: "a medic", false: ""}[tc.want.identity]; d.SourceIdentity != wantID {
				t.Errorf("Disclose().SourceIdentity = %q, want %q", d.SourceIdentity, wantID)
			}
		})
	}

	// A report with no perpetrator admits no reply, even from a party.
	anon := &truce.Report{ID: "rpt_bbbbbbbbbbbbbbbb", Organisation: "OPP"}
	for _, org := range []truce.ActorID{"SYG", "OPP"} {
		if truce.CanReply(ftMember(org, truce.RoleParty), anon) {
			t.Errorf("CanReply(%s liaison, report without perpetrator) = true, want false", org)
		}
	}
	// A guarantor officer answers a request sent to its guarantor.
	toIR := &truce.RFI{ID: "rfi_bbbbbbbbbbbbbbbb", From: "RU", To: "IR"}
	if !truce.CanAnswerRFI(ftMember("IR", truce.RoleGuarantor), toIR) || truce.CanAnswerRFI(ftMember("IR", truce.RoleMonitor), toIR) {
		t.Errorf("CanAnswerRFI: an IR officer must answer a request to IR, an IR monitor must not")
	}
	if truce.CanAnswerRFI(ftMember("RU", truce.RoleGuarantor), toIR) {
		t.Errorf("CanAnswerRFI(RU officer, request to IR) = true, want false")
	}
}
