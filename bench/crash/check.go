package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	_ "modernc.org/sqlite"

	tlog "truce/log"
)

// snapshot copies the data directory of a killed server, as the kill left
// it (the database and its write-ahead log), to dst, so that the checks
// read the crashed state while the next server recovers the original. The
// writer lock and the WAL index, which SQLite rebuilds, are left behind.
func snapshot(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case rel == "truce.lock" || strings.HasSuffix(rel, "-shm"):
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// offline is what the checks of a stopped server's data directory found.
type offline struct {
	integrity string // "ok", or what PRAGMA integrity_check said
	verify    error  // nil when `truce log verify` exited 0
	found     found
}

// found is what the database holds of the harness's writes: for each tag,
// one string per row carrying it, the id of the report (for a report) or of
// the report assessed (for an assessment).
type found map[string][]string

var tagPattern = regexp.MustCompile(`crash-[0-9a-f]+-c[0-9]+-[0-9]+`)

// checkOffline runs PRAGMA integrity_check on the data directory's
// database, reads the harness's writes from it, and runs `truce log
// verify` on it. No server may be running on dir.
func checkOffline(ctx context.Context, bin, dir string) (*offline, error) {
	o := &offline{found: found{}}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "truce.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("integrity_check: %w", err)
	}
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		lines = append(lines, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity_check: %w", err)
	}
	o.integrity = strings.Join(lines, "; ")

	for _, q := range []string{
		`SELECT id, description FROM reports WHERE description LIKE '%Ref crash-%'`,
		`SELECT report, reason FROM assessments WHERE reason LIKE '%Ref crash-%'`,
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return nil, err
			}
			if tag := tagPattern.FindString(text); tag != "" {
				o.found[tag] = append(o.found[tag], id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	db.Close()

	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "log", "verify", "--quiet", "--data", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		o.verify = fmt.Errorf("truce log verify: %v: %s", err, clip(out.Bytes()))
	}
	return o, nil
}

// audit is what an audit of the ledger against the database found.
type audit struct {
	checked    int      // acknowledged writes looked for
	lost       []string // acknowledged writes missing, found so for the first time
	duplicated []string // tags on more than one row, found so for the first time
	wrong      []string // acknowledged writes present, but not as acknowledged
}

// audit compares what the server acknowledged with what the database
// holds: every acknowledged write must be there exactly once, as it was
// acknowledged (a report under the id it was given, an assessment of the
// report it was sent for), and no write may be there twice. A write found
// lost stays lost, counted once; dup remembers the duplicates counted.
func (l *ledger) audit(f found, dup map[string]bool) audit {
	l.mu.Lock()
	defer l.mu.Unlock()
	var a audit
	for _, w := range l.acked {
		a.checked++
		rows := f[w.tag]
		want := w.id
		if !w.report {
			want = w.target
		}
		w.seen = false
		switch {
		case len(rows) == 0:
			if !w.lost {
				w.lost = true
				a.lost = append(a.lost, w.tag)
			}
		case len(rows) == 1 && rows[0] != want:
			a.wrong = append(a.wrong, fmt.Sprintf("%s: acknowledged as %s, stored as %s", w.tag, want, rows[0]))
		case len(rows) == 1:
			w.seen = true
		}
	}
	for tag, rows := range f {
		if len(rows) > 1 && !dup[tag] {
			dup[tag] = true
			a.duplicated = append(a.duplicated, tag)
		}
	}
	return a
}

// checkpoints follows the log's signed checkpoints across restarts: the
// largest one seen must never be followed by a smaller one, and every later
// one must be consistent with it.
type checkpoints struct {
	s    *server
	last tlog.Checkpoint // the largest seen, verified
}

// fetch gets and verifies the server's latest checkpoint.
func (c *checkpoints) fetch(ctx context.Context, hc *http.Client) (tlog.Checkpoint, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.s.url+"/log/checkpoint", nil)
	if err != nil {
		return tlog.Checkpoint{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return tlog.Checkpoint{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return tlog.Checkpoint{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return tlog.Checkpoint{}, fmt.Errorf("GET /log/checkpoint: %s %s", resp.Status, clip(body))
	}
	cp, _, err := tlog.OpenCheckpoint(body, c.s.verifier)
	return cp, err
}

// advance checks that cp, a checkpoint the server signed, neither goes back
// on the largest checkpoint seen before nor forks from it (with a
// consistency proof from the server, checked against both signed roots),
// and then keeps it as the largest seen.
func (c *checkpoints) advance(ctx context.Context, hc *http.Client, cp tlog.Checkpoint) error {
	old := c.last
	switch {
	case cp.Size < old.Size:
		return fmt.Errorf("checkpoint rolled back: size %d after %d", cp.Size, old.Size)
	case old.Size == 0:
	case cp.Size == old.Size:
		if cp.Root != old.Root {
			return fmt.Errorf("checkpoint forked: two roots for size %d", cp.Size)
		}
	default:
		q := url.Values{"old": {fmt.Sprint(old.Size)}, "new": {fmt.Sprint(cp.Size)}}
		req, err := http.NewRequestWithContext(ctx, "GET", c.s.url+"/log/proof/consistency?"+q.Encode(), nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var p struct {
			Proof []tlog.Hash `json:"proof"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
			return fmt.Errorf("GET /log/proof/consistency?%s: %s %s", q.Encode(), resp.Status, clip(body))
		}
		if err := tlog.VerifyConsistency(uint64(old.Size), uint64(cp.Size), old.Root[:], cp.Root[:], tlog.Slices(p.Proof)); err != nil {
			return fmt.Errorf("checkpoint %d is not consistent with checkpoint %d seen before: %w", cp.Size, old.Size, err)
		}
	}
	c.last = cp
	return nil
}
