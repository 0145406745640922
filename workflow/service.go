// Package workflow is truce's service layer: every command is validated,
// authorised, appended to the log as an entry and applied to the
// projections in the same store transaction. The rules live here once, for
// every store; the stores only read and write.
package workflow

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/evidence"
	tlog "truce/log"
)

// Settings keys in the store.
const (
	SettingOrigin   = "log.origin"   // the log's origin line
	SettingVerifier = "log.verifier" // the log's public key, note verifier form
)

// Service runs truce's commands and queries over a store.
type Service struct {
	Store  truce.Store
	Signer note.Signer // the log key; nil for a service that only reads
	Now    func() time.Time
	Rand   io.Reader
	Logger *slog.Logger

	// Evidence keeps evidence files; nil refuses uploads. MaxEvidence and
	// EvidenceQuota bound a file and an organisation's total (0: defaults).
	Evidence      *evidence.Store
	MaxEvidence   int64
	EvidenceQuota int64

	// What the service remembers of committed transactions, to spare the
	// store reads. All of it is also in the store.
	mu        sync.Mutex
	agreement *truce.Agreement   // the loaded agreement
	lastSize  int64              // the log size after the last append seen here
	lastTime  time.Time          // the time of entry lastSize-1
	frontier  map[int64][32]byte // stored hashes on the tree's right edge

	approvedMap  *mapIndex    // the approved map, built when first needed
	designated   []designated // designated groups' positions, read when first needed
	designatedOK bool
	lines        linesCache // lines of contact of recent maps

	// Admin locates administrative units for classifications; nil leaves
	// them empty.
	Admin AdminLocator

	// Witnesses names the witnesses that cosign the log's checkpoints,
	// one per guarantor: a bulletin without a named checkpoint is computed
	// at the latest checkpoint that the most of them cosigned (all, once
	// they all have), not merely the latest with a cosignature. Empty:
	// the latest with any cosignature.
	Witnesses []string

	batch  batcher    // commands waiting for the next group commit
	tokens tokenCache // recently authenticated tokens
	keyed  keyedSet   // members with a registered key
}

// New returns a service over store, with the real clock and randomness.
func New(store truce.Store, signer note.Signer) *Service {
	return &Service{Store: store, Signer: signer, Now: time.Now, Rand: rand.Reader, Logger: slog.Default()}
}

// wtx is a write transaction of the service: the store's transaction, the
// command running in it, and what the service learns during it,
// remembered only once it commits. Under group commit, one wtx carries
// several commands in turn, each in a nested transaction.
type wtx struct {
	truce.Tx
	s *Service

	// The command now running: who asked, how they submitted it, and the
	// time its entries carry.
	by    *truce.Member
	sub   *Submission
	now   time.Time
	first int64 // the first entry the command appended, or -1

	appended  bool
	size      int64
	time      time.Time
	agreement *truce.Agreement
	hashes    map[int64][32]byte // written in this transaction
	added     []int64            // keys of hashes, in the order written
	keyed     []truce.MemberID   // members who registered a key in it
	// mapChanged: a zone was approved in this transaction, so the cached
	// map is stale for it and after it; positionsChanged likewise for the
	// designated positions.
	mapChanged       bool
	positionsChanged bool
}

// wtxState is what a failed command must give back.
type wtxState struct {
	appended   bool
	size       int64
	time       time.Time
	agreement  *truce.Agreement
	added      int
	keyed      int
	mapChanged bool
	posChanged bool
}

func (w *wtx) save() wtxState {
	return wtxState{w.appended, w.size, w.time, w.agreement, len(w.added), len(w.keyed), w.mapChanged, w.positionsChanged}
}

func (w *wtx) restore(st wtxState) {
	for _, i := range w.added[st.added:] {
		delete(w.hashes, i)
	}
	w.appended, w.size, w.time, w.agreement = st.appended, st.size, st.time, st.agreement
	w.mapChanged, w.positionsChanged = st.mapChanged, st.posChanged
	w.added, w.keyed = w.added[:st.added], w.keyed[:st.keyed]
}

// update runs fn in a store transaction of its own and, when it commits,
// remembers what fn appended. Commands go through command instead, which
// batches them.
func (s *Service) update(ctx context.Context, fn func(tx *wtx) error) error {
	var w *wtx
	err := s.Store.Update(ctx, func(tx truce.Tx) error {
		w = s.newWtx(tx)
		return fn(w)
	})
	if err == nil && w != nil {
		s.remember(w)
	}
	return err
}

func (s *Service) newWtx(tx truce.Tx) *wtx {
	s.forgetIfOthersAppended(tx)
	return &wtx{Tx: tx, s: s, first: -1, hashes: map[int64][32]byte{}}
}

