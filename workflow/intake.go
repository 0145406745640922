package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"truce"
	"truce/intake"
)

// IntakeInput is a published text to read into drafts (package intake).
type IntakeInput struct {
	Text string `json:"text"`
	// Date is the document's date (YYYY-MM-DD), against which relative
	// dates are read; empty: the first date in the text.
	Date string `json:"date,omitempty"`
	// Side is whose counts a bulletin gives before it names a side (its
	// publisher, a guarantor); empty leaves them without a side.
	Side truce.ActorID `json:"side,omitempty"`
	// Kind is "bulletin" or "news"; empty decides from the text.
	Kind string `json:"kind,omitempty"`
	// Source is the document's public reference (a URL or a citation,
	// as a report's sources: truce.ValidateSource), which the drafts'
	// reports carry as their source.
	Source string `json:"source,omitempty"`
}

// Intake reads a text into a bulletin's counts or a news text's draft
// reports, against the agreement the log monitors. It records nothing: a
// draft becomes a claim only when a member files its report (FileReport),
// after review. Members who may file reports may read texts; it returns
// EFORBIDDEN (EUNAUTHORIZED without a member) otherwise, and EINVALID for
// a text it cannot read, a bad date, kind or side.
func (s *Service) Intake(ctx context.Context, by *truce.Member, in *IntakeInput) (*intake.Document, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "read texts into draft reports")
	}
	a, err := s.Agreement(ctx)
	if err != nil {
		return nil, err
	}
	opt := intake.Options{Agreement: a, Side: in.Side, Kind: in.Kind, Source: in.Source}
	if in.Date != "" {
		if opt.Date, err = time.Parse(time.DateOnly, in.Date); err != nil {
			return nil, truce.Invalidf("date", "not a date YYYY-MM-DD")
		}
	}
	if in.Side != "" && !a.IsGuarantor(in.Side) {
		return nil, truce.Invalidf("side", "not a guarantor of the agreement")
	}
	if in.Source != "" {
		// The drafts' reports carry it among their sources: a source
		// they would refuse would leave drafts that cannot be filed.
		if err := truce.ValidateSource("source", in.Source); err != nil {
			return nil, err
		}
	}
	if in.Text == "" {
		return nil, truce.Invalidf("text", "required")
	}
	return intake.Read(in.Text, opt)
}

// The review queue. Drafts are not claims: nobody has said anything by
// reading a text, so they stay out of the log. They wait in the store
// (truce.DraftTx), where every server on it sees them and a restart keeps
// them, until a member files one (FileDraft: its report is recorded and
// the draft leaves the queue in one transaction) or discards it. Each
// organisation sees and files only the drafts its own members queued.

// MaxQueuedDrafts and MaxQueuedText bound an organisation's queue: drafts,
// and bytes of the texts they were read from (counted once per draft).
const (
	MaxQueuedDrafts = 500
	MaxQueuedText   = 64 << 20
)

// QueuedDraft is a draft awaiting review.
type QueuedDraft struct {
	ID           string         `json:"id"` // "drf_" and 16 base32 characters
	Organisation truce.ActorID  `json:"organisation"`
	QueuedBy     truce.MemberID `json:"queued_by"`
	QueuedAt     time.Time      `json:"queued_at"`
	Lang         string         `json:"lang"`
	Date         string         `json:"date,omitempty"`   // the document's
	Source       string         `json:"source,omitempty"` // the document's reference
	// Text is the whole document the draft was read from: the draft's
	// spans are offsets into it.
	Text  string       `json:"text"`
	Draft intake.Draft `json:"draft"`
}

// DraftQueue is an organisation's queue, oldest first.
type DraftQueue struct {
	Drafts []*QueuedDraft `json:"drafts"`
}

// stored returns the draft as the store keeps it; seq is its place among
// the drafts of its text.
func (d *QueuedDraft) stored(seq int) (*truce.StoredDraft, error) {
	b, err := json.Marshal(&d.Draft)
	if err != nil {
		return nil, err
	}
	return &truce.StoredDraft{
		ID: d.ID, Organisation: d.Organisation, QueuedBy: d.QueuedBy, QueuedAt: d.QueuedAt, Seq: seq,
		Lang: d.Lang, Date: d.Date, Source: d.Source, Text: d.Text, Draft: b,
	}, nil
}

// queuedDraft reads a draft the store keeps.
func queuedDraft(sd *truce.StoredDraft) (*QueuedDraft, error) {
	d := &QueuedDraft{
		ID: sd.ID, Organisation: sd.Organisation, QueuedBy: sd.QueuedBy, QueuedAt: sd.QueuedAt,
		Lang: sd.Lang, Date: sd.Date, Source: sd.Source, Text: sd.Text,
	}
	if err := json.Unmarshal(sd.Draft, &d.Draft); err != nil {
		return nil, fmt.Errorf("draft %s: stored draft: %w", sd.ID, err)
	}
	return d, nil
}

