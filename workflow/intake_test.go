package workflow_test

import (
	"path/filepath"
	"strings"
	"testing"

	"truce"
	"truce/agreements"
	tlog "truce/log"
	"truce/places"
	"truce/sqlite"
	"truce/workflow"
)

// TestIntakeFileDraft reads a news text, files the draft's report as a
// monitor corrected it, and finds the source text kept with the report.
func TestIntakeFileDraft(t *testing.T) {
	svc, op := newService(t)
	svc.Admin = places.DefaultLocator()
	monitor := mustMember(t, svc, op, "RU", truce.RoleMonitor)
	text := "Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians."
	size, err := svc.LogSize(ftCtx)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := svc.Intake(ftCtx, monitor, &workflow.IntakeInput{Text: text, Date: "2017-04-05", Source: "https://example.org/douma"})
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := svc.LogSize(ftCtx); after != size {
		t.Fatalf("Intake appended %d entries, want none", after-size)
	}
	if doc.Kind != "news" || len(doc.Drafts) != 1 {
		t.Fatalf("Intake = %+v, want one news draft", doc)
	}
	in := doc.Drafts[0].Report
	in.Perpetrator = "SYG" // the monitor's correction
	r, err := svc.FileReport(ftCtx, monitor, &in)
	if err != nil {
		t.Fatalf("FileReport(draft) = %v", err)
	}
	if r.Description != text || len(r.Sources) != 1 || r.Sources[0] != "https://example.org/douma" ||
		r.Perpetrator != "SYG" || r.Target != "JAI" || r.OccurredAt.Format("2006-01-02") != "2017-04-04" ||
		r.Classification == nil || r.Classification.ADM1 != "SY03" {
		t.Errorf("filed report = %+v, want the text as description, its source, SYG against JAI in Rural Damascus on 4 April", r)
	}
}

// TestIntakeBulletin reads a bulletin's sides as the agreement's
// guarantors.
func TestIntakeBulletin(t *testing.T) {
	svc, op := newService(t)
	g := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	doc, err := svc.Intake(ftCtx, g, &workflow.IntakeInput{
		Text: "Over the past 24 hours, twelve ceasefire violations have been registered in the provinces of Damascus (8), Latakia (2), Hama (1), and Daraa (1). " +
			"The Turkish side reported nine ceasefire violations, but the Russian side does not confirm any of them.",
		Side: "RU",
	})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != "bulletin" || len(doc.Sides) != 2 || doc.Sides[0].Side != "RU" || doc.Sides[0].Total != 12 ||
		doc.Sides[1].Side != "TR" || doc.Sides[1].Total != 9 {
		t.Errorf("Intake = %+v, want RU 12 and TR 9", doc)
	}
}

// TestIntakeRefuses: who may not read texts, and input that is refused.
func TestIntakeRefuses(t *testing.T) {
	svc, op := newService(t)
	observer := mustMember(t, svc, op, "UN", truce.RoleObserver)
	party := mustMember(t, svc, op, "OPP", truce.RoleParty)
	ok := &workflow.IntakeInput{Text: "Clashes near Saraqib."}
	for _, tt := range []struct {
		by   *truce.Member
		in   *workflow.IntakeInput
		code string
	}{
		{nil, ok, truce.EUNAUTHORIZED},
		{observer, ok, truce.EFORBIDDEN},
		{op, ok, truce.EFORBIDDEN},
		{party, &workflow.IntakeInput{}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "x", Date: "5 April"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "x", Side: "SYG"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "x", Kind: "poem"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "\xff"}, truce.EINVALID},
		// The source follows a report source's rule, or its drafts could
		// not be filed.
		{party, &workflow.IntakeInput{Text: "x", Source: "ftp://example.org/news"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "x", Source: "SANA\nline two"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "x", Source: "https://example.org/" + strings.Repeat("a", truce.MaxSourceLength)}, truce.EINVALID},
	} {
		if _, err := svc.Intake(ftCtx, tt.by, tt.in); truce.ErrorCode(err) != tt.code {
			t.Errorf("Intake(%v, %+v) = %v, want %s", tt.by, tt.in, err, tt.code)
		}
	}
	if _, err := svc.Intake(ftCtx, party, ok); err != nil {
		t.Errorf("Intake(party) = %v, want drafts", err)
	}
}

