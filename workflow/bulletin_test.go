package workflow_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/bulletin"
	"truce/geo"
	"truce/sqlite"
	"truce/workflow"
)

// The bulletin: a day's reports counted by governorate as the log stood
// at a checkpoint, signed, and the same from any copy of the log.

// bulletinDay is the day the tests' bulletins are of.
const bulletinDay = "2017-01-05"

// Points and their governorates (places.DefaultLocator).
var (
	idlibCity  = [2]float64{36.6339, 35.9306} // SY07
	hamaCity   = [2]float64{36.75, 35.13}     // SY05
	jfsArea    = [2]float64{36.54, 35.84}     // SY07, inside the JFS area the world approves
	beyondSyra = [2]float64{35.0, 33.0}       // no governorate
)

// bulletinWorld is a map world with a party liaison, the reports of
// bulletinDay (and the days around it) filed and assessed, and a checkpoint
// issued over them.
type bulletinWorld struct {
	*mapWorld
	opp  *truce.Member
	r    map[string]truce.ReportID // by the names the comments give them
	size int64                     // the checkpoint over all of it
}

func newBulletinWorld(t *testing.T) *bulletinWorld {
	t.Helper()
	w := &bulletinWorld{mapWorld: newMapWorld(t, nil), r: map[string]truce.ReportID{}}
	w.opp = mustMember(t, w.svc, w.op, "OPP", truce.RoleParty)
	w.proposeApproved(t, mapControl("JFS", geo.Polygon{mapSquare(36.50, 35.80, 36.58, 35.88)}))
	at := func(hhmmss string) string { return bulletinDay + "T" + hhmmss + "Z" }
	// On the day: in Idlib, r1 filed by RU and confirmed by all (confirmed),
	// r2 filed by TR and disputed by RU (contested); in Hama, r3 filed by
	// the opposition (pending), r4 filed by RU and disputed by all three,
	// RU included (rejected), r9 filed by IR (pending); r5 against JFS in
	// its area; r6 beyond Syria. r7 the day before, r8 the day after.
	w.file(t, "r1", w.ru, idlibCity, at("08:00:00"), "OPP", "")
	w.file(t, "r2", w.tr, idlibCity, at("09:00:00"), "SYG", "")
	w.file(t, "r3", w.opp, hamaCity, at("10:00:00"), "SYG", "")
	w.file(t, "r4", w.ru, hamaCity, at("11:00:00"), "OPP", "")
	w.file(t, "r5", w.ru, jfsArea, at("12:00:00"), "SYG", "JFS")
	w.file(t, "r6", w.tr, beyondSyra, at("13:00:00"), "", "")
	w.file(t, "r7", w.ru, idlibCity, "2017-01-04T23:59:59.999Z", "OPP", "")
	w.file(t, "r8", w.ru, idlibCity, "2017-01-06T00:00:00Z", "OPP", "")
	w.file(t, "r9", w.ir, [2]float64{36.76, 35.14}, at("14:00:00"), "OPP", "")
	w.assess(t, "r1", truce.Confirm, w.ir, w.tr)
	w.assess(t, "r2", truce.Dispute, w.ru)
	w.assess(t, "r4", truce.Dispute, w.ru, w.ir, w.tr)
	w.accede(t, w.ru, &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C3871", Name: "Idleb", Date: "2017-01-04"})
	w.accede(t, w.tr, &truce.AccessionInput{Kind: truce.AccessionGroup, Date: bulletinDay, Actor: &truce.Actor{
		ID: "NEWGRP", Kind: truce.KindRebelGroup, Names: map[string]string{"en": "New Brigade", "ar": "اللواء الجديد"}}})
	w.accede(t, w.tr, &truce.AccessionInput{Kind: truce.AccessionSettlement, PCode: "C2987", Name: "Hama", Date: "2017-01-06"})
	w.size = w.checkpoint(t)
	return w
}

func (w *bulletinWorld) file(t *testing.T, name string, by *truce.Member, pt [2]float64, occurred, perpetrator, target string) {
	t.Helper()
	in := mapReport(pt[0], pt[1], occurred)
	in.Perpetrator, in.Target = perpetrator, target
	v, err := w.svc.FileReport(ftCtx, by, in)
	if err != nil {
		t.Fatalf("FileReport(%s) = %v", name, err)
	}
	w.r[name] = v.ID
}

func (w *bulletinWorld) assess(t *testing.T, name string, verdict truce.Verdict, by ...*truce.Member) {
	t.Helper()
	for _, g := range by {
		in := &truce.AssessmentInput{Verdict: verdict}
		if verdict != truce.Confirm {
			in.Reason = "Our post saw nothing."
		}
		if _, err := w.svc.Assess(ftCtx, g, w.r[name], in); err != nil {
			t.Fatalf("Assess(%s) by %s = %v", name, g.Organisation, err)
		}
	}
}

func (w *bulletinWorld) accede(t *testing.T, by *truce.Member, in *truce.AccessionInput) {
	t.Helper()
	if _, err := w.svc.RecordAccession(ftCtx, by, in); err != nil {
		t.Fatalf("RecordAccession(%+v) = %v", in, err)
	}
}

func (w *bulletinWorld) checkpoint(t *testing.T) int64 {
	t.Helper()
	c, err := w.svc.IssueCheckpoint(ftCtx)
	if err != nil || c == nil {
		t.Fatalf("IssueCheckpoint = %v, %v", c, err)
	}
	return c.Size
}

func mustBulletin(t *testing.T, svc *workflow.Service, date string, opts workflow.BulletinOptions) *bulletin.Bulletin {
	t.Helper()
	b, err := svc.Bulletin(ftCtx, date, opts)
	if err != nil {
		t.Fatalf("Bulletin(%s, %+v) = %v", date, opts, err)
	}
	return b
}

// rowOf returns the row of a governorate, failing when there is none.
func rowOf(t *testing.T, b *bulletin.Bulletin, pcode string) bulletin.Row {
	t.Helper()
	for _, r := range b.Governorates {
		if r.PCode == pcode {
			return r
		}
	}
	t.Fatalf("bulletin of %s has no row %s", b.Date, pcode)
	return bulletin.Row{}
}

// counts writes a row's counts in one line, for comparison.
func counts(r bulletin.Row) string {
	return fmt.Sprintf("reports %d by RU %d IR %d TR %d; confirmed %d contested %d unilateral %d pending %d rejected %d; designated %d (RU %d) %v; outside %d; settlements %d",
		r.Reports, r.ReportedBy["RU"], r.ReportedBy["IR"], r.ReportedBy["TR"],
		r.Confirmed, r.Contested, r.Unilateral, r.Pending, r.Rejected,
		r.Designated.Reports, r.Designated.ReportedBy["RU"], r.Designated.Against, r.OutsideScope, r.Settlements)
}

func changes(r bulletin.Row) string {
	c := r.Change
	return fmt.Sprintf("reports %+d by RU %+d IR %+d TR %+d; confirmed %+d contested %+d pending %+d rejected %+d; designated %+d; settlements %+d",
		c.Reports, c.ReportedBy["RU"], c.ReportedBy["IR"], c.ReportedBy["TR"],
		c.Confirmed, c.Contested, c.Pending, c.Rejected, c.Designated, c.Settlements)
}

func TestBulletinCounts(t *testing.T) {
	w := newBulletinWorld(t)
	b := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	if b.TreeSize != w.size || b.Date != bulletinDay || b.Lang != "en" || b.Signature == "" {
		t.Errorf("bulletin of %s at %d in %s, signed %t; want %s at %d in en, signed", b.Date, b.TreeSize, b.Lang, b.Signature != "", bulletinDay, w.size)
	}
	for _, c := range []struct{ pcode, counts, changes string }{
		{"SY07", "reports 2 by RU 1 IR 1 TR 2; confirmed 1 contested 1 unilateral 0 pending 0 rejected 0; designated 1 (RU 1) map[JFS:1]; outside 0; settlements 1",
			"reports +1 by RU +0 IR +1 TR +2; confirmed +1 contested +1 pending -1 rejected +0; designated +1; settlements +0"},
		{"SY05", "reports 3 by RU 1 IR 1 TR 0; confirmed 0 contested 0 unilateral 0 pending 2 rejected 1; designated 0 (RU 0) map[]; outside 0; settlements 0",
			"reports +3 by RU +1 IR +1 TR +0; confirmed +0 contested +0 pending +2 rejected +1; designated +0; settlements +0"},
		{bulletin.Outside, "reports 0 by RU 0 IR 0 TR 0; confirmed 0 contested 0 unilateral 0 pending 0 rejected 0; designated 0 (RU 0) map[]; outside 1; settlements 0",
			"reports +0 by RU +0 IR +0 TR +0; confirmed +0 contested +0 pending +0 rejected +0; designated +0; settlements +0"},
		{"SY02", "reports 0 by RU 0 IR 0 TR 0; confirmed 0 contested 0 unilateral 0 pending 0 rejected 0; designated 0 (RU 0) map[]; outside 0; settlements 0",
			"reports +0 by RU +0 IR +0 TR +0; confirmed +0 contested +0 pending +0 rejected +0; designated +0; settlements +0"},
	} {
		r := rowOf(t, b, c.pcode)
		if got := counts(r); got != c.counts {
			t.Errorf("%s: %s\nwant %s", c.pcode, got, c.counts)
		}
		if got := changes(r); got != c.changes {
			t.Errorf("%s change: %s\nwant %s", c.pcode, got, c.changes)
		}
	}
	if len(b.Governorates) != 15 || b.Governorates[14].PCode != bulletin.Outside {
		t.Errorf("bulletin has %d rows, last %q; want the 14 governorates and outside last", len(b.Governorates), b.Governorates[len(b.Governorates)-1].PCode)
	}
	if got, want := counts(b.Total), "reports 5 by RU 2 IR 2 TR 2; confirmed 1 contested 1 unilateral 0 pending 2 rejected 1; designated 1 (RU 1) map[JFS:1]; outside 1; settlements 1"; got != want {
		t.Errorf("total: %s\nwant %s", got, want)
	}
	if got, want := b.Accessions, (bulletin.Accessions{Groups: 1, Settlements: 1, GroupsChange: 1}); got != want {
		t.Errorf("accessions = %+v, want %+v", got, want)
	}
	// The one confirmed violation, as the public sees it under Astana:
	// the governorate, no coordinates.
	if len(b.Confirmed) != 1 {
		t.Fatalf("confirmed violations = %+v, want r1 alone", b.Confirmed)
	}
	v := b.Confirmed[0]
	want := bulletin.Violation{ID: w.r["r1"], OccurredAt: bulletinDay + "T08:00:00Z", Governorate: "SY07", GovernorateName: "Idleb",
		Perpetrator: "OPP", PerpetratorName: v.PerpetratorName, EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack"}
	if v.Lon != nil || v.Lat != nil || v != want || v.PerpetratorName == "" {
		t.Errorf("confirmed violation = %+v, want %+v with no coordinates", v, want)
	}
	if b.Disclosure != truce.DiscloseGovernorate || len(b.Groups) != 1 || b.Groups[0].ID != "JFS" {
		t.Errorf("disclosure %q, designated groups %+v; want governorate and JFS", b.Disclosure, b.Groups)
	}
}

// TestBulletinPublic: the public bulletin carries nothing restricted, in
// any format: no coordinates, no descriptions, no source identities.
func TestBulletinPublic(t *testing.T) {
	w := newBulletinWorld(t)
	in := mapReport(idlibCity[0]+0.001234, idlibCity[1]+0.004321, bulletinDay+"T15:00:00Z")
	in.SourceIdentity = "Abu Omar, a shepherd of Kafr Nabl"
	v, err := w.svc.FileReport(ftCtx, w.ru, in)
	if err != nil {
		t.Fatal(err)
	}
	w.assess2(t, v.ID, w.ir, w.tr)
	w.checkpoint(t)
	b := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	if len(b.Confirmed) != 2 {
		t.Fatalf("confirmed = %+v, want 2", b.Confirmed)
	}
	for _, f := range bulletin.Formats {
		data, err := bulletin.Bytes(b, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Abu Omar", "Mortar fire", "36.635", "35.934", "36.6339", "35.9306"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s bulletin contains %q", f, secret)
			}
		}
	}
}

