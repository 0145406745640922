package workflow_test

import (
	"strings"
	"testing"

	"truce"
)

// TestFtReplies checks who may reply to an allegation (the accused party's
// liaison, nobody else), the text's limits, and that replies show on the
// report in order.
func TestFtReplies(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	syg := mustMember(t, svc, op, "SYG", truce.RoleParty)
	syg2 := mustMember(t, svc, op, "SYG", truce.RoleParty)
	jai := mustMember(t, svc, op, "JAI", truce.RoleParty)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ruMon := mustMember(t, svc, op, "RU", truce.RoleMonitor)
	un := mustMember(t, svc, op, "UN", truce.RoleObserver)

	accusing, err := svc.FileReport(ftCtx, opp, ftReport(0, "Syrian Arab Army"))
	if err != nil {
		t.Fatal(err)
	}
	anonymous, err := svc.FileReport(ftCtx, opp, ftReport(1, ""))
	if err != nil {
		t.Fatal(err)
	}
	before := ftLogSize(t, svc)

	for _, tc := range []struct {
		who  string
		m    *truce.Member
		id   truce.ReportID
		code string
	}{
		{"the filer, not accused", opp, accusing.ID, truce.EFORBIDDEN},
		{"another party", jai, accusing.ID, truce.EFORBIDDEN},
		{"a guarantor officer", ru, accusing.ID, truce.EFORBIDDEN},
		{"a monitor", ruMon, accusing.ID, truce.EFORBIDDEN},
		{"an observer", un, accusing.ID, truce.EFORBIDDEN},
		{"the operator", op, accusing.ID, truce.EFORBIDDEN},
		{"nobody", nil, accusing.ID, truce.EUNAUTHORIZED},
		{"the accused, on a report naming no perpetrator", syg, anonymous.ID, truce.EFORBIDDEN},
		{"the accused, on a missing report", syg, "rpt_aaaaaaaaaaaaaaaa", truce.ENOTFOUND},
	} {
		_, err := svc.Reply(ftCtx, tc.m, tc.id, &truce.ReplyInput{Text: "We did not fire."})
		ftWantCode(t, "Reply by "+tc.who, err, tc.code)
	}
	for _, tc := range []struct {
		name, text string
	}{
		{"empty", ""},
		{"too long", strings.Repeat("ا", truce.MaxReply+1)},
		{"control character", "We did\x00not fire."},
		{"invalid UTF-8", "We did \xff not fire."},
	} {
		_, err := svc.Reply(ftCtx, syg, accusing.ID, &truce.ReplyInput{Text: tc.text})
		ftWantField(t, "Reply("+tc.name+")", err, "text")
	}
	ftWantGrowth(t, svc, "refused replies", before, 0)

	texts := []string{
		"Our units at that position were withdrawn on 3 January.",
		strings.Repeat("ا", truce.MaxReply),
		"Line one.\n\tLine two, indented.",
	}
	for i, text := range texts {
		by := []*truce.Member{syg, syg2, syg}[i]
		v, err := svc.Reply(ftCtx, by, accusing.ID, &truce.ReplyInput{Text: text})
		if err != nil {
			t.Fatalf("Reply %d by the accused = %v", i, err)
		}
		if len(v.Replies) != i+1 || v.Replies[i].Text != text {
			t.Fatalf("after reply %d the report shows %d replies, want %d ending with it", i, len(v.Replies), i+1)
		}
	}
	ftWantGrowth(t, svc, "three replies", before, 3)

	for _, viewer := range []*truce.Member{opp, ru, un, jai, op} {
		v, err := svc.Report(ftCtx, viewer, accusing.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Replies) != len(texts) {
			t.Fatalf("%s %s sees %d replies, want %d", viewer.Organisation, viewer.Role, len(v.Replies), len(texts))
		}
		for i, r := range v.Replies {
			wantBy := []*truce.Member{syg, syg2, syg}[i]
			if r.Text != texts[i] || r.Member != wantBy.ID || r.Organisation != "SYG" || r.Report != accusing.ID {
				t.Errorf("reply %d = %+v, want %q by %s of SYG", i, r, ftClipText(texts[i]), wantBy.ID)
			}
			if i > 0 && r.Entry <= v.Replies[i-1].Entry {
				t.Errorf("reply %d at entry %d after reply %d at entry %d: want filing order", i, r.Entry, i-1, v.Replies[i-1].Entry)
			}
		}
	}
	if v, _ := svc.Report(ftCtx, opp, anonymous.ID); v == nil || len(v.Replies) != 0 || v.Replies == nil {
		t.Errorf("a report without replies shows %v, want an empty list", v)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

func ftClipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
