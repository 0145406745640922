package workflow

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
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
	// Source is the document's public reference (a URL), which the
	// drafts' reports carry as their source.
	Source string `json:"source,omitempty"`
}

// MaxIntakeSource bounds the source reference, as a report's sources.
const MaxIntakeSource = 2000

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
	if len(in.Source) > MaxIntakeSource {
		return nil, truce.Invalidf("source", "at most %d bytes", MaxIntakeSource)
	}
	if in.Text == "" {
		return nil, truce.Invalidf("text", "required")
	}
	return intake.Read(in.Text, opt)
}

// The review queue. Drafts are not claims: nobody has said anything by
// reading a text, so they stay out of the log and out of the store, in
// the server's memory, until a member files one (FileDraft, which records
// an ordinary report) or discards it. A restart empties the queue, as it
// signs the map room's sessions out; the texts can be read again. Each
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

	seq int64 // queued order, for drafts queued at the same time
}

// DraftQueue is an organisation's queue, oldest first.
type DraftQueue struct {
	Drafts []*QueuedDraft `json:"drafts"`
}

type draftQueue struct {
	mu       sync.Mutex
	drafts   map[string]*QueuedDraft
	busy     map[string]bool          // being filed
	filed    map[string]truce.ActorID // filed, for retries with an Idempotency-Key
	filedIDs []string                 // in order, to forget the oldest
	answers  map[string]queuedAnswer  // member and Idempotency-Key → the first answer
	answered []string
	count    map[truce.ActorID]int
	bytes    map[truce.ActorID]int
	seq      int64
}

// queuedAnswer is the answer to a POST that queued drafts, kept for a
// retry with the same Idempotency-Key.
type queuedAnswer struct {
	fingerprint [32]byte
	queue       *DraftQueue
}

// maxRemembered bounds the filed drafts and answers kept for retries.
const maxRemembered = 10000

var queues sync.Map // *Service → *draftQueue

func (s *Service) draftQueue() *draftQueue {
	if q, ok := queues.Load(s); ok {
		return q.(*draftQueue)
	}
	q, _ := queues.LoadOrStore(s, &draftQueue{
		drafts: map[string]*QueuedDraft{}, busy: map[string]bool{}, filed: map[string]truce.ActorID{},
		answers: map[string]queuedAnswer{}, count: map[truce.ActorID]int{}, bytes: map[truce.ActorID]int{},
	})
	return q.(*draftQueue)
}

// QueueDrafts reads a news text (as Intake does) and puts each of its
// drafts in the queue of the member's organisation, answering them in the
// text's order. A bulletin gives counts, not incidents, and is refused
// (EINVALID); so is a text with no incident in it. ETOOLARGE when the
// queue would hold more than MaxQueuedDrafts drafts or MaxQueuedText
// bytes. With an Idempotency-Key, a retry gets the first answer and
// queues nothing; the same key with another body is ECONFLICT.
func (s *Service) QueueDrafts(ctx context.Context, by *truce.Member, in *IntakeInput) (*DraftQueue, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "queue draft reports")
	}
	q := s.draftQueue()
	sub := submissionFrom(ctx)
	idem := ""
	if sub != nil && sub.IdempotencyKey != "" {
		idem = string(by.ID) + "\x00" + sub.IdempotencyKey
		q.mu.Lock()
		prev, ok := q.answers[idem]
		q.mu.Unlock()
		if ok {
			if prev.fingerprint != sub.Fingerprint {
				return nil, truce.Errorf(truce.ECONFLICT, "Idempotency-Key %q was used for another request", sub.IdempotencyKey)
			}
			return prev.queue, nil
		}
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
	now := s.Now().UTC()
	out := &DraftQueue{}
	for _, d := range doc.Drafts {
		id, err := s.newID("drf_")
		if err != nil {
			return nil, err
		}
		out.Drafts = append(out.Drafts, &QueuedDraft{
			ID: id, Organisation: by.Organisation, QueuedBy: by.ID, QueuedAt: now,
			Lang: doc.Lang, Date: doc.Date, Source: in.Source, Text: in.Text, Draft: d,
		})
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if idem != "" {
		// A concurrent retry may have answered meanwhile.
		if prev, ok := q.answers[idem]; ok {
			if prev.fingerprint != sub.Fingerprint {
				return nil, truce.Errorf(truce.ECONFLICT, "Idempotency-Key %q was used for another request", sub.IdempotencyKey)
			}
			return prev.queue, nil
		}
	}
	org := by.Organisation
	if n := q.count[org] + len(out.Drafts); n > MaxQueuedDrafts {
		return nil, truce.Errorf(truce.ETOOLARGE, "the queue of %s would hold %d drafts, over %d: file or discard some first", org, n, MaxQueuedDrafts)
	}
	if n := q.bytes[org] + len(out.Drafts)*len(in.Text); n > MaxQueuedText {
		return nil, truce.Errorf(truce.ETOOLARGE, "the queue of %s would hold %d bytes of text, over %d: file or discard some first", org, n, MaxQueuedText)
	}
	for _, d := range out.Drafts {
		q.seq++
		d.seq = q.seq
		q.drafts[d.ID] = d
		q.count[org]++
		q.bytes[org] += len(d.Text)
	}
	if idem != "" {
		q.answers[idem] = queuedAnswer{sub.Fingerprint, out}
		q.answered = append(q.answered, idem)
		if len(q.answered) > maxRemembered {
			delete(q.answers, q.answered[0])
			q.answered = q.answered[1:]
		}
	}
	return out, nil
}

// Drafts lists the queue of the member's organisation, oldest first.
func (s *Service) Drafts(ctx context.Context, by *truce.Member) (*DraftQueue, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "read draft reports")
	}
	q := s.draftQueue()
	q.mu.Lock()
	defer q.mu.Unlock()
	out := &DraftQueue{Drafts: []*QueuedDraft{}}
	for _, d := range q.drafts {
		if d.Organisation == by.Organisation {
			out.Drafts = append(out.Drafts, d)
		}
	}
	slices.SortFunc(out.Drafts, func(a, b *QueuedDraft) int { return cmp.Compare(a.seq, b.seq) })
	return out, nil
}

