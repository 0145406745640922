package workflow

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"truce"
	"truce/agreements"
	"truce/bulletin"
	tlog "truce/log"
	"truce/places"
	"truce/sqlite"
)

// BenchmarkBulletin computes, signs and renders as JSON the bulletin of one
// day of a log of a million reports (TRUCE_BENCH_REPORTS to change it)
// spread over the 365 days of 2017, about 2,740 a day, with 1.2
// assessments a report on average. It reports the median time of a
// bulletin, cycling through the days:
//
//	go test ./workflow -run '^$' -bench Bulletin -benchtime 200x
//
// The log is built once, entry by entry through the applier (the same
// code as commands, without their validation, one transaction a day), and
// kept in $TRUCE_BENCH_DIR, or the system's temporary directory, for the
// next run: a million reports take about ten minutes to build on two
// cores, and 2.2 GB. On those two cores (AMD EPYC) a bulletin takes about
// 50 ms (median; p90 80 to 120 ms).
func BenchmarkBulletin(b *testing.B) {
	svc := benchStore(b, benchReports(b))
	days := make([]string, 365)
	for i := range days {
		days[i] = time.Date(2017, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	ctx := context.Background()
	times := make([]time.Duration, 0, b.N)
	reports := 0
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		bl, err := svc.Bulletin(ctx, days[(i*7)%len(days)], BulletinOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bulletin.Bytes(bl, bulletin.JSON); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		reports += bl.Total.Reports + bl.Total.Designated.Reports + bl.Total.OutsideScope
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/bulletin-median")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "ms/bulletin-p90")
	b.ReportMetric(float64(reports)/float64(b.N), "reports/day")
}

// benchReports is how many reports the benchmark log holds: a million,
// or TRUCE_BENCH_REPORTS.
func benchReports(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv("TRUCE_BENCH_REPORTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 365 {
			b.Fatalf("TRUCE_BENCH_REPORTS=%q: want a number of reports of 365 or more", v)
		}
	}
	return n
}

// benchStore opens the benchmark's log of n reports, building it first
// when it is not there.
func benchStore(b *testing.B, n int) *Service {
	b.Helper()
	dir := os.Getenv("TRUCE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "truce-bench-bulletin-v2")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("reports-%d.db", n))
	keyPath := path + ".key"
	if _, err := os.Stat(path); err != nil {
		if testing.Short() {
			b.Skipf("no log of %d reports in %s, and -short: not building one", n, dir)
		}
		b.Logf("building a log of %d reports in %s (once)", n, path)
		start := time.Now()
		if err := buildBenchStore(path+".tmp", keyPath, n); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built in %s", time.Since(start).Round(time.Second))
	}
	skey, err := os.ReadFile(keyPath)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := tlog.NewSigner(string(skey))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return New(db, signer)
}

// buildBenchStore writes a log of n reports into a new database at path,
// and its log key to keyPath.
func buildBenchStore(path, keyPath string, n int) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	ctx := context.Background()
	a, _, err := agreements.Load("astana-2017")
	if err != nil {
		return err
	}
	const origin = "truce.bench/bulletin"
	skey, vkey, err := tlog.GenerateKey(origin)
	if err != nil {
		return err
	}
	if err := os.WriteFile(keyPath, []byte(skey), 0o600); err != nil {
		return err
	}
	signer, err := tlog.NewSigner(skey)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	s := New(db, signer)
	s.Rand = rand.NewChaCha8([32]byte{1})
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return start }
	op, _, err := s.Init(ctx, InitOptions{Agreement: a, Origin: origin, Verifier: vkey})
	if err != nil {
		return err
	}
	var filers, officers []*truce.Member
	for _, m := range []struct {
		org  truce.ActorID
		role truce.Role
	}{{"RU", truce.RoleGuarantor}, {"IR", truce.RoleGuarantor}, {"TR", truce.RoleGuarantor}, {"OPP", truce.RoleParty}, {"SYG", truce.RoleParty}} {
		mem, _, err := s.AddMember(ctx, op, string(m.org)+" bench", m.org, m.role)
		if err != nil {
			return err
		}
		filers = append(filers, mem)
		if m.role == truce.RoleGuarantor {
			officers = append(officers, mem)
		}
	}
	communities := places.Communities()
	rng := rand.New(rand.NewPCG(1, 2))
	type filed struct {
		id     truce.ReportID
		filer  truce.ActorID
		answer int // how many guarantors answer it
	}
	var pending []filed // the previous day's reports, answered the next day
	perDay := n / 365
	for d := range 365 {
		count := perDay
		if d < n%365 {
			count++
		}
		day := start.AddDate(0, 0, d)
		offsets := make([]time.Duration, count)
		for i := range offsets {
			offsets[i] = time.Duration(rng.Int64N(int64(24 * time.Hour)))
		}
		slices.Sort(offsets)
		var today []filed
		err := s.update(ctx, func(tx *wtx) error {
			for _, off := range offsets {
				c := communities[rng.IntN(len(communities))]
				by := filers[rng.IntN(len(filers))]
				cl := truce.Classification{ADM1: c.ADM1, ADM2: c.ADM2, ADM3: c.ADM3, Scope: truce.ScopeCovered}
				switch x := rng.IntN(100); {
				case x < 3:
					cl.Scope, cl.Controller = truce.ScopeExcluded, "JFS"
				case x < 4:
					cl.Scope = truce.ScopeDisputed
				}
				id, err := s.newID("rpt_")
				if err != nil {
					return err
				}
				occurred := day.Add(off)
				p := &truce.ReportFiled{
					ID: truce.ReportID(id), OccurredAt: occurred, Lon: c.Lon, Lat: c.Lat,
					EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
					Perpetrator: "SYG", PerpetratorAsGiven: "SYG", Description: "Shelling reported near " + c.NameEN + ".",
					TimePrecision: 1, GeoPrecision: 1, Classification: &cl,
				}
				tx.by, tx.now = by, occurred.Add(time.Hour)
				if _, err := s.appendEntry(tx, truce.EntryReportFiled, p, nil); err != nil {
					return err
				}
				today = append(today, filed{p.ID, by.Organisation, rng.IntN(5) * 3 / 4}) // 0, 0, 1, 2, 3
			}
			// The day before's reports are answered at the end of this one.
			at := day.Add(25 * time.Hour)
			for _, r := range pending {
				for _, g := range officers[:r.answer] {
					v := truce.Confirm
					if rng.IntN(4) == 0 {
						v = truce.Dispute
					}
					tx.by, tx.now = g, at
					if _, err := s.appendEntry(tx, truce.EntryAssessmentMade, &truce.AssessmentMade{Report: r.id, Verdict: v, Reason: "bench"}, nil); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		pending = today
	}
	s.Now = func() time.Time { return start.AddDate(1, 0, 2) }
	_, err = s.IssueCheckpoint(ctx)
	return err
}