func (w *bulletinWorld) assess2(t *testing.T, id truce.ReportID, by ...*truce.Member) {
	t.Helper()
	for _, g := range by {
		if _, err := w.svc.Assess(ftCtx, g, id, &truce.AssessmentInput{Verdict: truce.Confirm}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBulletinAtCheckpoint: a bulletin at a checkpoint depends on the log
// up to it alone. Later answers, the window closing, and a zone that
// classifies a report again change the latest bulletin, not the one at
// the earlier checkpoint, which stays the same bytes.
func TestBulletinAtCheckpoint(t *testing.T) {
	w := newBulletinWorld(t)
	before := map[bulletin.Format][]byte{}
	b1 := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	for _, f := range bulletin.Formats {
		before[f], _ = bulletin.Bytes(b1, f)
	}

	w.clock.Add(73 * time.Hour) // r3 and r9's window closes
	w.assess(t, "r3", truce.Confirm, w.tr)
	w.proposeApproved(t, mapControl("JFS", geo.Polygon{mapSquare(36.755, 35.135, 36.765, 35.145)})) // r9 is now against JFS
	later := w.checkpoint(t)

	again := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{Checkpoint: w.size})
	for _, f := range bulletin.Formats {
		if got, _ := bulletin.Bytes(again, f); !bytes.Equal(got, before[f]) {
			t.Errorf("%s bulletin at checkpoint %d changed after the log grew", f, w.size)
		}
	}
	b2 := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{})
	if b2.TreeSize != later {
		t.Errorf("latest bulletin at tree size %d, want %d", b2.TreeSize, later)
	}
	want := "reports 2 by RU 1 IR 0 TR 1; confirmed 0 contested 0 unilateral 1 pending 0 rejected 1; designated 1 (RU 0) map[JFS:1]; outside 0; settlements 0"
	if got := counts(rowOf(t, b2, "SY05")); got != want {
		t.Errorf("Hama at the later checkpoint: %s\nwant %s", got, want)
	}
}

func TestBulletinLanguages(t *testing.T) {
	w := newBulletinWorld(t)
	a, err := w.svc.Agreement(ftCtx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, idlib, dir string }{
		{"en", "Idleb", `dir="ltr"`}, {"ar", "إدلب", `dir="rtl"`}, {"ru", "Идлиб", `dir="ltr"`},
		{"tr", "İdlib", `dir="ltr"`}, {"fa", "ادلب", `dir="rtl"`},
	} {
		b := mustBulletin(t, w.svc, bulletinDay, workflow.BulletinOptions{Lang: c.lang})
		if got := rowOf(t, b, "SY07").Name; got != c.idlib {
			t.Errorf("%s: Idlib is %q, want %q", c.lang, got, c.idlib)
		}
		if got, want := b.Confirmed[0].PerpetratorName, a.Actor("OPP").Names[c.lang]; got != want || got == "" {
			t.Errorf("%s: perpetrator %q, want %q", c.lang, got, want)
		}
		page, _ := bulletin.Bytes(b, bulletin.HTML)
		if head := fmt.Sprintf(`<html lang="%s" %s>`, c.lang, c.dir); !bytes.Contains(page, []byte(head)) {
			t.Errorf("%s: the HTML page does not open with %s", c.lang, head)
		}
	}
}

func TestBulletinErrors(t *testing.T) {
	w := newBulletinWorld(t)
	for _, c := range []struct {
		date string
		opts workflow.BulletinOptions
		code string
		want string // in the message
	}{
		{"2017-1-5", workflow.BulletinOptions{}, truce.EINVALID, "YYYY-MM-DD"},
		{"yesterday", workflow.BulletinOptions{}, truce.EINVALID, "YYYY-MM-DD"},
		{bulletinDay, workflow.BulletinOptions{Lang: "de"}, truce.EINVALID, "en, ar, ru, tr or fa"},
		{bulletinDay, workflow.BulletinOptions{Checkpoint: w.size + 1}, truce.ENOTFOUND, "no checkpoint"},
		{bulletinDay, workflow.BulletinOptions{Checkpoint: -1}, truce.EINVALID, "checkpoint"},
		{"2999-01-01", workflow.BulletinOptions{}, truce.EINVALID, "would count nothing yet"},
	} {
		_, err := w.svc.Bulletin(ftCtx, c.date, c.opts)
		if truce.ErrorCode(err) != c.code || !strings.Contains(truce.ErrorMessage(err), c.want) {
			t.Errorf("Bulletin(%q, %+v) = %v, want %s saying %q", c.date, c.opts, err, c.code, c.want)
		}
	}
}

// TestBulletinHistoryMigrated: a database made before the history of
// classifications and the answers of reports were kept gets them when
// migrated, from its log and its assessments, exactly as a rebuild writes
// them.
func TestBulletinHistoryMigrated(t *testing.T) {
	w := newBulletinWorld(t)
	w.proposeApproved(t, mapControl("JFS", geo.Polygon{mapSquare(36.755, 35.135, 36.765, 35.145)})) // r9 classified again
	want := ftDump(t, w.svc)
	if n := strings.Count(want, "report_classifications\t"); n != len(w.r)+1 {
		t.Fatalf("the dump has %d classifications, want %d: one a report and r9's second", n, len(w.r)+1)
	}
	path := w.svc.Store.(*sqlite.DB).Path()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER reports_classified_at_intake`, `DROP TRIGGER reports_classified_again`,
		`DROP TABLE report_classifications`, `DROP TRIGGER assessments_answer`, `ALTER TABLE reports DROP COLUMN answers`,
		`DELETE FROM migrations WHERE name LIKE '%0004_bulletin.sql'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := ftDump(t, workflow.New(db, nil)); got != want {
		t.Errorf("dump after the migration:\n%s\nwant\n%s", got, want)
	}
}
