package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
	"truce/witness"
)

// What Verify checks, table by table (the SQLite store's names; another
// store keeps the same things):
//
//   - log_entries: every entry's bytes are canonical, say their own index,
//     follow one another without a gap and never go back in time; every
//     stored Merkle hash is the one the bytes give; every sidecar is in the
//     form truce writes and matches the commitments and signed note its
//     entry carries (checked while replaying).
//   - checkpoints: every signed note verifies with the log's key, is for the
//     log's origin, says what its row says, signs the root the entries give
//     and is consistent with the checkpoint before it.
//   - cosignatures: every witness's cosignature is of a stored checkpoint,
//     by the witness its row names, and verifies over the checkpoint's
//     note with that witness's key (the keys in witnesses.txt and
//     demo-witnesses/, given by `truce log verify`).
//   - settings: the origin is the checkpoints' origin; the public key
//     verifies them (and `truce log verify` compares it with log.pub).
//   - every projection (agreement, members, reports — the answers column
//     included —, assessments, replies, rfis, evidence, accessions,
//     meetings, meeting_decisions, member_keys, zones, positions,
//     position_assessments, report_classifications): the log is replayed
//     into an empty store and every row of every table must be the same,
//     column by column. The columns that triggers fill (reports.answers,
//     report_classifications) are filled by the same triggers on replay, so
//     they are checked like any other.
//   - evidence files: every file an entry records is present and its bytes
//     hash to the SHA-256 the entry names.
//
// What it cannot check, because nothing in the log determines it:
//
//   - checkpoints.issued_at and cosignatures.received_at: when this server
//     says it signed, and received a cosignature; no signature covers
//     these times (a cosignature carries its witness's own time, inside
//     the signature, which is checked with it).
//   - credentials (hashes of bearer tokens) and responses (the first answer
//     to an idempotent request): kept outside the log on purpose (a token
//     hash is a secret; a response is the server's answer, not a claim).
//   - drafts (the review queue of drafts read from published texts): no
//     one has claimed anything until a member files a draft, and the
//     report it becomes is in the log.
//   - sessions (the map room's, by the hashes of their ids): the servers'
//     working state, like credentials.
//
// No table is a cache that verify skips: the derived columns are rebuilt
// by the replay and compared. cmd/truce's TestTamperEveryColumn changes a
// value in every column of every table and holds verify to this list.
//
// Entries appended after the latest checkpoint are checked like the others
// but signed by no checkpoint yet: VerifyReport.Unsigned counts them, and a
// well-formed entry forged there, with its rows, cannot be told from a real
// one until a checkpoint (and a witness) covers the log.

// Damage names a kind of damage that Verify found.
type Damage string

const (
	// DamageEntryChanged: an entry's bytes are not those its stored leaf
	// hash was made from, or are not an entry.
	DamageEntryChanged Damage = "entry changed"
	// DamageEntryMissing: the indexes have a gap.
	DamageEntryMissing Damage = "entry missing"
	// DamageEntryOrder: an entry is stored at another index than its own.
	DamageEntryOrder Damage = "entries out of order"
	// DamageEntryReplayed: an entry is an earlier one again, with another
	// index.
	DamageEntryReplayed Damage = "entry replayed"
	// DamageEntryTime: an entry's time is before the previous entry's.
	DamageEntryTime Damage = "entry time goes back"
	// DamageHashChanged: a stored Merkle hash is not the one the entries
	// give, while the entries themselves are intact.
	DamageHashChanged Damage = "stored hash changed"
	// DamageEntryOrHash: an entry's leaf hash differs from its bytes and
	// nothing stored says which of the two changed.
	DamageEntryOrHash Damage = "entry or stored hash changed"
	// DamageTailTruncated: a checkpoint signs more entries than the log has.
	DamageTailTruncated Damage = "tail truncated"
	// DamageHistoryRewritten: the entries, with their hashes recomputed,
	// give another tree than a checkpoint signed.
	DamageHistoryRewritten Damage = "history rewritten"
	// DamageCheckpointForged: a checkpoint's note does not verify with the
	// log's key, or its row says something else than its note.
	DamageCheckpointForged Damage = "checkpoint forged"
	// DamageSetting: a setting of the log (origin, key) was changed.
	DamageSetting Damage = "setting changed"
	// DamageRestricted: a sidecar (restricted values, signed note) was
	// changed.
	DamageRestricted Damage = "restricted value changed"
	// DamageSignature: an entry in a member's name is not what the member
	// signed.
	DamageSignature Damage = "signature forged"
	// DamageReplay: the log does not replay.
	DamageReplay Damage = "log does not replay"
	// DamageProjection: a projection row is not what the log gives.
	DamageProjection Damage = "projection row differs"
	// DamageEvidenceChanged and DamageEvidenceMissing: an evidence file's
	// bytes do not hash to its name, or it is gone.
	DamageEvidenceChanged Damage = "evidence file changed"
	DamageEvidenceMissing Damage = "evidence file missing"
)

