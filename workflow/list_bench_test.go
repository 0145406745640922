package workflow

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"truce"
)

// BenchmarkListReports reads pages of 20 reports, with their assessments,
// replies, decisions and evidence, as a guarantor officer, from the
// benchmark log of BenchmarkBulletin (a million reports by default,
// TRUCE_BENCH_REPORTS to change it): the first page, and pages further
// back by cursor. It also reads single reports by id. It reports the
// median of each:
//
//	go test ./workflow -run '^$' -bench ListReports -benchtime 2000x
func BenchmarkListReports(b *testing.B) {
	svc := benchStore(b, benchReports(b))
	ctx := context.Background()
	var viewer *truce.Member
	var size int64
	err := svc.Store.View(ctx, func(tx truce.Tx) error {
		ms, err := tx.Members()
		for _, m := range ms {
			if m.Role == truce.RoleGuarantor {
				viewer = m
			}
		}
		if err == nil {
			size, err = tx.LogSize()
		}
		return err
	})
	if err != nil || viewer == nil {
		b.Fatalf("no guarantor officer in the benchmark log: %v", err)
	}
	first, err := svc.ListReports(ctx, viewer, ReportQuery{Limit: "20"})
	if err != nil || len(first.Reports) != 20 {
		b.Fatalf("ListReports = %v, %v", first, err)
	}
	var page, deep, one []time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		p, err := svc.ListReports(ctx, viewer, ReportQuery{Limit: "20"})
		if err != nil || len(p.Reports) != 20 {
			b.Fatal(err)
		}
		page = append(page, time.Since(start))

		start = time.Now()
		cursor := strconv.FormatInt(size-int64(i*7919)%size, 10)
		if _, err := svc.ListReports(ctx, viewer, ReportQuery{Limit: "20", Cursor: cursor}); err != nil {
			b.Fatal(err)
		}
		deep = append(deep, time.Since(start))

		start = time.Now()
		if _, err := svc.Report(ctx, viewer, first.Reports[i%20].ID); err != nil {
			b.Fatal(err)
		}
		one = append(one, time.Since(start))
	}
	b.StopTimer()
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(page), "ms/page-median")
	b.ReportMetric(median(deep), "ms/cursor-page-median")
	b.ReportMetric(median(one), "ms/report-median")
}