// TestDraftQueue queues a text's drafts, lists them per organisation,
// files one as a monitor edited it and discards the other.
func TestDraftQueue(t *testing.T) {
	svc, op := newService(t)
	monitor := mustMember(t, svc, op, "RU", truce.RoleMonitor)
	officer := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	text := "Syrian Arab Army artillery shelled Kafr Nabl on Monday.\nSeparately, clashes broke out near Harasta on Tuesday."
	in := &workflow.IntakeInput{Text: text, Date: "2017-04-05", Source: "https://example.org/news"}
	q, err := svc.QueueDrafts(ftCtx, monitor, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Drafts) != 2 || q.Drafts[0].Text != text || q.Drafts[0].Organisation != "RU" {
		t.Fatalf("QueueDrafts = %+v, want two drafts of RU with the text", q.Drafts)
	}
	// The organisation's members see them; another organisation does not.
	if got, _ := svc.Drafts(ftCtx, officer); len(got.Drafts) != 2 || got.Drafts[0].ID != q.Drafts[0].ID {
		t.Errorf("Drafts(RU officer) = %+v, want the two, oldest first", got.Drafts)
	}
	if got, _ := svc.Drafts(ftCtx, tr); len(got.Drafts) != 0 {
		t.Errorf("Drafts(TR) = %+v, want none", got.Drafts)
	}
	first, second := q.Drafts[0], q.Drafts[1]
	if _, err := svc.FileDraft(ftCtx, tr, first.ID, &first.Draft.Report); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("FileDraft(TR, RU's draft) = %v, want %s", err, truce.ENOTFOUND)
	}
	if err := svc.DiscardDraft(ftCtx, tr, first.ID); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("DiscardDraft(TR, RU's draft) = %v, want %s", err, truce.ENOTFOUND)
	}
	// An invalid report leaves the draft queued.
	bad := first.Draft.Report
	bad.EventType = "Picnic"
	if _, err := svc.FileDraft(ftCtx, officer, first.ID, &bad); truce.ErrorCode(err) != truce.EINVALID {
		t.Fatalf("FileDraft(invalid) = %v, want %s", err, truce.EINVALID)
	}
	// The officer rewrites the description: the source text is kept.
	edit := first.Draft.Report
	edit.Description = "Shelling of Kafr Nabl."
	r, err := svc.FileDraft(ftCtx, officer, first.ID, &edit)
	if err != nil {
		t.Fatalf("FileDraft = %v", err)
	}
	want := "Shelling of Kafr Nabl.\n\nSource text: Syrian Arab Army artillery shelled Kafr Nabl on Monday."
	if r.Description != want || len(r.Sources) != 1 || r.Sources[0] != "https://example.org/news" || r.Perpetrator != "SYG" {
		t.Errorf("filed %+v, want description %q, the source, SYG", r, want)
	}
	if _, err := svc.FileDraft(ftCtx, officer, first.ID, &edit); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("FileDraft again = %v, want %s", err, truce.ENOTFOUND)
	}
	if err := svc.DiscardDraft(ftCtx, monitor, second.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Drafts(ftCtx, monitor); len(got.Drafts) != 0 {
		t.Errorf("Drafts after filing and discarding = %+v, want none", got.Drafts)
	}
}

// TestDraftQueueRefuses: bulletins, texts without incidents, retries,
// roles and a full queue.
func TestDraftQueueRefuses(t *testing.T) {
	svc, op := newService(t)
	party := mustMember(t, svc, op, "OPP", truce.RoleParty)
	observer := mustMember(t, svc, op, "UN", truce.RoleObserver)
	news := &workflow.IntakeInput{Text: "Clashes near Saraqib on 3 March 2017."}
	for _, tt := range []struct {
		by   *truce.Member
		in   *workflow.IntakeInput
		code string
	}{
		{observer, news, truce.EFORBIDDEN},
		{nil, news, truce.EUNAUTHORIZED},
		{party, &workflow.IntakeInput{Text: news.Text, Kind: "bulletin"}, truce.EINVALID},
		{party, &workflow.IntakeInput{Text: "The weather was fine."}, truce.EINVALID},
	} {
		if _, err := svc.QueueDrafts(ftCtx, tt.by, tt.in); truce.ErrorCode(err) != tt.code {
			t.Errorf("QueueDrafts(%v, %q) = %v, want %s", tt.by, tt.in.Text, err, tt.code)
		}
	}
	if _, err := svc.Drafts(ftCtx, observer); truce.ErrorCode(err) != truce.EFORBIDDEN {
		t.Errorf("Drafts(observer) = %v, want %s", err, truce.EFORBIDDEN)
	}
	// A retry with the same key gets the first answer; another body with
	// it is a conflict.
	sub := &workflow.Submission{IdempotencyKey: "k1", Fingerprint: [32]byte{1}}
	ctx := workflow.WithSubmission(ftCtx, sub)
	a, err := svc.QueueDrafts(ctx, party, news)
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.QueueDrafts(ctx, party, news)
	if err != nil || len(b.Drafts) != 1 || b.Drafts[0].ID != a.Drafts[0].ID {
		t.Errorf("retry = %+v, %v, want the first answer", b, err)
	}
	other := workflow.WithSubmission(ftCtx, &workflow.Submission{IdempotencyKey: "k1", Fingerprint: [32]byte{2}})
	if _, err := svc.QueueDrafts(other, party, news); truce.ErrorCode(err) != truce.ECONFLICT {
		t.Errorf("same key, another body = %v, want %s", err, truce.ECONFLICT)
	}
	// The queue fills up.
	for n := 1; n < workflow.MaxQueuedDrafts; n++ {
		if _, err := svc.QueueDrafts(ftCtx, party, news); err != nil {
			t.Fatalf("draft %d: %v", n+1, err)
		}
	}
	if _, err := svc.QueueDrafts(ftCtx, party, news); truce.ErrorCode(err) != truce.ETOOLARGE {
		t.Errorf("QueueDrafts over %d = %v, want %s", workflow.MaxQueuedDrafts, err, truce.ETOOLARGE)
	}
	if got, _ := svc.Drafts(ftCtx, party); len(got.Drafts) != workflow.MaxQueuedDrafts {
		t.Errorf("%d drafts queued, want %d", len(got.Drafts), workflow.MaxQueuedDrafts)
	}
}