// QueueDrafts reads a news text (as Intake does) and puts each of its
// drafts in the queue of the member's organisation, answering them in the
// text's order. A bulletin gives counts, not incidents, and is refused
// (EINVALID); so is a text with no incident in it. ETOOLARGE when the
// queue would hold more than MaxQueuedDrafts drafts or MaxQueuedText
// bytes. With an Idempotency-Key, a retry gets the first answer and
// queues nothing; the same key with another body is ECONFLICT. Queueing
// records no claim, so a member with a key need not sign it.
func (s *Service) QueueDrafts(ctx context.Context, by *truce.Member, in *IntakeInput) (*DraftQueue, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "queue draft reports")
	}
	if in.Kind == "" {
		in.Kind = intake.KindNews
	}
	if in.Kind != intake.KindNews {
		return nil, truce.Invalidf("kind", "a bulletin gives counts, not incidents: read it with Intake; only news is queued")
	}
	doc, err := s.Intake(ctx, by, in)
	if err != nil {
		return nil, err
	}
	if len(doc.Drafts) == 0 {
		return nil, truce.Invalidf("text", "no incident was read in it: nothing to queue")
	}
	return working(s, ctx, by, func(tx *wtx) (*DraftQueue, error) {
		org := by.Organisation
		count, bytes, err := tx.DraftUsage(org)
		if err != nil {
			return nil, err
		}
		if n := count + len(doc.Drafts); n > MaxQueuedDrafts {
			return nil, truce.Errorf(truce.ETOOLARGE, "the queue of %s would hold %d drafts, over %d: file or discard some first", org, n, MaxQueuedDrafts)
		}
		if n := bytes + int64(len(doc.Drafts)*len(in.Text)); n > MaxQueuedText {
			return nil, truce.Errorf(truce.ETOOLARGE, "the queue of %s would hold %d bytes of text, over %d: file or discard some first", org, n, MaxQueuedText)
		}
		now := s.Now().UTC()
		out := &DraftQueue{}
		for i, dr := range doc.Drafts {
			id, err := s.newID("drf_")
			if err != nil {
				return nil, err
			}
			d := &QueuedDraft{
				ID: id, Organisation: org, QueuedBy: by.ID, QueuedAt: now,
				Lang: doc.Lang, Date: doc.Date, Source: in.Source, Text: in.Text, Draft: dr,
			}
			sd, err := d.stored(i)
			if err != nil {
				return nil, err
			}
			if err := tx.PutDraft(sd); err != nil {
				return nil, err
			}
			out.Drafts = append(out.Drafts, d)
		}
		return out, nil
	})
}

// Drafts lists the queue of the member's organisation, oldest first.
func (s *Service) Drafts(ctx context.Context, by *truce.Member) (*DraftQueue, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "read draft reports")
	}
	out := &DraftQueue{Drafts: []*QueuedDraft{}}
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		sds, err := tx.Drafts(by.Organisation)
		if err != nil {
			return err
		}
		for _, sd := range sds {
			d, err := queuedDraft(sd)
			if err != nil {
				return err
			}
			out.Drafts = append(out.Drafts, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Draft returns a draft of the member's organisation's queue; another
// organisation's draft is not found, exactly as a missing one.
func (s *Service) Draft(ctx context.Context, by *truce.Member, id string) (*QueuedDraft, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "read draft reports")
	}
	var d *QueuedDraft
	err := s.Store.View(ctx, func(tx truce.Tx) (err error) {
		d, err = takeDraft(tx, by, id)
		return err
	})
	return d, err
}

// takeDraft reads a draft of by's organisation in tx.
func takeDraft(tx truce.Tx, by *truce.Member, id string) (*QueuedDraft, error) {
	sd, err := tx.Draft(id)
	if truce.ErrorCode(err) == truce.ENOTFOUND || err == nil && sd.Organisation != by.Organisation {
		return nil, NotFound("draft", id)
	} else if err != nil {
		return nil, err
	}
	return queuedDraft(sd)
}

// FileDraft files a queued draft as an ordinary report (FileReport) in
// the form the member edited it to, in, and takes it off the queue, in
// one transaction: the draft is filed once, whichever server is asked and
// however often. The source stays with the report: the sentences the
// draft was read from are kept in its description (added after the
// member's own text when the member replaced them), and the document's
// reference in its sources. An invalid report is EINVALID and leaves the
// draft queued. With an Idempotency-Key, a retry after the draft was filed
// gets the first answer; without one, the draft is not found.
func (s *Service) FileDraft(ctx context.Context, by *truce.Member, id string, in *truce.ReportInput) (*ReportView, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "file reports")
	}
	return command(s, ctx, by, func(tx *wtx) (*ReportView, error) {
		d, err := takeDraft(tx, by, id)
		if err != nil {
			return nil, err
		}
		r, err := s.fileReport(tx, by, withSource(in, d))
		if err != nil {
			return nil, err
		}
		if err := tx.DeleteDraft(id); err != nil {
			return nil, err
		}
		return r, nil
	})
}

// withSource returns in with the draft's source kept: its sentences in
// the description and the document's reference among the sources.
func withSource(in *truce.ReportInput, d *QueuedDraft) *truce.ReportInput {
	out := *in
	said := d.Draft.Span.Text
	switch {
	case said == "" || strings.Contains(out.Description, said):
	case strings.TrimSpace(out.Description) == "":
		out.Description = said
	default:
		out.Description = strings.TrimRight(out.Description, "\n ") + "\n\nSource text: " + said
	}
	if r := []rune(out.Description); len(r) > truce.MaxDescription {
		out.Description = string(r[:truce.MaxDescription])
	}
	if d.Source != "" && !slices.Contains(out.Sources, d.Source) {
		out.Sources = append(slices.Clone(out.Sources), d.Source)
	}
	return &out
}

// DiscardDraft takes a draft of the member's organisation off the queue
// without filing it.
func (s *Service) DiscardDraft(ctx context.Context, by *truce.Member, id string) error {
	if by == nil || !by.Role.CanFileReport() {
		return Forbidden(by, "discard draft reports")
	}
	_, err := working(s, ctx, by, func(tx *wtx) (struct{}, error) {
		if _, err := takeDraft(tx, by, id); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.DeleteDraft(id)
	})
	return err
}