// forgetIfOthersAppended drops what the service remembers of the map, the
// designated positions, the agreement and members' keys when the log holds
// entries this service did not append since it last did: another process
// wrote them (several servers on one PostgreSQL database). The store's
// writers' lock keeps anyone else from appending until tx ends, so what tx
// reads afresh stays true for it. Committed hashes and entry times are
// never stale, and are kept.
func (s *Service) forgetIfOthersAppended(tx truce.Tx) {
	n, err := tx.LogSize()
	if err != nil {
		return // the transaction's own reads will say so
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n == s.lastSize {
		return
	}
	s.agreement, s.approvedMap, s.designated, s.designatedOK = nil, nil, nil, false
	s.keyed.mu.Lock()
	s.keyed.m = nil
	s.keyed.mu.Unlock()
}

// remember keeps what a committed transaction taught the service.
func (s *Service) remember(w *wtx) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.agreement != nil {
		s.agreement = w.agreement
	}
	if w.mapChanged {
		s.approvedMap = nil
	}
	if w.positionsChanged {
		s.designated, s.designatedOK = nil, false
	}
	s.keyed.add(w.keyed)
	if w.appended {
		s.lastSize, s.lastTime = w.size, w.time
		next := map[int64][32]byte{}
		for _, i := range frontierIndexes(w.size) {
			if h, ok := w.hashes[i]; ok {
				next[i] = h
			} else if h, ok := s.frontier[i]; ok {
				next[i] = h
			}
		}
		s.frontier = next
	}
}

// frontierIndexes returns the stored-hash indexes of the complete subtrees
// whose roots make up a tree of n leaves: the hashes that the next append
// and the tree's root hash read.
func frontierIndexes(n int64) []int64 {
	var idx []int64
	for k := 0; k < 63 && n>>k > 0; k++ {
		if (n>>k)&1 == 1 {
			idx = append(idx, tlog.StoredHashIndex(k, (n>>k)-1))
		}
	}
	return idx
}

// Agreement returns the agreement the log monitors.
func (s *Service) Agreement(ctx context.Context) (*truce.Agreement, error) {
	var a *truce.Agreement
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		a, err = s.loadAgreement(tx)
		return err
	})
	return a, err
}

func (s *Service) loadAgreement(tx truce.Tx) (*truce.Agreement, error) {
	if w, ok := tx.(*wtx); ok && w.agreement != nil {
		return w.agreement, nil
	}
	s.mu.Lock()
	a := s.agreement
	s.mu.Unlock()
	if a != nil {
		return a, nil
	}
	a, err := tx.Agreement()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.agreement = a
	s.mu.Unlock()
	return a, nil
}

// newID returns prefix and 16 random lower-case base32 characters.
func (s *Service) newID(prefix string) (string, error) {
	b := make([]byte, 10)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return prefix + strings.ToLower(base32.StdEncoding.EncodeToString(b)), nil
}

// appendEntry encodes a new entry by the command's member, appends it with
// its Merkle hashes and sidecar, and applies it to the projections, all
// within tx. The entry's time is the clock's, or the previous entry's when
// the clock has gone back, so that times in the log never decrease.
func (s *Service) appendEntry(tx *wtx, kind truce.EntryKind, payload any, sidecar *truce.Sidecar) (*truce.Entry, error) {
	size, err := tx.LogSize()
	if err != nil {
		return nil, err
	}
	now := tx.now
	if now.IsZero() {
		if now, err = s.entryTime(tx); err != nil {
			return nil, err
		}
	}
	author := tx.author()
	if tx.sub != nil && tx.sub.Note != "" {
		if sidecar == nil {
			sidecar = &truce.Sidecar{}
		}
		sidecar.Note = tx.sub.Note
	}
	e, data, err := tlog.BuildEntry(size, kind, now, author, payload)
	if err != nil {
		return nil, err
	}
	hashes, err := tlog.StoredHashes(size, data, tx.hashReader())
	if err != nil {
		return nil, fmt.Errorf("log: hashes of entry %d: %w", size, err)
	}
	start := tlog.StoredHashIndex(0, size)
	hs := make([][32]byte, len(hashes))
	for i := range hashes {
		hs[i] = hashes[i]
		tx.hashes[start+int64(i)] = hashes[i]
		tx.added = append(tx.added, start+int64(i))
	}
	var side []byte
	if !sidecar.Empty() {
		if side, err = json.Marshal(sidecar); err != nil {
			return nil, err
		}
	}
	if err := tx.AppendEntry(size, data, hs, side); err != nil {
		return nil, err
	}
	a := &applier{}
	if kind != truce.EntryAgreementLoaded {
		if a.agreement, err = s.loadAgreement(tx); err != nil {
			return nil, err
		}
	}
	if err := a.apply(tx, e, sidecar, payload); err != nil {
		return nil, err
	}
	if a.agreement != nil && (kind == truce.EntryAgreementLoaded || a.changed) {
		tx.agreement = a.agreement
	}
	tx.appended, tx.size, tx.time = true, size+1, now
	if tx.first < 0 {
		tx.first = size
	}
	switch p := payload.(type) {
	case *truce.KeyRegistered:
		tx.keyed = append(tx.keyed, p.Member)
	case *truce.PositionClaimed, *truce.PositionAssessed:
		tx.positionsChanged = true
	}
	return e, nil
}

