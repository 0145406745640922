package workflow

import (
	"context"
	"time"

	"truce"
)

// buildAccession returns the payload an accession input gives.
func buildAccession(a *truce.Agreement, g truce.ActorID, in *truce.AccessionInput, now time.Time, ids idSource) (*truce.AccessionRecorded, error) {
	p, err := in.Validate(a, g, now)
	if err != nil {
		return nil, err
	}
	id, err := ids("acc_")
	if err != nil {
		return nil, err
	}
	p.ID = truce.AccessionID(id)
	return p, nil
}

// RecordAccession records a group or a settlement joining the agreement
// through the officer's guarantor. A group becomes a party from its date.
func (s *Service) RecordAccession(ctx context.Context, by *truce.Member, in *truce.AccessionInput) (*truce.Accession, error) {
	if !truce.CanRecordAccession(by) {
		return nil, Forbidden(by, "record accessions; only guarantor officers may")
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.Accession, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		if !a.IsGuarantor(by.Organisation) {
			return nil, truce.Errorf(truce.EFORBIDDEN, "%s is not a guarantor of %s", by.Organisation, a.ID)
		}
		p, err := buildAccession(a, by.Organisation, in, tx.now, s.newID)
		if err != nil {
			return nil, err
		}
		e, err := s.appendEntry(tx, truce.EntryAccessionRecorded, p, nil)
		if err != nil {
			return nil, err
		}
		as, err := tx.Accessions("")
		if err != nil {
			return nil, err
		}
		for i := range as {
			if as[i].Entry == e.Index {
				return &as[i], nil
			}
		}
		return nil, NotFound("accession", string(p.ID))
	})
}

// AccessionTotals are the accessions to a date, as the Reconciliation
// Centre reported them daily: how many armed groups and settlements had
// joined.
type AccessionTotals struct {
	At          string            `json:"at"`
	Groups      int               `json:"groups"`
	Settlements int               `json:"settlements"`
	Accessions  []truce.Accession `json:"accessions"`
}

// Accessions returns the accessions dated on or before at ("2006-01-02";
// today when empty), with their totals. They are public.
func (s *Service) Accessions(ctx context.Context, at string) (*AccessionTotals, error) {
	if at == "" {
		at = s.Now().UTC().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, at); err != nil || len(at) != 10 {
		return nil, truce.Invalidf("at", "%q is not a date YYYY-MM-DD", at)
	}
	t := &AccessionTotals{At: at, Accessions: []truce.Accession{}}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		as, err := tx.Accessions(at)
		if err != nil {
			return err
		}
		for _, x := range as {
			if x.Kind == truce.AccessionGroup {
				t.Groups++
			} else {
				t.Settlements++
			}
		}
		t.Accessions = append(t.Accessions, as...)
		return nil
	})
	return t, err
}
