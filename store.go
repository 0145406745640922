package truce

import (
	"context"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Store keeps the log and its projections. Implementations provide
// transactions over primitive reads and writes; every rule (validation,
// authorisation, hashing, consensus) lives above the store, in package
// workflow, written once for every backend.
//
// A Store MUST guarantee:
//   - Update runs fn in one serialisable read-write transaction. When fn
//     returns nil the transaction is committed durably before Update
//     returns (SQLite: WAL with synchronous=FULL); when fn returns an error
//     or panics, nothing fn wrote is kept. After a crash, the store holds
//     exactly the transactions whose Update returned nil, and possibly the
//     one in flight, entirely or not at all.
//   - View runs fn in a read-only transaction that sees one consistent
//     snapshot. Writes in a View fail with an error and keep nothing.
//   - Log entries, stored hashes and checkpoints are never updated or
//     deleted once written; the store refuses to do so even if asked.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is a transaction on a Store. Reads of missing objects return an *Error
// with code ENOTFOUND. Tx values MUST NOT be used after the callback returns.
type Tx interface {
	LogTx
	ProjectionTx
	DraftTx
	SessionTx
	// Nested runs fn in a nested transaction (a savepoint): when fn fails,
	// everything it wrote is undone and the transaction goes on, as if fn
	// had not run. Group commit runs each command of a batch this way.
	Nested(fn func() error) error
}

// LogTx reads and writes the log: entries, their Merkle hashes, checkpoints
// and the settings of the log. None of it is a projection: rebuilding
// leaves it alone.
type LogTx interface {
	// LogSize returns the number of entries.
	LogSize() (int64, error)
	// AppendEntry stores entry data at index, which MUST equal LogSize,
	// with the Merkle hashes the tree gains with it: those at stored-hash
	// indexes StoredHashIndex(0, index) onward, HashesAdded(index) of them
	// (see golang.org/x/mod/sumdb/tlog). Entry and hashes are kept
	// together; a wrong number of hashes is refused.
	//
	// sidecar, which may be nil, is kept with the entry but outside its
	// hashed bytes: the restricted values and signed note the entry binds
	// (see Sidecar). It is never served as part of the log.
	AppendEntry(index int64, data []byte, hashes [][32]byte, sidecar []byte) error
	// EntryData returns the stored bytes of entry index.
	EntryData(index int64) ([]byte, error)
	// Sidecar returns the sidecar of entry index, nil when it has none.
	Sidecar(index int64) ([]byte, error)
	// ScanEntries calls fn for entries [from, to) in order, with their
	// sidecars (nil when none).
	ScanEntries(from, to int64, fn func(index int64, data, sidecar []byte) error) error
	// ReadHashes returns the stored hashes at the given stored-hash
	// indexes; HashSlot says which entry keeps each. A missing one is
	// ENOTFOUND.
	ReadHashes(indexes []int64) ([][32]byte, error)
	// HashCount returns how many hashes are stored.
	HashCount() (int64, error)
	// AddCheckpoint stores a signed checkpoint. Sizes only grow.
	AddCheckpoint(c *Checkpoint) error
	// LatestCheckpoint returns the checkpoint of largest size, or ENOTFOUND.
	LatestCheckpoint() (*Checkpoint, error)
	// ScanCheckpoints calls fn for every checkpoint, by increasing size.
	ScanCheckpoints(fn func(*Checkpoint) error) error
	// CheckpointAt returns the checkpoint issued at tree size size, or
	// ENOTFOUND when none was.
	CheckpointAt(size int64) (*Checkpoint, error)
	// AddCosignature stores a witness's cosignature of the checkpoint of
	// c.Size, which must be stored (ENOTFOUND otherwise). A witness
	// cosigns a checkpoint once here: a second cosignature by the same
	// witness of the same size is refused, and none is ever updated or
	// deleted.
	AddCosignature(c *Cosignature) error
	// Cosignatures returns the cosignatures of the checkpoint of size
	// size, by witness name; none is an empty result, not an error.
	Cosignatures(size int64) ([]Cosignature, error)
	// LatestCosigned returns the largest size of a checkpoint with a
	// cosignature, or ENOTFOUND when none has one.
	LatestCosigned() (int64, error)
	// LatestCosignedBy returns, among the stored checkpoints that the
	// most of witnesses (names) cosigned, the largest size, and how many
	// of them cosigned it; ENOTFOUND when none of them cosigned any.
	LatestCosignedBy(witnesses []string) (size int64, count int, err error)
	// ScanCosignatures calls fn for every cosignature stored, by size
	// and witness name, whether or not a checkpoint of its size is
	// stored: verify reads them all.
	ScanCosignatures(fn func(*Cosignature) error) error
	// Setting and PutSetting read and write settings of the data
	// directory (the log's origin and public key). PutSetting refuses to
	// change a value once set.
	Setting(key string) (string, error)
	PutSetting(key, value string) error
	// AddCredential stores the hash of a member's bearer token;
	// MemberByCredential finds the member it belongs to, and returns an
	// *Error with code EUNAUTHORIZED (not ENOTFOUND) when no credential
	// has that hash.
	AddCredential(tokenHash [32]byte, member MemberID, created time.Time) error
	MemberByCredential(tokenHash [32]byte) (*Member, error)
	// Response and PutResponse keep the first answer to an idempotent
	// request: by member and Idempotency-Key, the request's fingerprint and
	// the body answered. Response returns ENOTFOUND for a new key.
	Response(member MemberID, key string) (*StoredResponse, error)
	PutResponse(r *StoredResponse) error
}

// StoredResponse is the answer kept for an idempotent request.
type StoredResponse struct {
	Member      MemberID
	Key         string
	Fingerprint [32]byte // SHA-256 of the method, path and body
	Body        []byte
	Entry       int64 // the first entry the request appended
	Created     time.Time
}

// DraftTx keeps the review queue of draft reports read from published
// texts (workflow's QueueDrafts): working state of the server, like the
// responses kept for retries. A draft is no claim — nobody has said
// anything until a member files it as a report — so the queue is outside
// the log: rebuilding leaves it alone and verify does not check it.
type DraftTx interface {
	// PutDraft queues a draft; its id must be new.
	PutDraft(d *StoredDraft) error
	// Draft returns a queued draft, or ENOTFOUND.
	Draft(id string) (*StoredDraft, error)
	// Drafts returns an organisation's queue, oldest first: by QueuedAt,
	// then Seq, then ID.
	Drafts(org ActorID) ([]*StoredDraft, error)
	// DraftUsage returns how many drafts an organisation has queued and
	// the bytes of their texts, each draft's counted once.
	DraftUsage(org ActorID) (drafts int, textBytes int64, err error)
	// DeleteDraft takes a draft off the queue; ENOTFOUND when it is not
	// queued.
	DeleteDraft(id string) error
}

// SessionTx keeps the map room's sessions (package web): a signed-in
// member's stay in a browser, which holds only a random session id. The
// store keeps the id's SHA-256, never the id, so that the database gives
// no one a way in. Like the draft queue, sessions are working state of the
// servers, shared by every server on the store and kept across restarts;
// they are outside the log, and rebuilding leaves them alone.
type SessionTx interface {
	// PutSession stores a new session; its id hash must be new.
	PutSession(s *StoredSession) error
	// Session returns the session of an id hash, or ENOTFOUND.
	Session(idHash [32]byte) (*StoredSession, error)
	// TouchSession records that a session was used at seen; a session
	// that is gone is not an error.
	TouchSession(idHash [32]byte, seen time.Time) error
	// DeleteSession ends a session; one that is gone is not an error.
	DeleteSession(idHash [32]byte) error
	// ExpireSessions deletes the sessions last used before seenBefore or
	// started before createdBefore, and returns how many it deleted.
	ExpireSessions(seenBefore, createdBefore time.Time) (int64, error)
	// TrimSessions deletes a member's sessions but the keep most lately
	// started.
	TrimSessions(member MemberID, keep int) error
}

// StoredSession is a map room session as the store keeps it.
type StoredSession struct {
	IDHash  [32]byte // SHA-256 of the session id the browser holds
	Member  MemberID
	CSRF    string // the secret its forms carry
	Created time.Time
	Seen    time.Time // last used
}

// StoredDraft is a queued draft as the store keeps it.
type StoredDraft struct {
	ID           string
	Organisation ActorID
	QueuedBy     MemberID
	QueuedAt     time.Time
	Seq          int    // its place among the drafts read from one text
	Lang         string // the text's language
	Date         string // the text's date, YYYY-MM-DD, or ""
	Source       string // the text's public reference, or ""
	Text         string // the whole text: the draft's spans index it
	Draft        []byte // the draft, as JSON (intake.Draft)
}

// HashesAdded returns how many stored Merkle hashes the tree gains when
// leaf index is appended: the leaf's own hash, and one for each subtree it
// completes.
func HashesAdded(index int64) int {
	if index < 0 {
		return 0
	}
	return int(tlog.StoredHashCount(index+1) - tlog.StoredHashCount(index))
}

// HashSlot says where the hash with stored-hash index stored is kept: with
// entry leaf, at position pos of the hashes appended with it.
func HashSlot(stored int64) (leaf int64, pos int) {
	level, n := tlog.SplitStoredHashIndex(stored)
	return (n+1)<<level - 1, level
}

// Checkpoint is a signed tree head of the log, as issued.
type Checkpoint struct {
	Size     int64     `json:"size"`
	Root     [32]byte  `json:"-"`
	Note     string    `json:"note"` // the C2SP signed note, verbatim
	IssuedAt time.Time `json:"issued_at"`
}

// Cosignature is a witness's cosignature of a checkpoint
// (c2sp.org/tlog-cosignature), as the log received it and checked it with
// the witness's key.
type Cosignature struct {
	Size       int64     `json:"size"`
	Witness    string    `json:"witness"` // the witness key's name
	Line       string    `json:"line"`    // the note signature line, "— name base64\n"
	ReceivedAt time.Time `json:"received_at"`
}

// ReportState is what a projection keeps of a report's consensus: the state
// while its answer window is open, the state once it has closed, and the
// deadline between them. Both states are outputs of Rules.Decide, stored so
// that reports can be filtered by consensus in the database; the state at
// any time is one of them, picked by the clock.
type ReportState struct {
	Deadline time.Time
	Open     State
	Closed   State
}

// At returns the state at time now.
func (s ReportState) At(now time.Time) State {
	if now.Before(s.Deadline) {
		return s.Open
	}
	return s.Closed
}

// ReportFilter selects reports. Zero fields do not filter.
type ReportFilter struct {
	OccurredFrom time.Time // inclusive
	OccurredTo   time.Time // exclusive
	Consensus    State     // evaluated at Now
	Now          time.Time
	Perpetrator  ActorID
	Organisation ActorID // the filer's organisation
	// By classification: the governorate's P-code, the scope, the
	// controller of the place.
	ADM1       string
	Scope      string
	Controller ActorID
	// Before continues a listing: only reports filed in entries before it.
	// Reports are listed newest first.
	Before int64
	Limit  int
}

// ProjectionTx reads and writes the projections: tables derived from the log
// that `truce rebuild` recreates by replaying it.
type ProjectionTx interface {
	// ResetProjections empties every projection table.
	ResetProjections() error
	// DumpProjections calls fn for every row of every projection table,
	// tables in name order and rows in primary-key order; each row is
	// canonical JSON of its columns.
	DumpProjections(fn func(table string, row []byte) error) error

	PutAgreement(a *Agreement, entry int64) error
	Agreement() (*Agreement, error)

	InsertMember(m *Member) error
	Member(id MemberID) (*Member, error)
	Members() ([]*Member, error)

	InsertReport(r *Report, s ReportState) error
	SetReportState(id ReportID, s ReportState) error
	Report(id ReportID) (*Report, ReportState, error)
	FindReports(f ReportFilter) ([]*Report, []ReportState, error)

	InsertAssessment(a *Assessment) error
	Assessments(id ReportID) ([]Assessment, error)

	InsertReply(r *Reply) error
	Replies(id ReportID) ([]Reply, error)

	InsertRFI(r *RFI) error
	// AnswerRFI records the answer of an RFI; a second answer is ECONFLICT.
	AnswerRFI(id RFIID, answer string, by MemberID, at time.Time, entry int64) error
	RFI(id RFIID) (*RFI, error)
	FindRFIs(f RFIFilter) ([]*RFI, error)

	InsertEvidence(e *Evidence) error
	// Evidence lists a report's evidence; EvidenceByHash every report a file
	// is evidence of.
	Evidence(id ReportID) ([]Evidence, error)
	EvidenceByHash(sha256 string) ([]Evidence, error)
	// EvidenceBytes is the size of the distinct files an organisation has
	// added, for its quota.
	EvidenceBytes(org ActorID) (int64, error)

	InsertAccession(a *Accession) error
	// Accessions lists accessions dated on or before the date "2006-01-02"
	// (all when empty), oldest first.
	Accessions(before string) ([]Accession, error)

	// PutMeeting inserts or replaces a meeting, with its decisions.
	PutMeeting(m *Meeting) error
	Meeting(id MeetingID) (*Meeting, error)
	// Meetings lists meetings, newest entry first, before the cursor when
	// it is positive.
	Meetings(before int64, limit int) ([]*Meeting, error)
	// ReportDecisions lists the meetings' decisions about a report.
	ReportDecisions(id ReportID) ([]MeetingDecision, error)
	// ReportParts returns what is recorded about each of several reports
	// besides the report itself, exactly as Assessments, Replies,
	// ReportDecisions and Evidence list it one report at a time, in a few
	// reads for them all. Every id has an entry; one with nothing recorded
	// has an empty ReportParts.
	ReportParts(ids []ReportID) (map[ReportID]*ReportParts, error)

	// PutMemberKey records a member's current signing key, replacing any
	// earlier one; MemberKey returns it, or ENOTFOUND.
	PutMemberKey(k *MemberKey) error
	MemberKey(id MemberID) (*MemberKey, error)

	// PutZone inserts or replaces a zone (its approvals change it).
	PutZone(z *Zone) error
	Zone(id ZoneID) (*Zone, error)
	// Zones lists zones in the state given ("" for all), oldest entry
	// first; with at set, only those valid at that time.
	Zones(state string, at *time.Time) ([]*Zone, error)

	InsertPosition(p *Position, s ReportState) error
	SetPositionState(id PositionID, s ReportState) error
	Position(id PositionID) (*Position, ReportState, error)
	// Positions lists positions, oldest entry first; with at set, only
	// those standing at that time.
	Positions(at *time.Time) ([]*Position, []ReportState, error)
	InsertPositionAssessment(id PositionID, a *Assessment) error
	PositionAssessments(id PositionID) ([]Assessment, error)

	// SetClassification records a report's classification and the entry
	// that made it; Classification returns it (nil when none yet).
	SetClassification(id ReportID, c *Classification, entry int64) error
	Classification(id ReportID) (*Classification, int64, error)
	// ReportsBetween lists the reports that occurred in [from, to) (to
	// zero: no end) within the box [west, south, east, north], for
	// reclassification.
	ReportsBetween(from, to time.Time, box [4]float64) ([]*Report, error)

	// ReportsAsOf lists the reports that occurred in [from, to) and were
	// filed by entries before size, by entry, as they stood before entry
	// size: each with the classification it had then — the latest of its
	// classification at intake and those SetClassification recorded with
	// entries before size, however the report was classified since — and
	// the assessments made before size, in log order. A store MUST keep
	// every classification a report has had to answer it; ResetProjections
	// forgets them with the reports.
	ReportsAsOf(from, to time.Time, size int64) ([]ReportAsOf, error)
}

// ReportAsOf is a report as it stood at a tree size: what a bulletin
// counts it by, and no more (no description, sources or restricted
// values), so that a day of a large log reads quickly.
type ReportAsOf struct {
	ID           ReportID
	Entry        int64 // the entry that filed it
	OccurredAt   time.Time
	FiledAt      time.Time
	Organisation ActorID // the filer's organisation
	Lon, Lat     float64
	EventType    string
	SubEventType string
	Perpetrator  ActorID
	Target       ActorID
	// The classification that stood: governorate, scope and controller,
	// all empty when the report had none.
	ADM1       string
	Scope      string
	Controller ActorID
	// Assessments made before the size, in log order: their entry,
	// organisation and verdict, which consensus needs, and no more.
	Assessments []Assessment
}

// RFIFilter selects requests for information. Zero fields do not filter.
type RFIFilter struct {
	State  RFIState // evaluated at Now
	Now    time.Time
	To     ActorID // the organisation asked
	From   ActorID // the asking guarantor
	Report ReportID
	Before int64 // entries before this, newest first
	Limit  int
}

// ReportParts is what is recorded about a report besides the report
// itself, each list in log order.
type ReportParts struct {
	Assessments []Assessment
	Replies     []Reply
	Decisions   []MeetingDecision
	Evidence    []Evidence
}

// MeetingDecision is a meeting's decision about a report, as the report
// shows it.
type MeetingDecision struct {
	Meeting  MeetingID `json:"meeting"`
	Decision string    `json:"decision"`
	Entry    int64     `json:"entry"`
}

// MemberKey is a member's registered signing key.
type MemberKey struct {
	Member MemberID  `json:"member"`
	Key    string    `json:"key"`  // note verifier key, "name+hash+key"
	Hash   string    `json:"hash"` // the key's hash, hex, as signed entries name it
	Since  time.Time `json:"since"`
	Entry  int64     `json:"entry"`
}
