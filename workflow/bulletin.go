package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/bulletin"
	"truce/i18n"
	tlog "truce/log"
)

// BulletinOptions choose what a bulletin is computed at and in.
type BulletinOptions struct {
	// Checkpoint is the tree size of an issued checkpoint to compute the
	// bulletin at; 0 for the latest one issued.
	Checkpoint int64
	// Lang is en, ar, ru, tr or fa; "" for en.
	Lang string
}

// Bulletin computes the public bulletin of date (YYYY-MM-DD, UTC) from the
// log up to a checkpoint (see package bulletin for what it counts), and
// signs it with the log key when the service holds it. Anyone may read it:
// it shows what the agreement's public disclosure policy allows. Render it
// with bulletin.Render.
//
// Errors: EINVALID for a malformed date or language, or a date after the
// checkpoint's last entry; ENOTFOUND when no checkpoint was issued (at
// that size).
func (s *Service) Bulletin(ctx context.Context, date string, opts BulletinOptions) (*bulletin.Bulletin, error) {
	lang, err := bulletin.ParseLang(opts.Lang)
	if err != nil {
		return nil, err
	}
	if _, err := bulletin.ParseDate(date); err != nil {
		return nil, err
	}
	if opts.Checkpoint < 0 {
		return nil, truce.Invalidf("checkpoint", "must be the tree size of an issued checkpoint")
	}
	var b *bulletin.Bulletin
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		c, err := bulletinAt(tx, opts.Checkpoint, s.Witnesses)
		if err != nil {
			return err
		}
		cosigned, err := cosignedNote(tx, c)
		if err != nil {
			return err
		}
		b, err = s.computeBulletin(tx, date, lang, c.Size, cosigned)
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.Signer != nil {
		if err := bulletin.Sign(b, s.Signer); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// bulletinAt returns the checkpoint a bulletin is computed at: the one of
// tree size size; or when size is 0, the latest that the most of the
// witnesses cosigned (DESIGN: bulletins are checked against checkpoints
// every guarantor cosigned), so that while one guarantor's witness is
// down, bulletins stay at the last checkpoint all cosigned; without
// witnesses named, the latest with any cosignature; and while none is
// cosigned, the latest issued.
func bulletinAt(tx truce.Tx, size int64, witnesses []string) (*truce.Checkpoint, error) {
	if size != 0 {
		return tx.CheckpointAt(size)
	}
	if len(witnesses) > 0 {
		n, _, err := tx.LatestCosignedBy(witnesses)
		if err == nil {
			return tx.CheckpointAt(n)
		} else if truce.ErrorCode(err) != truce.ENOTFOUND {
			return nil, err
		}
	}
	n, err := tx.LatestCosigned()
	if err == nil {
		return tx.CheckpointAt(n)
	} else if truce.ErrorCode(err) != truce.ENOTFOUND {
		return nil, err
	}
	return tx.LatestCheckpoint()
}

// computeBulletin reads the log's state at tree size size and computes
// the bulletin of date, unsigned, carrying checkpoint.
func (s *Service) computeBulletin(tx truce.Tx, date string, lang i18n.Lang, size int64, checkpoint string) (*bulletin.Bulletin, error) {
	day, err := bulletin.ParseDate(date)
	if err != nil {
		return nil, err
	}
	a, err := s.loadAgreement(tx)
	if err != nil {
		return nil, err
	}
	origin, err := tx.Setting(SettingOrigin)
	if err != nil {
		return nil, err
	}
	data, err := tx.EntryData(size - 1)
	if err != nil {
		return nil, err
	}
	last, err := tlog.DecodeEntry(data)
	if err != nil {
		return nil, fmt.Errorf("bulletin: entry %d: %w", size-1, err)
	}
	if day.After(last.Time) {
		return nil, truce.Invalidf("date", "the log at tree size %d ends at %s: a bulletin of %s would count nothing yet", size, last.Time.Format(time.RFC3339), date)
	}
	in := &bulletin.Input{
		Agreement: a, Origin: origin, Checkpoint: checkpoint, TreeSize: size, AsOf: last.Time,
		Date: date, Lang: lang,
	}
	if in.Reports, err = tx.ReportsAsOf(day.AddDate(0, 0, -1), day.AddDate(0, 0, 1), size); err != nil {
		return nil, err
	}
	as, err := tx.Accessions(date)
	if err != nil {
		return nil, err
	}
	for _, x := range as {
		if x.Entry < size {
			in.Accessions = append(in.Accessions, x)
		}
	}
	return bulletin.Compute(in)
}

// BulletinCheck is the outcome of checking a bulletin file against the
// log.
type BulletinCheck struct {
	Match    bool            `json:"match"`
	Format   bulletin.Format `json:"format"`
	Date     string          `json:"date,omitempty"`
	TreeSize int64           `json:"tree_size,omitempty"`
	Lang     string          `json:"lang,omitempty"`
	// Problems says what does not match, in the order checked; empty on
	// a match.
	Problems []string `json:"problems,omitempty"`
}

// VerifyBulletin checks a bulletin file of any format against this log:
// its signature is the log key's; the log holds at least the tree size it
// names, and the checkpoint it carries is signed by the log key and has
// the root of this log's tree at that size (the log may have grown
// since); and the bulletin computed again at that size, in its language,
// has the digest signed and renders to the same bytes (for JSON, the same
// canonical JSON). It needs no signing key.
func (s *Service) VerifyBulletin(ctx context.Context, file []byte) (*BulletinCheck, error) {
	f, err := bulletin.ParseFile(file)
	if err != nil {
		return nil, truce.Invalidf("file", "%v", err)
	}
	check := &BulletinCheck{Format: f.Format}
	fail := func(format string, args ...any) (*BulletinCheck, error) {
		check.Problems = append(check.Problems, fmt.Sprintf(format, args...))
		return check, nil
	}
	if f.Signature == "" {
		return fail("the file carries no signature")
	}
	var vkey string
	if vkey, err = s.VerifierKey(ctx); err != nil {
		return nil, err
	}
	verifier, err := tlog.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	signed, err := bulletin.OpenSignature(f.Signature, verifier)
	if err != nil {
		return fail("signature: %v", err)
	}
	check.Date, check.TreeSize, check.Lang = signed.Date, signed.TreeSize, string(signed.Lang)
	var want *bulletin.Bulletin
	err = s.Store.View(ctx, func(tx truce.Tx) error {
		n, err := tx.LogSize()
		if err != nil {
			return err
		}
		if signed.TreeSize > n {
			check.Problems = append(check.Problems, fmt.Sprintf("the bulletin was computed at tree size %d; this log has %d entries", signed.TreeSize, n))
			return nil
		}
		cp, problem, err := s.bulletinCheckpoint(tx, verifier, signed.TreeSize, f.Checkpoint)
		if err != nil || problem != "" {
			if problem != "" {
				check.Problems = append(check.Problems, problem)
			}
			return err
		}
		want, err = s.computeBulletin(tx, signed.Date, signed.Lang, signed.TreeSize, cp)
		return err
	})
	if err != nil || want == nil {
		return check, err
	}
	want.Signature = f.Signature
	if d, err := want.Digest(); err != nil {
		return nil, err
	} else if d != signed.Digest {
		check.Problems = append(check.Problems, "the signature covers another bulletin than the one this log gives at that tree size")
	}
	diffs, err := f.Diff(want)
	if err != nil {
		return nil, err
	}
	check.Problems = append(check.Problems, diffs...)
	check.Match = len(check.Problems) == 0
	return check, nil
}

// bulletinCheckpoint returns the checkpoint note a bulletin at tree size
// size is recomputed with. The file's, when it carries one, and this
// store's must be signed by the log key and commit to this log's tree at
// that size; problem says why not. When this store issued a checkpoint of
// that size, the file's note must be it with none, some or all of the
// witnesses' cosignatures this store holds for it (in the same order), and
// is used as it is; a file without one is recomputed with this store's
// cosigned note. When this store issued none, the file's note is used if
// it carries no cosignature, which could not be checked.
func (s *Service) bulletinCheckpoint(tx truce.Tx, verifier note.Verifier, size int64, carried string) (msg, problem string, err error) {
	root, err := tlog.TreeHash(size, cachedHashReader(s, tx, nil))
	if err != nil {
		return "", "", err
	}
	check := func(whose, msg string) string {
		cp, _, err := tlog.OpenCheckpoint([]byte(msg), verifier)
		switch {
		case err != nil:
			return fmt.Sprintf("%s %v", whose, err)
		case cp.Size != size:
			return fmt.Sprintf("%s checkpoint is of tree size %d, but the signature names %d", whose, cp.Size, size)
		case cp.Root != root:
			return fmt.Sprintf("%s checkpoint has root %x at tree size %d, this log %x: the logs differ", whose, cp.Root[:], size, root[:])
		}
		return ""
	}
	if carried != "" {
		if p := check("the file's", carried); p != "" {
			return "", p, nil
		}
	}
	c, err := tx.CheckpointAt(size)
	switch {
	case err == nil:
	case truce.ErrorCode(err) != truce.ENOTFOUND:
		return "", "", err
	case carried == "":
		return "", fmt.Sprintf("no checkpoint of tree size %d: the file carries none and this log issued none", size), nil
	default:
		if sigs := noteSignatures(carried); len(sigs) > 1 {
			return "", fmt.Sprintf("the file's checkpoint of tree size %d carries %d cosignatures, and this log issued no checkpoint of that size to check them against", size, len(sigs)-1), nil
		}
		return carried, "", nil
	}
	if p := check("this log's", c.Note); p != "" {
		return "", p, nil
	}
	ours, err := cosignedNote(tx, c)
	if err != nil || carried == "" {
		return ours, "", err
	}
	// The file may carry fewer cosignatures than this log now holds (it
	// was computed before they all came in), but none that it does not
	// hold, and in the same order.
	if p := subNote(carried, ours); p != "" {
		return "", fmt.Sprintf("the file's checkpoint of tree size %d %s", size, p), nil
	}
	return carried, "", nil
}

// noteSignatures returns the signature lines of a signed note.
func noteSignatures(msg string) []string {
	i := strings.LastIndex(msg, "\n\n")
	if i < 0 {
		return nil
	}
	lines := strings.SplitAfter(msg[i+2:], "\n")
	return lines[:len(lines)-1] // after the last newline, nothing
}

// subNote says why note a is not note b with some of b's cosignature
// lines left out; "" when it is.
func subNote(a, b string) string {
	ia, ib := strings.LastIndex(a, "\n\n"), strings.LastIndex(b, "\n\n")
	if ia < 0 || ib < 0 || a[:ia] != b[:ib] {
		return "is not this log's checkpoint"
	}
	as, bs := noteSignatures(a), noteSignatures(b)
	if len(as) == 0 || len(bs) == 0 || as[0] != bs[0] {
		return "does not carry this log's signature first"
	}
	j := 1
	for _, l := range as[1:] {
		for j < len(bs) && bs[j] != l {
			j++
		}
		if j == len(bs) {
			return fmt.Sprintf("carries a cosignature this log does not hold for it, or out of order: %q", clipNote(l))
		}
		j++
	}
	return ""
}

func clipNote(s string) string {
	s = strings.TrimSuffix(s, "\n")
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
