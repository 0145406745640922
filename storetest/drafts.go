package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"truce"
)

var draftTests = []test{
	one("PutAndRead", testDrafts),
	one("Delete", testDraftDelete),
	one("IDOnce", testDraftIDOnce),
	one("NotAProjection", testDraftsNotProjections),
}

// draft returns a draft of org queued at minute min, the seq-th of its text.
func draft(id string, org truce.ActorID, min, seq int, text string) *truce.StoredDraft {
	return &truce.StoredDraft{
		ID: id, Organisation: org, QueuedBy: truce.MemberID("mbr_" + string(org)),
		QueuedAt: time.Date(2017, 4, 5, 9, min, 0, 123456789, time.FixedZone("EEST", 3*3600)),
		Seq:      seq, Lang: "ar", Date: "2017-04-05", Source: "https://example.org/" + id,
		Text: text, Draft: []byte(`{"span":{"start":0,"end":5}}`),
	}
}

func checkDraft(t *testing.T, what string, got, want *truce.StoredDraft) {
	t.Helper()
	if got.ID != want.ID || got.Organisation != want.Organisation || got.QueuedBy != want.QueuedBy ||
		!got.QueuedAt.Equal(want.QueuedAt) || got.Seq != want.Seq || got.Lang != want.Lang || got.Date != want.Date ||
		got.Source != want.Source || got.Text != want.Text || !bytes.Equal(got.Draft, want.Draft) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func putDrafts(t *testing.T, s truce.Store, ds ...*truce.StoredDraft) {
	t.Helper()
	mustUpdate(t, s, func(tx truce.Tx) error {
		for _, d := range ds {
			if err := tx.PutDraft(d); err != nil {
				return err
			}
		}
		return nil
	})
}

func draftIDs(t *testing.T, s truce.Store, org truce.ActorID) string {
	t.Helper()
	var ids []string
	mustView(t, s, func(tx truce.Tx) error {
		ds, err := tx.Drafts(org)
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		return err
	})
	return fmt.Sprint(ids)
}

func testDrafts(t *testing.T, s truce.Store) {
	arabic := "قصفت قوات الحكومة دوما يوم الثلاثاء"
	ds := []*truce.StoredDraft{
		draft("drf_c", "RU", 5, 1, arabic),
		draft("drf_a", "RU", 5, 0, arabic),
		draft("drf_b", "RU", 1, 3, "Clashes near Saraqib."),
		draft("drf_d", "TR", 0, 0, "Shelling in Idlib."),
	}
	putDrafts(t, s, ds...)
	// Oldest first, then by place in the text.
	if got := draftIDs(t, s, "RU"); got != "[drf_b drf_a drf_c]" {
		t.Errorf("Drafts(RU) = %s, want [drf_b drf_a drf_c]", got)
	}
	if got := draftIDs(t, s, "TR"); got != "[drf_d]" {
		t.Errorf("Drafts(TR) = %s, want [drf_d]", got)
	}
	if got := draftIDs(t, s, "IR"); got != "[]" {
		t.Errorf("Drafts(IR) = %s, want none", got)
	}
	mustView(t, s, func(tx truce.Tx) error {
		for _, want := range ds {
			got, err := tx.Draft(want.ID)
			if err != nil {
				t.Errorf("Draft(%s): %v", want.ID, err)
				continue
			}
			checkDraft(t, "Draft("+want.ID+")", got, want)
		}
		n, b, err := tx.DraftUsage("RU")
		if want := int64(2*len(arabic) + len("Clashes near Saraqib.")); err != nil || n != 3 || b != want {
			t.Errorf("DraftUsage(RU) = %d, %d, %v; want 3 drafts, %d bytes", n, b, err, want)
		}
		if n, b, err := tx.DraftUsage("IR"); err != nil || n != 0 || b != 0 {
			t.Errorf("DraftUsage(IR) = %d, %d, %v; want 0, 0", n, b, err)
		}
		return nil
	})
}

func testDraftDelete(t *testing.T, s truce.Store) {
	putDrafts(t, s, draft("drf_a", "RU", 0, 0, "one"), draft("drf_b", "RU", 0, 1, "one"))
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.DeleteDraft("drf_a") })
	err := s.Update(t.Context(), func(tx truce.Tx) error { return tx.DeleteDraft("drf_a") })
	checkCode(t, "DeleteDraft of a deleted draft", err, truce.ENOTFOUND)
	mustView(t, s, func(tx truce.Tx) error {
		_, err := tx.Draft("drf_a")
		checkCode(t, "Draft of a deleted draft", err, truce.ENOTFOUND)
		if n, b, err := tx.DraftUsage("RU"); err != nil || n != 1 || b != 3 {
			t.Errorf("DraftUsage(RU) = %d, %d, %v; want 1, 3", n, b, err)
		}
		return nil
	})
	if got := draftIDs(t, s, "RU"); got != "[drf_b]" {
		t.Errorf("Drafts(RU) = %s, want [drf_b]", got)
	}
	// A transaction that fails keeps the draft queued.
	err = s.Update(t.Context(), func(tx truce.Tx) error {
		if err := tx.DeleteDraft("drf_b"); err != nil {
			return err
		}
		return errStop
	})
	if err != errStop {
		t.Fatalf("Update = %v, want errStop", err)
	}
	if got := draftIDs(t, s, "RU"); got != "[drf_b]" {
		t.Errorf("after a rolled-back delete, Drafts(RU) = %s, want [drf_b]", got)
	}
}

func testDraftIDOnce(t *testing.T, s truce.Store) {
	putDrafts(t, s, draft("drf_a", "RU", 0, 0, "one"))
	err := s.Update(t.Context(), func(tx truce.Tx) error { return tx.PutDraft(draft("drf_a", "TR", 1, 0, "two")) })
	if err == nil {
		t.Errorf("PutDraft of an id already queued succeeded")
	}
	mustView(t, s, func(tx truce.Tx) error {
		got, err := tx.Draft("drf_a")
		if err != nil {
			return err
		}
		checkDraft(t, "Draft(drf_a)", got, draft("drf_a", "RU", 0, 0, "one"))
		return nil
	})
}

// testDraftsNotProjections: rebuilding leaves the queue alone, and the
// dump of the projections, which verify compares, does not hold it.
func testDraftsNotProjections(t *testing.T, s truce.Store) {
	putDrafts(t, s, draft("drf_a", "RU", 0, 0, "one"))
	mustUpdate(t, s, func(tx truce.Tx) error { return tx.ResetProjections() })
	if got := draftIDs(t, s, "RU"); got != "[drf_a]" {
		t.Errorf("after ResetProjections, Drafts(RU) = %s, want [drf_a]", got)
	}
	if rows := dump(t, s); len(rows) != 0 {
		t.Errorf("DumpProjections of a store holding only a draft = %v, want nothing", rows)
	}
}
