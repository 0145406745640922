package bulletin_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/bulletin"
	"truce/i18n"
	"truce/internal/trucetest"
	tlog "truce/log"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const origin = "truce.example/log"

// testSigner is the log key of the fixtures: made from a fixed seed, so
// that signatures, and so the golden files, never change.
func testSigner(tb testing.TB) (note.Signer, note.Verifier) {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)), origin)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return s, v
}

var (
	day  = time.Date(2017, 1, 5, 0, 0, 0, 0, time.UTC)
	asOf = time.Date(2017, 1, 9, 12, 0, 0, 500, time.UTC)
)

// report is a report of the fixture: filed by org in governorate adm1
// with scope, h hours into the bulletin's day, answered by answers
// ("IR:confirm", in log order).
func report(id string, org truce.ActorID, adm1, scope string, h float64, answers ...string) truce.ReportAsOf {
	occurred := day.Add(time.Duration(h * float64(time.Hour)))
	r := truce.ReportAsOf{
		ID: truce.ReportID("rpt_" + strings.Repeat(id, 16)), OccurredAt: occurred, FiledAt: occurred.Add(time.Hour),
		Organisation: org, Lon: 36.634712, Lat: 35.932187, ADM1: adm1, Scope: scope,
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack", Perpetrator: "SYG",
	}
	for i, a := range answers {
		g, v, _ := strings.Cut(a, ":")
		r.Assessments = append(r.Assessments, truce.Assessment{Report: r.ID, Organisation: truce.ActorID(g), Verdict: truce.Verdict(v), Entry: int64(100 + i)})
	}
	return r
}

// fixture is a day with a report of every kind.
func fixture(tb testing.TB) *bulletin.Input {
	tb.Helper()
	a := trucetest.Agreement()
	a.Disclosure[truce.RolePublic] = truce.Disclosure{Coordinates: truce.DiscloseGovernorate}
	signer, _ := testSigner(tb)
	cp, err := tlog.SignCheckpoint(tlog.Checkpoint{Origin: origin, Size: 42, Root: tlog.Hash{1, 2, 3}}, signer)
	if err != nil {
		tb.Fatal(err)
	}
	late := report("f", "SYG", "SY02", truce.ScopeCovered, 20)
	late.FiledAt = asOf.Add(-time.Hour) // still within its window
	excluded := report("d", "TR", "SY05", truce.ScopeExcluded, 6)
	excluded.Controller = "JFS"
	unnamed := report("k", "OPP", "SY05", truce.ScopeExcluded, 7, "TR:confirm")
	unnamed.Perpetrator = ""
	return &bulletin.Input{
		Agreement: a, Origin: origin, Checkpoint: string(cp), TreeSize: 42, AsOf: asOf, Date: "2017-01-05", Lang: i18n.EN,
		Reports: []truce.ReportAsOf{
			report("a", "RU", "SY07", truce.ScopeCovered, 2, "IR:confirm", "TR:confirm"),
			report("b", "OPP", "SY07", truce.ScopeCovered, 3, "TR:confirm", "RU:dispute"),
			report("c", "RU", "SY05", truce.ScopeDisputed, 4),
			excluded, unnamed,
			report("e", "IR", "", truce.ScopeOutside, 8),
			late,
			report("i", "SYG", "SY02", truce.ScopeCovered, 9, "RU:dispute", "IR:dispute", "TR:dispute"),
			report("g", "RU", "SY07", truce.ScopeCovered, -0.5),
			report("j", "TR", "SY07", truce.ScopeCovered, 0, "IR:confirm", "RU:confirm"),
			report("h", "RU", "SY07", truce.ScopeCovered, 24),
		},
		Accessions: []truce.Accession{
			{Kind: truce.AccessionSettlement, PCode: "C3871", Name: "Idleb", Guarantor: "RU", Date: "2017-01-03"},
			{Kind: truce.AccessionGroup, Actor: "OPP", Name: "Opposition", Guarantor: "TR", Date: "2017-01-05"},
			{Kind: truce.AccessionSettlement, PCode: "C2987", Name: "Hama", Guarantor: "RU", Date: "2017-01-05"},
			{Kind: truce.AccessionSettlement, PCode: "C1007", Name: "Aleppo", Guarantor: "RU", Date: "2017-01-06"},
		},
	}
}

