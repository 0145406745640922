package workflow

import (
	"context"
	"crypto/sha256"
	"io"
	"os"

	"truce"
)

// Limits on evidence, unless the service sets its own.
const (
	DefaultMaxEvidence   = 100 << 20 // bytes per file
	DefaultEvidenceQuota = 2 << 30   // bytes per organisation
)

// EvidenceResult is what an upload answers: the file as the log records it.
type EvidenceResult struct {
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
	Entry     int64  `json:"entry"`
}

// AddEvidence stores an evidence file of a report, streamed from r, and
// records its SHA-256 in the log before it returns. The file is kept as it
// came, named by its hash; its type is read from its first bytes, never
// from what the client declares. filename is a hint for text/csv only.
// signedSHA256, when not empty, is the hash a signed submission named: the
// file must have it.
func (s *Service) AddEvidence(ctx context.Context, by *truce.Member, id truce.ReportID, r io.Reader, filename, signedSHA256 string) (*EvidenceResult, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "add evidence")
	}
	if s.Evidence == nil {
		return nil, truce.Errorf(truce.ECONFLICT, "this server keeps no evidence files")
	}
	// Check before storing a byte: the report, the right to add to it, and
	// what is left of the organisation's quota.
	var left int64
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		rep, _, err := tx.Report(id)
		if err != nil {
			return err
		}
		if !truce.CanAddEvidence(a, by, rep) {
			return truce.Errorf(truce.EFORBIDDEN, "only the filing organisation and guarantor officers add evidence to report %s", id)
		}
		used, err := tx.EvidenceBytes(by.Organisation)
		left = s.evidenceQuota() - used
		return err
	})
	if err != nil {
		return nil, err
	}
	if left <= 0 {
		return nil, truce.Errorf(truce.ETOOLARGE, "%s has used its evidence quota of %d bytes", by.Organisation, s.evidenceQuota())
	}
	f, err := s.Evidence.PutNamed(r, min(s.maxEvidence(), left), filename)
	if err != nil {
		return nil, err
	}
	if signedSHA256 != "" && signedSHA256 != f.SHA256 {
		return nil, truce.Invalidf("file", "has SHA-256 %s, not the %s the signed note names", f.SHA256, signedSHA256)
	}
	// A retry is the same request when it adds the same file to the same
	// report: the fingerprint is taken from the content, now it is known.
	if sub := submissionFrom(ctx); sub != nil {
		sub.Fingerprint = sha256.Sum256([]byte("POST /api/v1/reports/" + string(id) + "/evidence\n" + f.SHA256))
	}
	p := &truce.EvidenceAdded{Report: id, SHA256: f.SHA256, Size: f.Size, MediaType: f.MediaType}
	return command(s, ctx, by, func(tx *wtx) (*EvidenceResult, error) {
		// The quota again, inside the transaction, against concurrent
		// uploads: a file the organisation already added costs nothing.
		used, err := tx.EvidenceBytes(by.Organisation)
		if err != nil {
			return nil, err
		}
		counted := false
		others, err := tx.EvidenceByHash(f.SHA256)
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			counted = counted || o.Organisation == by.Organisation
		}
		if !counted && used+f.Size > s.evidenceQuota() {
			return nil, truce.Errorf(truce.ETOOLARGE, "%s has %d bytes left of its evidence quota; the file has %d", by.Organisation, max(s.evidenceQuota()-used, 0), f.Size)
		}
		e, err := s.appendEntry(tx, truce.EntryEvidenceAdded, p, nil)
		if err != nil {
			return nil, err
		}
		return &EvidenceResult{SHA256: f.SHA256, Size: f.Size, MediaType: f.MediaType, Entry: e.Index}, nil
	})
}

func (s *Service) maxEvidence() int64 {
	if s.MaxEvidence > 0 {
		return s.MaxEvidence
	}
	return DefaultMaxEvidence
}

func (s *Service) evidenceQuota() int64 {
	if s.EvidenceQuota > 0 {
		return s.EvidenceQuota
	}
	return DefaultEvidenceQuota
}

// OpenEvidence opens a stored evidence file for a viewer who may read the
// evidence of at least one report it belongs to. Any other caller gets the
// ENOTFOUND a missing file gets.
func (s *Service) OpenEvidence(ctx context.Context, viewer *truce.Member, sha256 string) (*os.File, *truce.Evidence, error) {
	if s.Evidence == nil || !truce.ValidSHA256(sha256) {
		return nil, nil, NotFound("evidence", sha256)
	}
	var allowed *truce.Evidence
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return err
		}
		es, err := tx.EvidenceByHash(sha256)
		if err != nil {
			return err
		}
		for i := range es {
			r, _, err := tx.Report(es[i].Report)
			if err != nil {
				return err
			}
			if truce.CanReadEvidence(a, viewer, r) {
				allowed = &es[i]
				return nil
			}
		}
		return NotFound("evidence", sha256)
	})
	if err != nil {
		return nil, nil, err
	}
	f, _, err := s.Evidence.Open(sha256)
	if err != nil {
		return nil, nil, err
	}
	return f, allowed, nil
}

// LoggedFile is where the log records a file's hash: the entry, to check
// with an inclusion proof, and what the entry says of the file. Which
// report it is evidence of is for those who may read the report.
type LoggedFile struct {
	Entry     int64  `json:"entry"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// EvidenceEntries lists the log entries that record a file's SHA-256, for
// anyone who holds a file and wants to check it against the log.
func (s *Service) EvidenceEntries(ctx context.Context, sha256 string) ([]LoggedFile, error) {
	if !truce.ValidSHA256(sha256) {
		return nil, truce.Invalidf("sha256", "must be 64 lower-case hex digits")
	}
	out := []LoggedFile{}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		es, err := tx.EvidenceByHash(sha256)
		for _, e := range es {
			out = append(out, LoggedFile{Entry: e.Entry, Size: e.Size, MediaType: e.MediaType})
		}
		return err
	})
	return out, err
}