// VerifyError names the first thing found wrong by Verify, and the kind of
// damage it shows.
type VerifyError struct {
	Damage Damage
	What   string // "entry", "hash", "checkpoint", "setting", "projection" or "evidence"
	At     string // the entry index, checkpoint size, setting, table row or file
	Err    error
}

func (e *VerifyError) Error() string {
	if e.Damage == "" {
		return fmt.Sprintf("%s %s: %v", e.What, e.At, e.Err)
	}
	return fmt.Sprintf("%s %s: %v [%s]", e.What, e.At, e.Err, e.Damage)
}
func (e *VerifyError) Unwrap() error { return e.Err }

// faultf returns a *VerifyError.
func faultf(d Damage, what, at, format string, args ...any) error {
	return &VerifyError{Damage: d, What: what, At: at, Err: fmt.Errorf(format, args...)}
}

// VerifyReport says what Verify checked.
type VerifyReport struct {
	Entries     int64
	Hashes      int64
	Checkpoints int
	Unsigned    int64 // entries after the latest checkpoint
	// Cosignatures are the witnesses' cosignatures of checkpoints checked.
	Cosignatures int
	Rows         int64
	Evidence     int // evidence files hashed
	Root         tlog.Hash
}

// Verify checks the whole store, as the comment at the top of this file
// lists, in one snapshot: it recomputes every Merkle hash from the stored
// entries, checks every checkpoint against the recomputed tree, replays
// the log into scratch, an empty store, and compares the replayed
// projections with the stored ones row by row, and hashes every evidence
// file again. It returns a *VerifyError naming the first fault and its
// Damage. Time and memory grow linearly with the log: rows are compared as
// both stores stream them.
func (s *Service) Verify(ctx context.Context, scratch truce.Store, progress Progress) (*VerifyReport, error) {
	return s.VerifyWith(ctx, scratch, VerifyOptions{Progress: progress})
}

// VerifyOptions are the options of VerifyWith.
type VerifyOptions struct {
	Progress Progress
	// Witnesses are the keys of the witnesses whose cosignatures the
	// store may keep; every cosignature must verify with one of them.
	Witnesses []*witness.Verifier
}

// VerifyWith is Verify, checking the witnesses' cosignatures with their
// keys.
func (s *Service) VerifyWith(ctx context.Context, scratch truce.Store, opts VerifyOptions) (*VerifyReport, error) {
	progress := opts.Progress
	rep := &VerifyReport{}
	check := &signatureCheck{}
	var files []string
	err := s.Store.View(ctx, func(src truce.Tx) error {
		origin, err := src.Setting(SettingOrigin)
		if err != nil {
			return faultf(DamageSetting, "setting", SettingOrigin, "%v", err)
		}
		check.origin = origin
		vkey, err := src.Setting(SettingVerifier)
		if err != nil {
			return faultf(DamageSetting, "setting", SettingVerifier, "%v", err)
		}
		verifier, err := tlog.NewVerifier(vkey)
		if err != nil {
			return faultf(DamageSetting, "setting", SettingVerifier, "%v", err)
		}
		hashes, err := verifyEntries(src, rep, progress)
		if err != nil {
			return err
		}
		if err := verifyCheckpoints(src, verifier, origin, hashes, rep); err != nil {
			return err
		}
		if err := verifyCosignatures(src, opts.Witnesses, rep); err != nil {
			return err
		}
		err = scratch.Update(ctx, func(dst truce.Tx) error {
			_, err := replay(src, dst, check, progress)
			return err
		})
		if err != nil {
			return replayFault(err)
		}
		return scratch.View(ctx, func(replayed truce.Tx) error {
			files, err = compareProjections(src, replayed, rep)
			return err
		})
	})
	if err != nil {
		return rep, err
	}
	return rep, s.verifyEvidence(files, rep, progress)
}