func mustCompute(tb testing.TB, in *bulletin.Input) *bulletin.Bulletin {
	tb.Helper()
	b, err := bulletin.Compute(in)
	if err != nil {
		tb.Fatalf("Compute: %v", err)
	}
	return b
}

func rowOf(tb testing.TB, b *bulletin.Bulletin, pcode string) bulletin.Row {
	tb.Helper()
	for _, r := range b.Governorates {
		if r.PCode == pcode {
			return r
		}
	}
	tb.Fatalf("no row %s", pcode)
	return bulletin.Row{}
}

func line(r bulletin.Row) string {
	return fmt.Sprintf("%d RU%d IR%d TR%d c%d x%d u%d p%d r%d | d%d %v | o%d s%d | %+d %+d",
		r.Reports, r.ReportedBy["RU"], r.ReportedBy["IR"], r.ReportedBy["TR"],
		r.Confirmed, r.Contested, r.Unilateral, r.Pending, r.Rejected,
		r.Designated.Reports, r.Designated.Against, r.OutsideScope, r.Settlements, r.Change.Reports, r.Change.Settlements)
}

func TestCompute(t *testing.T) {
	b := mustCompute(t, fixture(t))
	for _, c := range []struct{ pcode, want string }{
		// a: RU filed, all confirm; b: TR confirms, RU disputes; j (00:00
		// sharp, on the day): confirmed; g (the day before).
		{"SY07", "3 RU2 IR2 TR3 c2 x1 u0 p0 r0 | d0 map[] | o0 s1 | +2 +0"},
		// c: RU's, unanswered past its window: unilateral. d: against JFS,
		// who held the place; k: against no one named.
		{"SY05", "1 RU1 IR0 TR0 c0 x0 u1 p0 r0 | d2 map[:1 JFS:1] | o0 s1 | +1 +1"},
		// f: filed an hour before the checkpoint's last entry: pending. i:
		// disputed by all three.
		{"SY02", "2 RU0 IR0 TR0 c0 x0 u0 p1 r1 | d0 map[] | o0 s0 | +2 +0"},
		{bulletin.Outside, "0 RU0 IR0 TR0 c0 x0 u0 p0 r0 | d0 map[] | o1 s0 | +0 +0"},
		{"SY14", "0 RU0 IR0 TR0 c0 x0 u0 p0 r0 | d0 map[] | o0 s0 | +0 +0"},
	} {
		if got := line(rowOf(t, b, c.pcode)); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.pcode, got, c.want)
		}
	}
	if got, want := line(b.Total), "6 RU3 IR2 TR3 c2 x1 u1 p1 r1 | d2 map[:1 JFS:1] | o1 s2 | +5 +1"; got != want {
		t.Errorf("total: %s\nwant %s", got, want)
	}
	if got, want := b.Accessions, (bulletin.Accessions{Groups: 1, Settlements: 2, GroupsChange: 1, SettlementsChange: 1}); got != want {
		t.Errorf("accessions %+v, want %+v", got, want)
	}
	var ids []string
	for _, v := range b.Confirmed {
		ids = append(ids, string(v.ID[4]))
	}
	if got := strings.Join(ids, ""); got != "ja" {
		t.Errorf("confirmed violations %q, want j then a, by time", got)
	}
	if b.AsOf != "2017-01-09T12:00:00.0000005Z" || b.TreeSize != 42 || b.Signature != "" {
		t.Errorf("as of %s at %d, signature %q", b.AsOf, b.TreeSize, b.Signature)
	}
}

