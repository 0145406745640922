package workflow_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
	"truce/workflow"
)

// Helpers shared by the feature_*_test.go files. Their names start with ft.

var ftCtx = context.Background()

// ftClock is a settable clock, safe to read from the group-commit
// goroutine while a test moves it between commands.
type ftClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *ftClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *ftClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// ftFixClock gives svc a settable clock that starts at t.
func ftFixClock(svc *workflow.Service, t time.Time) *ftClock {
	c := &ftClock{t: t}
	svc.Now = c.Now
	return c
}

// ftWantCode fails unless err has the given code ("" for no error).
func ftWantCode(tb testing.TB, what string, err error, code string) {
	tb.Helper()
	if got := truce.ErrorCode(err); got != code {
		tb.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// ftWantField fails unless err is EINVALID about field.
func ftWantField(tb testing.TB, what string, err error, field string) {
	tb.Helper()
	if truce.ErrorCode(err) != truce.EINVALID || truce.ErrorField(err) != field {
		tb.Fatalf("%s: error %v (code %q, field %q), want %s about field %q", what, err, truce.ErrorCode(err), truce.ErrorField(err), truce.EINVALID, field)
	}
}

func ftLogSize(tb testing.TB, svc *workflow.Service) int64 {
	tb.Helper()
	n, err := svc.LogSize(ftCtx)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// ftWantGrowth fails unless the log has grown by n entries since before.
func ftWantGrowth(tb testing.TB, svc *workflow.Service, what string, before, n int64) {
	tb.Helper()
	if got := ftLogSize(tb, svc); got != before+n {
		tb.Fatalf("%s: log of %d entries, want %d (%d + %d)", what, got, before+n, before, n)
	}
}

// ftEntry reads entry index as viewer and returns it decoded and raw.
func ftEntry(tb testing.TB, svc *workflow.Service, viewer *truce.Member, index int64) (*truce.Entry, []byte) {
	tb.Helper()
	data, err := svc.EntryData(ftCtx, viewer, index)
	if err != nil {
		tb.Fatalf("EntryData(%d) = %v", index, err)
	}
	e, err := tlog.DecodeEntry(data)
	if err != nil {
		tb.Fatalf("DecodeEntry(%d) = %v", index, err)
	}
	return e, data
}

// ftDump returns the projections' dump.
func ftDump(tb testing.TB, svc *workflow.Service) string {
	tb.Helper()
	var b strings.Builder
	err := svc.Dump(ftCtx, func(line []byte) error {
		b.Write(line)
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// ftRebuildSame rebuilds the projections and fails unless the dump is
// unchanged.
func ftRebuildSame(tb testing.TB, svc *workflow.Service) {
	tb.Helper()
	before := ftDump(tb, svc)
	if err := svc.Rebuild(ftCtx, nil); err != nil {
		tb.Fatalf("Rebuild: %v", err)
	}
	if after := ftDump(tb, svc); after != before {
		tb.Errorf("dump after rebuild differs:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// ftReport is report(i) at a given perpetrator.
func ftReport(i int, perpetrator string) *truce.ReportInput {
	in := report(i)
	in.Perpetrator = perpetrator
	return in
}

// ftSameNotFound fails unless two ENOTFOUND errors read alike once the ids
// they name are replaced: a hidden object must not be told apart from a
// missing one.
func ftSameNotFound(tb testing.TB, what string, hidden error, hiddenID string, missing error, missingID string) {
	tb.Helper()
	if truce.ErrorCode(hidden) != truce.ENOTFOUND || truce.ErrorCode(missing) != truce.ENOTFOUND {
		tb.Fatalf("%s: hidden = %v, missing = %v; want both %s", what, hidden, missing, truce.ENOTFOUND)
	}
	h, m := ftMaskID(truce.ErrorMessage(hidden), hiddenID), ftMaskID(truce.ErrorMessage(missing), missingID)
	if h != m {
		tb.Errorf("%s: hidden object says %q, missing one %q; want the same", what, h, m)
	}
}

// ftMaskID replaces id in msg, whole or cut short as messages cut long
// ids, by "ID".
func ftMaskID(msg, id string) string {
	msg = strings.ReplaceAll(msg, id, "ID")
	for n := len(id) - 1; n >= 8; n-- {
		if strings.Contains(msg, id[:n]) {
			return strings.ReplaceAll(msg, id[:n], "ID")
		}
	}
	return msg
}