// replayFault names the damage behind an error of replay: a sidecar that
// no longer matches its entry, an entry its member did not sign, or an
// entry that does not apply.
func replayFault(err error) error {
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Damage != "" {
		return err
	}
	msg := ve.Err.Error()
	switch {
	case strings.Contains(msg, "sidecar") || strings.Contains(msg, "commitment"):
		ve.Damage = DamageRestricted
	case strings.Contains(msg, "sign") || strings.Contains(msg, "attested"):
		ve.Damage = DamageSignature
	default:
		ve.Damage = DamageReplay
	}
	return ve
}

// verifyCheckpoints checks every stored checkpoint against the recomputed
// tree and the one before it.
func verifyCheckpoints(tx truce.Tx, verifier note.Verifier, origin string, hashes memHashes, rep *VerifyReport) error {
	mem := &hashes
	var prev *tlog.Checkpoint
	var latest int64
	err := tx.ScanCheckpoints(func(c *truce.Checkpoint) error {
		at := fmt.Sprintf("of size %d", c.Size)
		cp, _, err := tlog.OpenCheckpoint([]byte(c.Note), verifier)
		if err != nil {
			return faultf(DamageCheckpointForged, "checkpoint", at, "its note does not verify with the log's key: %v", err)
		}
		if cp.Origin != origin {
			return faultf(DamageSetting, "checkpoint", at, "signed for origin %q, the settings say %q", cp.Origin, origin)
		}
		if cp.Size != c.Size || cp.Root != c.Root {
			return faultf(DamageCheckpointForged, "checkpoint", at, "the signed note says size %d, root %x; the row says size %d, root %x", cp.Size, cp.Root[:], c.Size, c.Root[:])
		}
		if cp.Size > rep.Entries {
			return faultf(DamageTailTruncated, "checkpoint", at, "signs %d entries, the log has %d: entries from %d on were removed", cp.Size, rep.Entries, rep.Entries)
		}
		if cp.Size > 0 {
			root, err := tlog.TreeHash(cp.Size, mem)
			if err != nil {
				return faultf(DamageHistoryRewritten, "checkpoint", at, "%v", err)
			}
			if root != cp.Root {
				return faultf(DamageHistoryRewritten, "checkpoint", at, "signs root %x, the entries give %x: the first %d entries are not those it signed", cp.Root[:], root[:], cp.Size)
			}
		}
		if prev != nil && prev.Size > 0 {
			proof, err := tlog.ProveConsistency(prev.Size, cp.Size, mem)
			if err != nil {
				return faultf(DamageHistoryRewritten, "checkpoint", at, "%v", err)
			}
			if err := tlog.VerifyConsistency(uint64(prev.Size), uint64(cp.Size), prev.Root[:], cp.Root[:], tlog.Slices(proof)); err != nil {
				return faultf(DamageHistoryRewritten, "checkpoint", at, "not consistent with the checkpoint of size %d: %v", prev.Size, err)
			}
		}
		prev = &cp
		latest = cp.Size
		rep.Checkpoints++
		return nil
	})
	rep.Unsigned = rep.Entries - latest
	return err
}

// memHashes are the stored hashes of a tree recomputed in memory, by
// stored-hash index.
type memHashes []tlog.Hash

func (m *memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(*m)) {
			return nil, fmt.Errorf("hash %d is beyond the recomputed tree", x)
		}
		out[i] = (*m)[x]
	}
	return out, nil
}
