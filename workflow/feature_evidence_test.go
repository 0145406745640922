package workflow_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
	"testing"

	"truce"
	"truce/evidence"
	tlog "truce/log"
	"truce/workflow"
)

// ftPNG returns a small PNG whose pixels depend on seed.
func ftPNG(tb testing.TB, seed int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := 0; i < 16; i++ {
		img.Set(i%4, i/4, color.RGBA{uint8(seed), uint8(i * 16), uint8(seed * 7), 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func ftSHA(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ftEvidenceService is newService with an evidence store.
func ftEvidenceService(tb testing.TB) (*workflow.Service, *truce.Member, *evidence.Store) {
	tb.Helper()
	svc, op := newService(tb)
	store, err := evidence.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	svc.Evidence = store
	return svc, op, store
}

func ftStoredFiles(tb testing.TB, s *evidence.Store) int {
	tb.Helper()
	n := 0
	if err := s.Walk(func(string, int64) error { n++; return nil }); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestFtEvidence adds a photo to a report and checks what the log
// records, who sees it on the report, who may open it, and what is
// refused.
func TestFtEvidence(t *testing.T) {
	svc, op, store := ftEvidenceService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	opp2 := mustMember(t, svc, op, "OPP", truce.RoleParty)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	trMon := mustMember(t, svc, op, "TR", truce.RoleMonitor)
	syg := mustMember(t, svc, op, "SYG", truce.RoleParty)
	un := mustMember(t, svc, op, "UN", truce.RoleObserver)
	unMon := mustMember(t, svc, op, "UN", truce.RoleMonitor)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	photo := ftPNG(t, 1)
	sum := ftSHA(photo)

	before := ftLogSize(t, svc)
	res, err := svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(photo), "photo.jpg", "")
	if err != nil {
		t.Fatalf("AddEvidence(png) = %v", err)
	}
	if res.SHA256 != sum || res.Size != int64(len(photo)) || res.MediaType != "image/png" || res.Entry != before {
		t.Errorf("AddEvidence = %+v, want sha256 %s, %d bytes, image/png (sniffed, not the name's), entry %d", res, sum, len(photo), before)
	}
	ftWantGrowth(t, svc, "one file added", before, 1)
	e, _ := ftEntry(t, svc, ru, res.Entry)
	var p truce.EvidenceAdded
	if err := tlog.DecodePayload(e, &p); err != nil || e.Kind != truce.EntryEvidenceAdded {
		t.Fatalf("entry %d = %s, %v; want %s", res.Entry, e.Kind, err, truce.EntryEvidenceAdded)
	}
	if p.Report != v.ID || p.SHA256 != sum || p.Size != int64(len(photo)) || p.MediaType != "image/png" || e.Author.Member != opp.ID {
		t.Errorf("evidence.added = %+v by %+v, want %s of report %s by %s", p, e.Author, sum, v.ID, opp.ID)
	}

	// Readers of the report: the evidence for the filer's organisation and
	// the guarantors' staff only; the file to them only, and to anyone
	// else not found, exactly as a file that does not exist.
	missingHash := strings.Repeat("0", 64)
	for _, tc := range []struct {
		who  string
		m    *truce.Member
		sees bool
	}{
		{"filer", opp, true},
		{"filer's colleague", opp2, true},
		{"guarantor officer", ru, true},
		{"guarantor's monitor", trMon, true},
		{"accused party", syg, false},
		{"observer", un, false},
		{"UN monitor", unMon, false},
		{"operator", op, false},
	} {
		rv, err := svc.Report(ftCtx, tc.m, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rv.Evidence) == 1 && rv.Evidence[0].SHA256 == sum && rv.Evidence[0].Organisation == "OPP"; got != tc.sees {
			t.Errorf("report as %s shows evidence %+v, want it %s", tc.who, rv.Evidence, map[bool]string{true: "shown", false: "hidden"}[tc.sees])
		}
		f, ev, err := svc.OpenEvidence(ftCtx, tc.m, sum)
		if tc.sees {
			if err != nil {
				t.Errorf("OpenEvidence as %s = %v, want the file", tc.who, err)
				continue
			}
			b, _ := io.ReadAll(f)
			f.Close()
			if !bytes.Equal(b, photo) || ev.SHA256 != sum || ev.Report != v.ID {
				t.Errorf("OpenEvidence as %s gave %d bytes of %+v, want the photo", tc.who, len(b), ev)
			}
		} else {
			if f != nil {
				f.Close()
			}
			_, _, missing := svc.OpenEvidence(ftCtx, tc.m, missingHash)
			ftSameNotFound(t, "OpenEvidence as "+tc.who, err, sum, missing, missingHash)
		}
	}
	_, _, err = svc.OpenEvidence(ftCtx, nil, sum)
	ftWantCode(t, "OpenEvidence by nobody", err, truce.ENOTFOUND)
	_, _, err = svc.OpenEvidence(ftCtx, ru, "../../etc/passwd")
	ftWantCode(t, "OpenEvidence(path)", err, truce.ENOTFOUND)

	// What may not be added.
	before = ftLogSize(t, svc)
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("photo.png")
	w.Write(photo)
	zw.Close()
	for _, tc := range []struct {
		name   string
		m      *truce.Member
		id     truce.ReportID
		body   []byte
		signed string
		code   string
		field  string
	}{
		{"a zip archive", opp, v.ID, zipped.Bytes(), "", truce.EUNSUPPORTED, ""},
		{"HTML", opp, v.ID, []byte("<html><script>alert(1)</script></html>"), "", truce.EUNSUPPORTED, ""},
		{"an empty file", opp, v.ID, nil, "", truce.EINVALID, "file"},
		{"another file than signed", opp, v.ID, ftPNG(t, 2), sum, truce.EINVALID, "file"},
		{"another party's report", syg, v.ID, ftPNG(t, 3), "", truce.EFORBIDDEN, ""},
		{"a guarantor's monitor", trMon, v.ID, ftPNG(t, 3), "", truce.EFORBIDDEN, ""},
		{"an observer", un, v.ID, ftPNG(t, 3), "", truce.EFORBIDDEN, ""},
		{"the operator", op, v.ID, ftPNG(t, 3), "", truce.EFORBIDDEN, ""},
		{"nobody", nil, v.ID, ftPNG(t, 3), "", truce.EUNAUTHORIZED, ""},
		{"a missing report", opp, "rpt_aaaaaaaaaaaaaaaa", ftPNG(t, 3), "", truce.ENOTFOUND, ""},
	} {
		_, err := svc.AddEvidence(ftCtx, tc.m, tc.id, bytes.NewReader(tc.body), "x.png", tc.signed)
		ftWantCode(t, "AddEvidence("+tc.name+")", err, tc.code)
		if tc.field != "" && truce.ErrorField(err) != tc.field {
			t.Errorf("AddEvidence(%s) = %v, want field %q", tc.name, err, tc.field)
		}
	}
	ftWantGrowth(t, svc, "refused files", before, 0)

	// The file of a signed upload, when it is the one signed.
	if _, err := svc.AddEvidence(ftCtx, ru, v.ID, bytes.NewReader(ftPNG(t, 4)), "", ftSHA(ftPNG(t, 4))); err != nil {
		t.Errorf("AddEvidence(the signed file) by a guarantor officer = %v", err)
	}

	// The same file on two reports is stored once and recorded twice.
	v2, err := svc.FileReport(ftCtx, opp, ftReport(1, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	files := ftStoredFiles(t, store)
	res2, err := svc.AddEvidence(ftCtx, opp, v2.ID, bytes.NewReader(photo), "", "")
	if err != nil || res2.SHA256 != sum || res2.Entry == res.Entry {
		t.Fatalf("AddEvidence(same file, second report) = %+v, %v", res2, err)
	}
	if got := ftStoredFiles(t, store); got != files {
		t.Errorf("the same file stored again: %d files, want %d", got, files)
	}
	logged, err := svc.EvidenceEntries(ftCtx, sum)
	if err != nil {
		t.Fatal(err)
	}
	if len(logged) != 2 || logged[0].Entry != res.Entry || logged[1].Entry != res2.Entry {
		t.Errorf("EvidenceEntries = %+v, want entries %d and %d", logged, res.Entry, res2.Entry)
	}
	for _, l := range logged {
		if l.Size != int64(len(photo)) || l.MediaType != "image/png" {
			t.Errorf("EvidenceEntries lists %+v, want %d bytes of image/png", l, len(photo))
		}
	}
	if got, err := svc.EvidenceEntries(ftCtx, missingHash); err != nil || len(got) != 0 || got == nil {
		t.Errorf("EvidenceEntries(unknown) = %v, %v; want an empty list", got, err)
	}
	for _, bad := range []string{"", "abc", strings.ToUpper(sum), sum + "0"} {
		_, err := svc.EvidenceEntries(ftCtx, bad)
		ftWantField(t, "EvidenceEntries("+bad+")", err, "sha256")
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestFtEvidenceLimits checks the size of a file and an organisation's
// quota: over either, nothing is recorded.
func TestFtEvidenceLimits(t *testing.T) {
	svc, op, _ := ftEvidenceService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	photo := ftPNG(t, 1)
	before := ftLogSize(t, svc)

	svc.MaxEvidence = int64(len(photo)) - 1
	_, err = svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(photo), "", "")
	ftWantCode(t, "AddEvidence(one byte over MaxEvidence)", err, truce.ETOOLARGE)
	ftWantGrowth(t, svc, "file over MaxEvidence", before, 0)
	svc.MaxEvidence = int64(len(photo))
	if _, err := svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(photo), "", ""); err != nil {
		t.Fatalf("AddEvidence(exactly MaxEvidence) = %v", err)
	}
	svc.MaxEvidence = 0

	// The quota counts the organisation's distinct files.
	svc.EvidenceQuota = int64(len(photo)) + 10
	second := ftPNG(t, 2)
	before = ftLogSize(t, svc)
	_, err = svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(second), "", "")
	ftWantCode(t, "AddEvidence over the quota", err, truce.ETOOLARGE)
	svc.EvidenceQuota = int64(len(photo))
	_, err = svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(second), "", "")
	ftWantCode(t, "AddEvidence with the quota used up", err, truce.ETOOLARGE)
	ftWantGrowth(t, svc, "files over the quota", before, 0)
	// Another organisation has its own quota.
	if _, err := svc.AddEvidence(ftCtx, ru, v.ID, bytes.NewReader(second), "", ""); err != nil {
		t.Errorf("AddEvidence by another organisation = %v, want its own quota", err)
	}
	svc.EvidenceQuota = 0

	// No evidence store: no uploads.
	svc.Evidence = nil
	_, err = svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(photo), "", "")
	ftWantCode(t, "AddEvidence without a store", err, truce.ECONFLICT)
	_, _, err = svc.OpenEvidence(ftCtx, opp, ftSHA(photo))
	ftWantCode(t, "OpenEvidence without a store", err, truce.ENOTFOUND)
	mustVerify(t, svc)
}

// TestFtEvidenceQuotaSameFile attaches to a second report a file the
// organisation has already stored, with its quota exactly used up. The
// quota counts distinct files and the file adds no byte, so it must be
// accepted.
func TestFtEvidenceQuotaSameFile(t *testing.T) {
	svc, op, _ := ftEvidenceService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	photo := ftPNG(t, 1)
	svc.EvidenceQuota = int64(len(photo))
	var ids []truce.ReportID
	for i := 0; i < 2; i++ {
		v, err := svc.FileReport(ftCtx, opp, ftReport(i, "SYG"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	if _, err := svc.AddEvidence(ftCtx, opp, ids[0], bytes.NewReader(photo), "", ""); err != nil {
		t.Fatalf("AddEvidence(first report) = %v", err)
	}
	// At a full quota the server refuses before it reads the file, so it
	// cannot tell that this one is already counted: a limitation, kept
	// because reading first would let an organisation at its quota store
	// files that then have no entry.
	_, err := svc.AddEvidence(ftCtx, opp, ids[1], bytes.NewReader(photo), "", "")
	ftWantCode(t, "AddEvidence(file already counted, quota used up)", err, truce.ETOOLARGE)
	mustVerify(t, svc)
}

// TestFtEvidenceIdempotent retries an upload under one Idempotency-Key:
// the same file to the same report is the same request, answered again
// without a new entry; another file, or another report, under the key is
// a conflict.
func TestFtEvidenceIdempotent(t *testing.T) {
	svc, op, _ := ftEvidenceService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	var ids []truce.ReportID
	for i := 0; i < 2; i++ {
		v, err := svc.FileReport(ftCtx, opp, ftReport(i, "SYG"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	photo := ftPNG(t, 1)
	upload := func(id truce.ReportID, body []byte) (*workflow.EvidenceResult, error) {
		ctx := workflow.WithSubmission(ftCtx, &workflow.Submission{IdempotencyKey: "upload-1"})
		return svc.AddEvidence(ctx, opp, id, bytes.NewReader(body), "", "")
	}
	before := ftLogSize(t, svc)
	first, err := upload(ids[0], photo)
	if err != nil {
		t.Fatalf("AddEvidence(upload-1) = %v", err)
	}
	again, err := upload(ids[0], photo)
	if err != nil || *again != *first {
		t.Errorf("retry = %+v, %v; want %+v", again, err, first)
	}
	ftWantGrowth(t, svc, "upload and retry", before, 1)
	_, err = upload(ids[0], ftPNG(t, 2))
	ftWantCode(t, "AddEvidence(upload-1, another file)", err, truce.ECONFLICT)
	_, err = upload(ids[1], photo)
	ftWantCode(t, "AddEvidence(upload-1, another report)", err, truce.ECONFLICT)
	ftWantGrowth(t, svc, "conflicting uploads", before, 1)
	mustVerify(t, svc)
}

// TestFtEvidenceQuotaConcurrent uploads distinct files of one organisation
// at once: the quota bounds the organisation's total even then.
func TestFtEvidenceQuotaConcurrent(t *testing.T) {
	svc, op, _ := ftEvidenceService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	file := func(i int) []byte { return []byte(fmt.Sprintf("observation post log, page %02d\n", i)) }
	size := int64(len(file(0)))
	svc.EvidenceQuota = 3 * size
	const n = 12
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, errs[i] = svc.AddEvidence(ftCtx, opp, v.ID, bytes.NewReader(file(i)), "log.txt", "")
		}(i)
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch truce.ErrorCode(err) {
		case "":
			ok++
		case truce.ETOOLARGE:
		default:
			t.Errorf("upload %d = %v, want nil or %s", i, err, truce.ETOOLARGE)
		}
	}
	rv, err := svc.Report(ftCtx, opp, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, e := range rv.Evidence {
		total += e.Size
	}
	mustVerify(t, svc)
	if total > svc.EvidenceQuota {
		t.Errorf("BUG: %d concurrent uploads of %d bytes each against a quota of %d bytes: %d accepted, %d bytes recorded; want at most %d files", n, size, svc.EvidenceQuota, ok, total, 3)
	}
}
