package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"truce/sqlite"
)

func runRebuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("rebuild", "rebuild --data DIR | --db postgres://…",
		"Drops every projection table and replays the log into them, in one\n"+
			"transaction: on failure the database is left as it was. The log itself\n"+
			"(entries, hashes, checkpoints) is never touched. Stop the server first.", stderr)
	data := dataFlag(fs)
	d, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	unlock, err := d.lock()
	if err != nil {
		return err
	}
	defer unlock()
	start := time.Now()
	if err := svc.Rebuild(ctx, progressPrinter(stderr)); err != nil {
		return err
	}
	n, err := svc.LogSize(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Rebuilt the projections from %d entries in %s.\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

func runDump(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dump", "dump --data DIR | --db postgres://…",
		"Prints every projection row as \"table<TAB>json\", tables in name order and\n"+
			"rows in key order: two databases with the same projections print the same.", stderr)
	data := dataFlag(fs)
	_, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(stdout)
	err = svc.Dump(ctx, func(line []byte) error {
		w.Write(line)
		return w.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// progressPrinter reports progress of long work to w every second, and at
// the end.
func progressPrinter(w io.Writer) func(step string, done, total int64) {
	last := time.Now()
	return func(step string, done, total int64) {
		if done < total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "%s: %d/%d entries\n", step, done, total)
	}
}

// scratchStore opens an empty store in a temporary file, removed by the
// returned function.
func scratchStore() (*sqlite.DB, func(), error) {
	dir, err := os.MkdirTemp("", "truce-verify-")
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlite.Open(dir + "/scratch.db")
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }, nil
}
