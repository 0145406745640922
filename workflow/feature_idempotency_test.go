package workflow_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"testing"

	"truce"
	"truce/workflow"
)

// ftFingerprint is a request's fingerprint as the HTTP layer makes it.
func ftFingerprint(method, path string, body any) [32]byte {
	b, _ := json.Marshal(body)
	return sha256.Sum256(append([]byte(method+" "+path+"\n"), b...))
}

func ftWithKey(key string, fp [32]byte) *workflow.Submission {
	return &workflow.Submission{IdempotencyKey: key, Fingerprint: fp}
}

func ftJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := workflow.EncodeJSON(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestFtIdempotentFiling retries a report under one Idempotency-Key: the
// retry answers what the first did and appends nothing; the key of another
// request is a conflict; keys are per member.
func TestFtIdempotentFiling(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	opp2 := mustMember(t, svc, op, "OPP", truce.RoleParty)
	in := ftFullInput()
	fp := ftFingerprint("POST", "/api/v1/reports", in)
	ctx := workflow.WithSubmission(ftCtx, ftWithKey("k1", fp))

	before := ftLogSize(t, svc)
	first, err := svc.FileReport(ctx, opp, in)
	if err != nil {
		t.Fatalf("FileReport(k1) = %v", err)
	}
	ftWantGrowth(t, svc, "first request", before, 1)
	again, err := svc.FileReport(ctx, opp, in)
	if err != nil {
		t.Fatalf("FileReport(k1) again = %v", err)
	}
	if again.ID != first.ID {
		t.Errorf("retry filed %s, the first request %s; want the same report", again.ID, first.ID)
	}
	if a, b := ftJSON(t, first), ftJSON(t, again); !bytes.Equal(a, b) {
		t.Errorf("retry answered\n%s\nthe first request\n%s", b, a)
	}
	ftWantGrowth(t, svc, "retry", before, 1)

	// The same key for another request.
	other := ftFullInput()
	other.Description = "Another account."
	ctxOther := workflow.WithSubmission(ftCtx, ftWithKey("k1", ftFingerprint("POST", "/api/v1/reports", other)))
	_, err = svc.FileReport(ctxOther, opp, other)
	ftWantCode(t, "FileReport(k1, another body)", err, truce.ECONFLICT)
	// And for another command altogether.
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	before = ftLogSize(t, svc)
	batch := []*truce.ReportInput{ftFullInput()}
	_, err = svc.FileReports(workflow.WithSubmission(ftCtx, ftWithKey("k1", ftFingerprint("POST", "/api/v1/reports:batch", batch))), opp, batch)
	ftWantCode(t, "FileReports(k1) by the same member", err, truce.ECONFLICT)
	ftWantGrowth(t, svc, "refused requests", before, 0)

	// The same key and body by another member is another request.
	mine, err := svc.FileReport(ctx, opp2, in)
	if err != nil {
		t.Fatalf("FileReport(k1) by another member = %v", err)
	}
	if mine.ID == first.ID {
		t.Errorf("another member's request under the same key answered the first member's report %s", first.ID)
	}
	ftWantGrowth(t, svc, "another member's request", before, 1)

	// A key stays bound after the state has moved on: the retry answers
	// the first response, not today's state.
	if _, err := svc.Assess(ftCtx, ru, first.ID, &truce.AssessmentInput{Verdict: truce.Dispute, Reason: "No fire heard."}); err != nil {
		t.Fatal(err)
	}
	late, err := svc.FileReport(ctx, opp, in)
	if err != nil || late.ID != first.ID || late.Consensus != first.Consensus || len(late.Assessments) != 0 {
		t.Errorf("late retry = %+v, %v; want the first response", late, err)
	}
	mustVerify(t, svc)
}

// TestFtIdempotentFailureKeepsNothing checks that a refused command keeps
// no response under its key: the corrected request, under the same key
// with its own fingerprint, goes through, and its retry is answered.
func TestFtIdempotentFailureKeepsNothing(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	bad := ftFullInput()
	bad.Fire.DistanceBand = "far"
	before := ftLogSize(t, svc)
	_, err := svc.FileReport(workflow.WithSubmission(ftCtx, ftWithKey("k2", ftFingerprint("POST", "/api/v1/reports", bad))), ru, bad)
	ftWantField(t, "FileReport(invalid, k2)", err, "fire.distance_band")
	ftWantGrowth(t, svc, "refused request", before, 0)

	good := ftFullInput()
	ctx := workflow.WithSubmission(ftCtx, ftWithKey("k2", ftFingerprint("POST", "/api/v1/reports", good)))
	v, err := svc.FileReport(ctx, ru, good)
	if err != nil {
		t.Fatalf("FileReport(corrected, k2) = %v, want it filed", err)
	}
	v2, err := svc.FileReport(ctx, ru, good)
	if err != nil || v2.ID != v.ID {
		t.Errorf("retry of the corrected request = %v, %v; want report %s", v2, err, v.ID)
	}
	ftWantGrowth(t, svc, "corrected request and its retry", before, 1)

	// A batch refused as a whole keeps nothing either.
	badBatch := []*truce.ReportInput{ftReport(1, "JFS"), bad}
	_, err = svc.FileReports(workflow.WithSubmission(ftCtx, ftWithKey("k3", ftFingerprint("POST", "/api/v1/reports:batch", badBatch))), ru, badBatch)
	ftWantField(t, "FileReports(invalid, k3)", err, "reports[1].fire.distance_band")
	goodBatch := []*truce.ReportInput{ftReport(1, "JFS"), ftReport(2, "JFS")}
	ctx3 := workflow.WithSubmission(ftCtx, ftWithKey("k3", ftFingerprint("POST", "/api/v1/reports:batch", goodBatch)))
	ids, err := svc.FileReports(ctx3, ru, goodBatch)
	if err != nil || len(ids) != 2 {
		t.Fatalf("FileReports(corrected, k3) = %v, %v", ids, err)
	}
	ids2, err := svc.FileReports(ctx3, ru, goodBatch)
	if err != nil || len(ids2) != 2 || ids2[0] != ids[0] || ids2[1] != ids[1] {
		t.Errorf("retry of the batch = %v, %v; want %v", ids2, err, ids)
	}
	ftWantGrowth(t, svc, "batch and its retry", before, 3)
	mustVerify(t, svc)
}

// TestFtIdempotentConcurrentRetries sends one request under one key from
// many goroutines at once, as a client retrying on timeouts would: one
// report is filed and every answer names it.
func TestFtIdempotentConcurrentRetries(t *testing.T) {
	svc, op := newService(t)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	in := ftFullInput()
	ctx := workflow.WithSubmission(ftCtx, ftWithKey("retry-me", ftFingerprint("POST", "/api/v1/reports", in)))
	before := ftLogSize(t, svc)
	var wg sync.WaitGroup
	ids := make([]truce.ReportID, 16)
	errs := make([]error, 16)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v, err := svc.FileReport(ctx, tr, ftFullInput())
			if err == nil {
				ids[i] = v.ID
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Errorf("request %d = %s, %v; want report %s", i, ids[i], errs[i], ids[0])
		}
	}
	ftWantGrowth(t, svc, "16 retries of one request", before, 1)
	mustVerify(t, svc)
}
