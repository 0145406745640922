package bench

import (
	"context"
	"reflect"
	"testing"

	"truce"
)

// appender files a batch of reports durably: in one transaction, or one
// transaction each when the batch has one report.
type appender func(ctx context.Context, f *fixture, ins []*truce.ReportInput) error

// logAppend files through the service: validation, log entry, Merkle
// hashes and projection row in one transaction.
func logAppend(ctx context.Context, f *fixture, ins []*truce.ReportInput) error {
	if len(ins) == 1 {
		_, err := f.svc.FileReport(ctx, f.filer, ins[0])
		return err
	}
	_, err := f.svc.FileReports(ctx, f.filer, ins)
	return err
}

// plainAppend inserts the same rows without the log.
func plainAppend(ctx context.Context, f *fixture, ins []*truce.ReportInput) error {
	return f.db.Update(ctx, func(tx truce.Tx) error {
		now := f.svc.Now()
		for _, in := range ins {
			r, s, err := f.plainReport(in, now)
			if err != nil {
				return err
			}
			if err := tx.InsertReport(r, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkAppend compares durable report appends through the log with
// plain durable inserts of the same rows. Each pair (log, plain) of a
// transaction size runs back to back, so that they see the same machine.
func BenchmarkAppend(b *testing.B) {
	for _, mode := range []struct {
		name  string
		batch int
	}{{"one-per-tx", 1}, {"batch-100", 100}} {
		for _, v := range []struct {
			name string
			fn   appender
		}{{"log", logAppend}, {"plain", plainAppend}} {
			b.Run(v.name+"/"+mode.name, func(b *testing.B) { runAppend(b, mode.batch, v.fn) })
		}
	}
}

// runAppend files b.N reports in transactions of batch reports on a fresh
// database, and reports the time per report as ns/report.
func runAppend(b *testing.B, batch int, fn appender) {
	b.Helper()
	ctx := context.Background()
	f := newFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		if err := fn(ctx, f, f.take(min(batch, b.N-done))); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/report")
}

// TestPlainRowMatchesLog checks that the plain variant inserts the row the
// service does, but for the id, the filing time and the entry.
func TestPlainRowMatchesLog(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	in := f.take(1)[0]
	v, err := f.svc.FileReport(ctx, f.filer, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Perpetrator == "" {
		t.Fatalf("perpetrator %q did not resolve", in.Perpetrator)
	}
	f.entry = v.Entry + 1
	var id truce.ReportID
	err = f.db.Update(ctx, func(tx truce.Tx) error {
		r, s, err := f.plainReport(in, f.svc.Now())
		if err != nil {
			return err
		}
		id = r.ID
		return tx.InsertReport(r, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.View(ctx, func(tx truce.Tx) error {
		want, ws, err := tx.Report(v.ID)
		if err != nil {
			return err
		}
		got, gs, err := tx.Report(id)
		if err != nil {
			return err
		}
		if got.Entry != want.Entry+1 {
			t.Errorf("plain entry = %d, want %d", got.Entry, want.Entry+1)
		}
		if d := gs.Deadline.Sub(got.FiledAt); d != ws.Deadline.Sub(want.FiledAt) {
			t.Errorf("plain answer window = %v, want %v", d, ws.Deadline.Sub(want.FiledAt))
		}
		got.ID, got.FiledAt, got.Entry = want.ID, want.FiledAt, want.Entry
		gs.Deadline = ws.Deadline
		if !reflect.DeepEqual(*got, *want) || gs != ws {
			t.Errorf("plain row = %+v %+v,\nwant %+v %+v", got, gs, want, ws)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