// take reserves a draft of the member's organisation for filing or
// discarding; another organisation's draft is not found, exactly as a
// missing one. A draft being filed is ECONFLICT.
func (q *draftQueue) take(by *truce.Member, id string) (*QueuedDraft, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	d, ok := q.drafts[id]
	if !ok || d.Organisation != by.Organisation {
		return nil, NotFound("draft", id)
	}
	if q.busy[id] {
		return nil, truce.Errorf(truce.ECONFLICT, "draft %s is being filed", id)
	}
	q.busy[id] = true
	return d, nil
}

// drop ends a reservation; done removes the draft from the queue.
func (q *draftQueue) drop(d *QueuedDraft, done, filed bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.busy, d.ID)
	if !done {
		return
	}
	delete(q.drafts, d.ID)
	q.count[d.Organisation]--
	q.bytes[d.Organisation] -= len(d.Text)
	if filed {
		q.filed[d.ID] = d.Organisation
		q.filedIDs = append(q.filedIDs, d.ID)
		if len(q.filedIDs) > maxRemembered {
			delete(q.filed, q.filedIDs[0])
			q.filedIDs = q.filedIDs[1:]
		}
	}
}

// FileDraft files a queued draft as an ordinary report (FileReport) in
// the form the member edited it to, in, and takes it off the queue. The
// source stays with the report: the sentences the draft was read from are
// kept in its description (added after the member's own text when the
// member replaced them), and the document's reference in its sources. An
// invalid report is EINVALID and leaves the draft queued. With an
// Idempotency-Key, a retry after the draft was filed gets the first answer
// (FileReport's idempotency); without one, the draft is not found.
func (s *Service) FileDraft(ctx context.Context, by *truce.Member, id string, in *truce.ReportInput) (*ReportView, error) {
	if by == nil || !by.Role.CanFileReport() {
		return nil, Forbidden(by, "file reports")
	}
	q := s.draftQueue()
	d, err := q.take(by, id)
	if err != nil {
		if sub := submissionFrom(ctx); sub != nil && sub.IdempotencyKey != "" {
			q.mu.Lock()
			org, filed := q.filed[id]
			q.mu.Unlock()
			if filed && org == by.Organisation {
				// FileReport answers a retry from the response it kept.
				return s.FileReport(ctx, by, in)
			}
		}
		return nil, err
	}
	r, err := s.FileReport(ctx, by, withSource(in, d))
	q.drop(d, err == nil, err == nil)
	return r, err
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
	q := s.draftQueue()
	d, err := q.take(by, id)
	if err != nil {
		return err
	}
	q.drop(d, true, false)
	return nil
}
