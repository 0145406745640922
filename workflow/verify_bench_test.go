package workflow_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"truce"
	"truce/sqlite"
)

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkVerify verifies logs of growing size — reports filed in
// batches, one assessment for every other report, a checkpoint every
// thousand entries — to show that verify's cost per entry stays flat:
//
//	go test ./workflow -run XXX -bench Verify -benchtime 1x
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			svc, op := newService(b)
			ctx := context.Background()
			ru := mustMember(b, svc, op, "RU", truce.RoleGuarantor)
			ir := mustMember(b, svc, op, "IR", truce.RoleGuarantor)
			for size := int64(0); size < int64(n); {
				ins := make([]*truce.ReportInput, 500)
				for i := range ins {
					ins[i] = report(i)
				}
				ids, err := svc.FileReports(ctx, ru, ins)
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < len(ids); i += 2 {
					if _, err := svc.Assess(ctx, ir, ids[i], &truce.AssessmentInput{Verdict: truce.Confirm}); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := svc.IssueCheckpoint(ctx); err != nil {
					b.Fatal(err)
				}
				if size, err = svc.LogSize(ctx); err != nil {
					b.Fatal(err)
				}
			}
			size, _ := svc.LogSize(ctx)
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				scratch, err := sqlite.Open(filepath.Join(b.TempDir(), fmt.Sprintf("scratch%d.db", i)))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Verify(ctx, scratch, nil); err != nil {
					b.Fatal(err)
				}
				scratch.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size), "ns/entry")
			// On a shared machine the wall clock counts the others' work
			// too: the process's CPU time is the steadier measure.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(size), "cpu-ns/entry")
		})
	}
}