// TestDraftQueueKept: the queue is in the store, so a server that starts
// again on it finds the drafts where they were, and files each once: a
// retry with its Idempotency-Key gets the first answer, one without finds
// the draft gone, and a failed filing leaves it queued.
func TestDraftQueueKept(t *testing.T) {
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "truce.db")
	skey, vkey, err := tlog.GenerateKey("truce.test/drafts")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	open := func() (*workflow.Service, func()) {
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return workflow.New(db, signer), func() { db.Close() }
	}
	svc, stop := open()
	op, _, err := svc.Init(ftCtx, workflow.InitOptions{Agreement: a, Origin: "truce.test/drafts", Verifier: vkey})
	if err != nil {
		t.Fatal(err)
	}
	officer := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	text := "Syrian Arab Army artillery shelled Kafr Nabl on Monday.\nSeparately, clashes broke out near Harasta on Tuesday."
	q, err := svc.QueueDrafts(ftCtx, officer, &workflow.IntakeInput{Text: text, Date: "2017-04-05", Source: "https://example.org/news"})
	if err != nil || len(q.Drafts) != 2 {
		t.Fatalf("QueueDrafts = %+v, %v; want two drafts", q, err)
	}
	stop()

	svc, stop = open()
	defer stop()
	got, err := svc.Drafts(ftCtx, officer)
	if err != nil || len(got.Drafts) != 2 {
		t.Fatalf("after a restart, Drafts = %+v, %v; want the two", got, err)
	}
	for i, d := range got.Drafts {
		w := q.Drafts[i]
		if d.ID != w.ID || d.Text != text || d.Source != w.Source || !d.QueuedAt.Equal(w.QueuedAt) ||
			d.Draft.Span != w.Draft.Span || d.Draft.Report.Place != w.Draft.Report.Place || d.Draft.Report.EventType != w.Draft.Report.EventType {
			t.Errorf("after a restart, draft %d = %+v, want %+v", i, d, w)
		}
	}
	if d, err := svc.Draft(ftCtx, officer, q.Drafts[1].ID); err != nil || d.ID != q.Drafts[1].ID {
		t.Errorf("Draft(%s) = %v, %v", q.Drafts[1].ID, d, err)
	}
	first := got.Drafts[0]
	size, _ := svc.LogSize(ftCtx)
	ctx := workflow.WithSubmission(ftCtx, &workflow.Submission{IdempotencyKey: "file-1", Fingerprint: [32]byte{7}})
	r1, err := svc.FileDraft(ctx, officer, first.ID, &first.Draft.Report)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := svc.FileDraft(ctx, officer, first.ID, &first.Draft.Report)
	if err != nil || r2.ID != r1.ID {
		t.Errorf("retry of FileDraft = %v, %v; want the first answer, %s", r2, err, r1.ID)
	}
	if _, err := svc.FileDraft(ftCtx, officer, first.ID, &first.Draft.Report); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("FileDraft of a filed draft without a key = %v, want %s", err, truce.ENOTFOUND)
	}
	if after, _ := svc.LogSize(ftCtx); after != size+1 {
		t.Errorf("filing the draft appended %d entries, want 1", after-size)
	}
	if left, _ := svc.Drafts(ftCtx, officer); len(left.Drafts) != 1 || left.Drafts[0].ID != q.Drafts[1].ID {
		t.Errorf("after filing, Drafts = %+v, want the second", left.Drafts)
	}
	if _, err := svc.Draft(ftCtx, officer, first.ID); truce.ErrorCode(err) != truce.ENOTFOUND {
		t.Errorf("Draft of a filed draft = %v, want %s", err, truce.ENOTFOUND)
	}
}
