package workflow_test

import (
	"crypto/rand"
	"sync"
	"sync/atomic"
	"testing"

	"truce"
)

// TestFtGroupCommitMixedBatch files from 64 goroutines at once, every 8th
// report invalid: the valid ones all commit, with distinct ids, readable;
// the invalid ones all fail alone; the log holds exactly the valid ones.
func TestFtGroupCommitMixedBatch(t *testing.T) {
	svc, op := newService(t)
	var filers []*truce.Member
	for _, org := range []truce.ActorID{"RU", "IR", "TR"} {
		filers = append(filers, mustMember(t, svc, op, org, truce.RoleGuarantor))
	}
	filers = append(filers, mustMember(t, svc, op, "OPP", truce.RoleParty), mustMember(t, svc, op, "TR", truce.RoleMonitor))
	before := ftLogSize(t, svc)

	const n = 64
	type result struct {
		id    truce.ReportID
		entry int64
		err   error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := ftReport(i, "JFS")
			if i%2 == 1 {
				in = ftFullInput()
				in.Description += " Account " + string(rune('A'+i%26)) + "."
			}
			if i%8 == 0 {
				in.EventType = "Skirmish"
			}
			<-start
			v, err := svc.FileReport(ftCtx, filers[i%len(filers)], in)
			if err == nil {
				results[i] = result{id: v.ID, entry: v.Entry}
			}
			results[i].err = err
		}(i)
	}
	close(start)
	wg.Wait()

	ids, entries := map[truce.ReportID]int{}, map[int64]int{}
	valid := 0
	for i, r := range results {
		if i%8 == 0 {
			if truce.ErrorCode(r.err) != truce.EINVALID || truce.ErrorField(r.err) != "event_type" {
				t.Errorf("report %d (invalid) = %v, want %s about event_type", i, r.err, truce.EINVALID)
			}
			continue
		}
		valid++
		if r.err != nil {
			t.Errorf("report %d (valid) = %v, want it filed", i, r.err)
			continue
		}
		if j, dup := ids[r.id]; dup {
			t.Errorf("reports %d and %d both got id %s", j, i, r.id)
		}
		if j, dup := entries[r.entry]; dup {
			t.Errorf("reports %d and %d both claim entry %d", j, i, r.entry)
		}
		ids[r.id], entries[r.entry] = i, i
		if r.entry < before || r.entry >= before+int64(n) {
			t.Errorf("report %d at entry %d, want one of the new entries from %d", i, r.entry, before)
		}
		got, err := svc.Report(ftCtx, op, r.id)
		if err != nil || got.Entry != r.entry || got.ID != r.id {
			t.Errorf("Report(%s) = %+v, %v; want the report of entry %d", r.id, got, err, r.entry)
		}
	}
	ftWantGrowth(t, svc, "64 concurrent filings, 8 invalid", before, int64(valid))
	if rep := mustVerify(t, svc); rep.Entries != before+int64(valid) {
		t.Errorf("Verify saw %d entries, want %d", rep.Entries, before+int64(valid))
	}
}

// ftPanicReader is a source of randomness that panics on its at-th read:
// a way to make one command of a batch panic midway, since the service
// reads it for ids inside the command.
type ftPanicReader struct {
	n, at atomic.Int64
}

func (r *ftPanicReader) Read(p []byte) (int, error) {
	if r.n.Add(1) == r.at.Load() {
		panic("ftPanicReader: injected panic")
	}
	return rand.Read(p)
}

// TestFtGroupCommitPanic makes one command panic after it has appended an
// entry: it fails alone, its entry is undone, and the commands of the same
// batch and of later ones append where they should.
func TestFtGroupCommitPanic(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	ir := mustMember(t, svc, op, "IR", truce.RoleGuarantor)
	before := ftLogSize(t, svc)

	// Alone: the second id of a batch of two panics, after the first
	// report's entry was appended.
	pr := &ftPanicReader{}
	pr.at.Store(2)
	svc.Rand = pr
	ids, err := svc.FileReports(ftCtx, ru, []*truce.ReportInput{ftReport(0, "JFS"), ftReport(1, "JFS")})
	if err == nil || truce.ErrorCode(err) != truce.EINTERNAL {
		t.Fatalf("FileReports with a panic inside = %v, %v; want an internal error", ids, err)
	}
	ftWantGrowth(t, svc, "panicked command", before, 0)
	if v, err := svc.FileReport(ftCtx, ru, ftReport(2, "JFS")); err != nil || v.Entry != before {
		t.Fatalf("FileReport after the panic = %+v, %v; want entry %d", v, err, before)
	}
	before++

	// Among others: 32 commands of two reports each, the 22nd read (the
	// second id of some command) panics.
	pr = &ftPanicReader{}
	pr.at.Store(22)
	svc.Rand = pr
	const n = 32
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, errs[i] = svc.FileReports(ftCtx, []*truce.Member{ru, ir}[i%2], []*truce.ReportInput{ftReport(2*i, "JFS"), ftReport(2*i+1, "ISIL")})
		}(i)
	}
	close(start)
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if truce.ErrorCode(err) != truce.EINTERNAL {
				t.Errorf("command %d = %v, want nil or the panic's internal error", i, err)
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d commands failed, want exactly the one that panicked", failed)
	}
	ftWantGrowth(t, svc, "32 commands, one panicked", before, 2*int64(n-failed))
	mustVerify(t, svc)
}
