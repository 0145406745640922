package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"truce"
	"truce/interchange"
)

// Imports file the rows of a dataset (UCDP, ACLED, HXL; see package
// interchange) as reports of one member, the importer, on behalf of its
// organisation. Each row is filed under the idempotency key of its event
// ("import:ucdp:214797"), in the importer's keys, as a request with an
// Idempotency-Key is: importing a row again appends nothing and answers
// with the report first filed. So a file imported twice, or an import
// resumed after an interruption, files each event once. Exports write
// reports in those formats, as a listing shows them (Export, below).

// ImportBatch is how many rows an import files in one command: one durable
// commit for them all.
const ImportBatch = 500

// ImportStatus says what became of a row.
type ImportStatus string

const (
	ImportNew     ImportStatus = "new"     // filed now
	ImportKnown   ImportStatus = "known"   // filed by an earlier import, from the same row
	ImportChanged ImportStatus = "changed" // filed earlier from a row that differs: the first report stands
	ImportRefused ImportStatus = "refused" // not a valid report; Err says why
)

// ImportResult is what became of one row.
type ImportResult struct {
	Record *interchange.Record
	Status ImportStatus
	Report truce.ReportID // the report filed from the row, now or before
	Err    error          // why the row was refused
	// Offset is how many bytes of the file had been read when the row's
	// batch was, for progress.
	Offset int64
}

// ImportSummary counts an import's rows by what became of them.
type ImportSummary struct {
	Rows, New, Known, Changed, Refused int
}

func (s *ImportSummary) add(st ImportStatus) {
	s.Rows++
	switch st {
	case ImportNew:
		s.New++
	case ImportKnown:
		s.Known++
	case ImportChanged:
		s.Changed++
	case ImportRefused:
		s.Refused++
	}
}

// importedRow is the answer an import keeps under a row's key.
type importedRow struct {
	Report truce.ReportID `json:"report"`
}

// Import reads every row of rd and files it as a report of member by, in
// commands of ImportBatch rows, while the next batch is read. A refused row
// is skipped and the others filed. each, when not nil, is called for every
// row in file order once its batch is durable. On an error of the file or
// the store, Import stops and returns it with the summary of the rows
// filed until then, which stay filed: importing the file again goes on
// where it stopped.
func (s *Service) Import(ctx context.Context, by *truce.Member, rd *interchange.Reader, each func(*ImportResult)) (*ImportSummary, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "import reports")
	}
	// A row's key is its idempotency key, not the request's.
	ctx = WithSubmission(ctx, nil)
	type batch struct {
		recs   []*interchange.Record
		offset int64
		err    error
	}
	batches := make(chan batch, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(batches)
		for {
			var b batch
			for len(b.recs) < ImportBatch {
				rec, err := rd.Next()
				if err == io.EOF {
					break
				} else if err != nil {
					b.err = err
					break
				}
				b.recs = append(b.recs, rec)
			}
			b.offset = rd.Offset()
			select {
			case batches <- b:
			case <-done:
				return
			}
			if b.err != nil || len(b.recs) < ImportBatch {
				return
			}
		}
	}()
	sum := &ImportSummary{}
	for b := range batches {
		if len(b.recs) > 0 {
			results, err := s.importBatch(ctx, by, b.recs)
			if err != nil {
				return sum, err
			}
			for i := range results {
				results[i].Offset = b.offset
				sum.add(results[i].Status)
				if each != nil {
					each(&results[i])
				}
			}
		}
		if b.err != nil {
			return sum, b.err
		}
	}
	return sum, nil
}