// keyedSet remembers which members have a registered key, as committed:
// every command asks, and keys are only ever added.
type keyedSet struct {
	mu sync.Mutex
	m  map[truce.MemberID]bool
}

func (k *keyedSet) add(ids []truce.MemberID) {
	if len(ids) == 0 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[truce.MemberID]bool{}
	}
	for _, id := range ids {
		k.m[id] = true
	}
}

// hasKey reports whether member id has a registered key, in tx: from
// what tx registered, from memory, or from the store (remembered: the
// read is of the latest committed state, since tx is the one writer).
func (s *Service) hasKey(tx *wtx, id truce.MemberID) (bool, error) {
	for _, k := range tx.keyed {
		if k == id {
			return true, nil
		}
	}
	s.keyed.mu.Lock()
	has, known := s.keyed.m[id]
	s.keyed.mu.Unlock()
	if known {
		return has, nil
	}
	_, err := tx.MemberKey(id)
	if err != nil && truce.ErrorCode(err) != truce.ENOTFOUND {
		return false, err
	}
	has = err == nil
	s.keyed.mu.Lock()
	if s.keyed.m == nil {
		s.keyed.m = map[truce.MemberID]bool{}
	}
	if !s.keyed.m[id] {
		s.keyed.m[id] = has
	}
	s.keyed.mu.Unlock()
	return has, nil
}

// author returns the author record of the command's member: attested by
// the server, or by the member's signature when the command came signed.
// Entries the system makes (at init) have none.
func (tx *wtx) author() *truce.Author {
	m := tx.by
	if m == nil {
		return nil
	}
	a := &truce.Author{Member: m.ID, Organisation: m.Organisation, Role: m.Role, Attestation: truce.AttestedByServer}
	if tx.sub != nil && tx.sub.Note != "" {
		a.Attestation, a.Key, a.Note = truce.AttestedBySignature, tx.sub.KeyHash, noteHash(tx.sub.Note)
	}
	return a
}

// entryTime is the time the next entry carries: the clock's, or the
// previous entry's when the clock has gone back, so that times in the log
// never decrease.
func (s *Service) entryTime(tx *wtx) (time.Time, error) {
	size, err := tx.LogSize()
	if err != nil {
		return time.Time{}, err
	}
	now := s.Now().UTC()
	last, err := s.lastEntryTime(tx, size)
	if err != nil {
		return time.Time{}, err
	}
	if now.Before(last) {
		now = last
	}
	return now, nil
}

// lastEntryTime returns the time of entry size-1 (zero for an empty log),
// from memory when this service made it.
func (s *Service) lastEntryTime(tx *wtx, size int64) (time.Time, error) {
	if size == 0 {
		return time.Time{}, nil
	}
	if tx.appended && tx.size == size {
		return tx.time, nil
	}
	s.mu.Lock()
	cachedSize, cachedTime := s.lastSize, s.lastTime
	s.mu.Unlock()
	if cachedSize == size {
		return cachedTime, nil
	}
	data, err := tx.EntryData(size - 1)
	if err != nil {
		return time.Time{}, err
	}
	e, err := tlog.DecodeEntry(data)
	if err != nil {
		return time.Time{}, err
	}
	return e.Time, nil
}

// hashReader reads stored hashes: those written in this transaction and
// those on the committed tree's right edge from memory, the rest from the
// store. Committed hashes never change, so what memory holds of them is
// always right.
func (tx *wtx) hashReader() tlog.HashReader {
	return cachedHashReader(tx.s, tx.Tx, tx.hashes)
}

func cachedHashReader(s *Service, tx truce.LogTx, pending map[int64][32]byte) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var missing []int64
		s.mu.Lock()
		for i, x := range indexes {
			if h, ok := pending[x]; ok {
				out[i] = h
			} else if h, ok := s.frontier[x]; ok {
				out[i] = h
			} else {
				missing = append(missing, x)
			}
		}
		s.mu.Unlock()
		if len(missing) == 0 {
			return out, nil
		}
		hs, err := tx.ReadHashes(missing)
		if err != nil {
			return nil, err
		}
		got := make(map[int64][32]byte, len(missing))
		for i, x := range missing {
			got[x] = hs[i]
		}
		for i, x := range indexes {
			if h, ok := got[x]; ok {
				out[i] = h
			}
		}
		return out, nil
	})
}