// TestRegisteredBy: a guarantor registered a report when its member filed
// it, whatever it answered since, or when its latest answer is confirm.
func TestRegisteredBy(t *testing.T) {
	for _, c := range []struct {
		org     truce.ActorID
		answers []string
		want    string
	}{
		{"RU", nil, "RU"},
		{"RU", []string{"RU:dispute"}, "RU"},
		{"OPP", nil, ""},
		{"OPP", []string{"IR:confirm"}, "IR"},
		{"OPP", []string{"IR:confirm", "IR:dispute"}, ""},
		{"OPP", []string{"IR:dispute", "IR:confirm", "TR:cannot_verify"}, "IR"},
		{"TR", []string{"RU:confirm", "IR:confirm"}, "RU IR TR"},
		{"UN", []string{"UN:confirm"}, ""}, // not a guarantor's answer
	} {
		in := fixture(t)
		in.Reports = []truce.ReportAsOf{report("a", c.org, "SY07", truce.ScopeCovered, 1, c.answers...)}
		r := rowOf(t, mustCompute(t, in), "SY07")
		var got []string
		for _, g := range []string{"RU", "IR", "TR"} {
			if r.ReportedBy[g] == 1 {
				got = append(got, g)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("filed by %s, answers %v: registered by %q, want %q", c.org, c.answers, got, c.want)
		}
	}
}

// TestDisclosure: the confirmed violations show what the public's policy
// allows, and no more.
func TestDisclosure(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		policy   truce.Disclosure
		gov      string
		lon, lat *float64
	}{
		{truce.Disclosure{Coordinates: truce.DiscloseExact}, "SY07", f(36.634712), f(35.932187)},
		{truce.Disclosure{Coordinates: truce.DiscloseCoarse, Grid: 0.1}, "SY07", f(36.65), f(35.95)},
		{truce.Disclosure{Coordinates: truce.DiscloseGovernorate}, "SY07", nil, nil},
		{truce.Disclosure{Coordinates: truce.DiscloseHidden}, "", nil, nil},
	} {
		in := fixture(t)
		in.Agreement.Disclosure[truce.RolePublic] = c.policy
		b := mustCompute(t, in)
		v := b.Confirmed[1]
		if v.Governorate != c.gov || fmt.Sprint(deref(v.Lon), deref(v.Lat)) != fmt.Sprint(deref(c.lon), deref(c.lat)) || b.Disclosure != c.policy.Coordinates {
			t.Errorf("%s: governorate %q at %v, %v; want %q at %v, %v", c.policy.Coordinates, v.Governorate, deref(v.Lon), deref(v.Lat), c.gov, deref(c.lon), deref(c.lat))
		}
		for _, f := range bulletin.Formats {
			data, _ := bulletin.Bytes(b, f)
			if c.lon == nil && bytes.Contains(data, []byte("36.63")) {
				t.Errorf("%s: the %s bulletin shows a longitude", c.policy.Coordinates, f)
			}
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestGolden renders the fixture, signed, in every format and language,
// against testdata. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	signer, _ := testSigner(t)
	for _, lang := range i18n.Langs {
		in := fixture(t)
		in.Lang = lang
		b := mustCompute(t, in)
		if err := bulletin.Sign(b, signer); err != nil {
			t.Fatal(err)
		}
		for _, f := range bulletin.Formats {
			if (f == bulletin.JSON || f == bulletin.CSV) && lang != i18n.EN && lang != i18n.AR {
				continue
			}
			got, err := bulletin.Bytes(b, f)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", fmt.Sprintf("bulletin.%s.%s", lang, f))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what Render writes now (run go test -update and review the diff)", path)
			}
			again, _ := bulletin.Bytes(mustSigned(t, in, signer), f)
			if !bytes.Equal(again, got) {
				t.Errorf("%s: rendering the same input twice gives different bytes", path)
			}
		}
	}
}

func mustSigned(tb testing.TB, in *bulletin.Input, signer note.Signer) *bulletin.Bulletin {
	tb.Helper()
	b := mustCompute(tb, in)
	if err := bulletin.Sign(b, signer); err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestComputeErrors(t *testing.T) {
	in := fixture(t)
	in.Date = "2017-02-30"
	if _, err := bulletin.Compute(in); truce.ErrorCode(err) != truce.EINVALID {
		t.Errorf("Compute of 2017-02-30 = %v, want EINVALID", err)
	}
	if _, err := bulletin.ParseFormat("pdf"); truce.ErrorField(err) != "format" {
		t.Errorf("ParseFormat(pdf) = %v, want EINVALID about format", err)
	}
	if f, err := bulletin.ParseFormat(""); f != bulletin.JSON || err != nil {
		t.Errorf("ParseFormat(\"\") = %q, %v; want json", f, err)
	}
	if _, err := bulletin.ParseLang("de"); truce.ErrorField(err) != "lang" {
		t.Errorf("ParseLang(de) = %v, want EINVALID about lang", err)
	}
}