// importBatch files a batch of rows in one command.
func (s *Service) importBatch(ctx context.Context, by *truce.Member, recs []*interchange.Record) ([]ImportResult, error) {
	results := make([]ImportResult, len(recs))
	pending := false
	for i, rec := range recs {
		results[i] = ImportResult{Record: rec}
		if rec.Err != nil || rec.Input == nil {
			results[i].Status, results[i].Err = ImportRefused, rec.Err
		} else {
			pending = true
		}
	}
	if !pending {
		return results, nil
	}
	_, err := command(s, ctx, by, func(tx *wtx) (struct{}, error) {
		a, err := s.loadAgreement(tx)
		if err != nil {
			return struct{}{}, err
		}
		for i, rec := range recs {
			if rec.Err != nil || rec.Input == nil {
				continue
			}
			res := &results[i]
			if len(rec.Key) > MaxIdempotencyKey {
				res.Status, res.Err = ImportRefused, truce.Errorf(truce.EINVALID, "the event id %q is too long for a key", rec.ID)
				continue
			}
			prev, err := tx.Response(by.ID, rec.Key)
			switch {
			case err == nil:
				var row importedRow
				if err := json.Unmarshal(prev.Body, &row); err != nil || row.Report == "" {
					return struct{}{}, fmt.Errorf("import: key %q holds the answer of another request", rec.Key)
				}
				res.Report, res.Status = row.Report, ImportKnown
				if prev.Fingerprint != rec.Fingerprint {
					res.Status = ImportChanged
				}
				continue
			case truce.ErrorCode(err) != truce.ENOTFOUND:
				return struct{}{}, err
			}
			p, side, err := buildReport(a, rec.Input, tx.now, s.newID, s.newSalt)
			if truce.ErrorCode(err) == truce.EINTERNAL {
				return struct{}{}, err
			} else if err != nil {
				res.Status, res.Err = ImportRefused, err
				continue
			}
			if p.Classification, err = s.classifyAt(tx, a, p.Lon, p.Lat, p.OccurredAt); err != nil {
				return struct{}{}, err
			}
			e, err := s.appendEntry(tx, truce.EntryReportFiled, p, side)
			if err != nil {
				return struct{}{}, err
			}
			body, err := EncodeJSON(importedRow{Report: p.ID})
			if err != nil {
				return struct{}{}, err
			}
			err = tx.PutResponse(&truce.StoredResponse{
				Member: by.ID, Key: rec.Key, Fingerprint: rec.Fingerprint, Body: body, Entry: e.Index, Created: tx.now,
			})
			if err != nil {
				return struct{}{}, err
			}
			res.Report, res.Status = p.ID, ImportNew
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// Importer returns the member that imports a dataset on behalf of
// organisation org: the member called name in org that may file reports,
// added by operator op when there is none yet — as a monitor, or as the
// liaison of a party, whose organisation holds no monitors. created says
// whether it was added now; its token is never shown, since it files only
// through imports.
func (s *Service) Importer(ctx context.Context, op *truce.Member, name string, org truce.ActorID) (*truce.Member, bool, error) {
	if op == nil || !op.Role.CanAdminister() {
		return nil, false, Forbidden(op, "add importing members")
	}
	name = strings.TrimSpace(name)
	var created bool
	m, err := command(s, ctx, op, func(tx *wtx) (*truce.Member, error) {
		created = false
		a, err := s.loadAgreement(tx)
		if err != nil {
			return nil, err
		}
		if a.Actor(org) == nil {
			return nil, truce.Invalidf("organisation", "%q is not an actor id of agreement %s", org, a.ID)
		}
		ms, err := tx.Members()
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.Name == name && m.Organisation == org && m.Role.CanFileReport() {
				return m, nil
			}
		}
		role := truce.RoleMonitor
		if truce.ValidateMember(a, name, org, role) != nil && truce.ValidateMember(a, name, org, truce.RoleParty) == nil {
			role = truce.RoleParty
		}
		m, _, err := s.addMember(tx, name, org, role)
		if err != nil {
			if truce.ErrorField(err) == "role" {
				return nil, truce.Invalidf("organisation", "%s may not file reports under agreement %s: only guarantors, parties and observers do", org, a.ID)
			}
			return nil, err
		}
		created = true
		return m, nil
	})
	return m, created, err
}

// Member returns a member by id, for operators.
func (s *Service) Member(ctx context.Context, by *truce.Member, id truce.MemberID) (*truce.Member, error) {
	if by == nil || !by.Role.CanAdminister() {
		return nil, Forbidden(by, "read members")
	}
	var m *truce.Member
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		m, err = tx.Member(id)
		return err
	})
	return m, err
}

// Export writes every report that q selects, as viewer would list them
// (GET /api/v1/reports: the same filters, the same disclosure of
// coordinates and classification), in format (see interchange.ExportFormats)
// to w, newest filing first. The file's media type is
// interchange.ContentType(format). A query with a cursor or limit is
// refused: an export writes every matching report. Nothing is written
// when the query is refused; an error after the first page leaves w with
// part of the file.
//
// Pages are read one transaction each: reports filed while an export runs
// may be missing from it, but none appears twice.
func (s *Service) Export(ctx context.Context, viewer *truce.Member, q ReportQuery, format string, w io.Writer) error {
	if q.Cursor != "" {
		return truce.Invalidf("cursor", "an export writes every matching report: give no cursor")
	}
	if q.Limit != "" {
		return truce.Invalidf("limit", "an export writes every matching report: give no limit")
	}
	out, err := interchange.NewWriter(format, w, nil)
	if err != nil {
		return truce.Invalidf("format", "%s", err)
	}
	a, err := s.Agreement(ctx)
	if err != nil {
		return err
	}
	q.Limit = fmt.Sprint(MaxPageSize)
	for {
		page, err := s.ListReports(ctx, viewer, q)
		if err != nil {
			return err
		}
		for _, v := range page.Reports {
			if err := out.Write(exportReport(a, v)); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return out.Close()
		}
		q.Cursor = page.Next
	}
}

// exportReport is a report view as an export writes it.
func exportReport(a *truce.Agreement, v *ReportView) *interchange.Report {
	return &interchange.Report{
		ID: v.ID, OccurredAt: v.OccurredAt, TimePrecision: v.TimePrecision,
		Lon: v.Lon, Lat: v.Lat, Coordinates: v.Coordinates, GeoPrecision: v.GeoPrecision, UncertaintyM: v.UncertaintyM,
		Place: v.Place, EventType: v.EventType, SubEventType: v.SubEventType,
		Perpetrator: exportActor(a, v.Perpetrator, v.PerpetratorAsGiven), Target: exportActor(a, v.Target, v.TargetAsGiven),
		Description: v.Description, Casualties: v.Casualties, Sources: v.Sources, Classification: v.Classification,
		Organisation: v.Organisation, FiledBy: v.FiledBy, FiledAt: v.FiledAt, Consensus: v.Consensus,
		Origin: v.Origin,
	}
}

func exportActor(a *truce.Agreement, id truce.ActorID, asGiven string) interchange.Actor {
	if id == "" {
		return interchange.Actor{}
	}
	x := interchange.Actor{ID: id, Name: asGiven}
	if actor := a.Actor(id); actor != nil {
		if x.Name == "" {
			x.Name = actor.Name()
		}
		x.Inter = actor.ACLEDInter
	}
	return x
}
