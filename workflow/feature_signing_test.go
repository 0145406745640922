package workflow_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
	"truce/workflow"
)

// ftOrigin is the origin newService gives its log.
const ftOrigin = "truce.test/workflow"

// ftKey is a member's signing key.
type ftKey struct {
	signer note.Signer
	vkey   string
	hash   string
}

func ftNewKey(tb testing.TB, m *truce.Member) *ftKey {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, string(m.ID))
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := workflow.KeyHash(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return &ftKey{signer, vkey, hash}
}

// ftSign signs a command whose body is v in canonical JSON.
func ftSign(tb testing.TB, k *ftKey, origin string, member truce.MemberID, method, path, idem string, v any) []byte {
	tb.Helper()
	body, err := tlog.Canonical(v)
	if err != nil {
		tb.Fatal(err)
	}
	msg, err := workflow.SignCommand(&workflow.SignedCommand{
		Origin: origin, Member: member, Method: method, Path: path, IdempotencyKey: idem, Body: body,
	}, k.signer)
	if err != nil {
		tb.Fatal(err)
	}
	return msg
}

// ftVerified verifies a signed command as the HTTP layer does and decodes
// its body into v; it returns the context the command runs in.
func ftVerified(tb testing.TB, svc *workflow.Service, m *truce.Member, msg []byte, method, path, idem string, v any) context.Context {
	tb.Helper()
	body, sub, err := svc.VerifySigned(ftCtx, m, msg, method, path, idem)
	if err != nil {
		tb.Fatalf("VerifySigned(%s %s) = %v", method, path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		tb.Fatalf("signed body %s: %v", body, err)
	}
	sub.IdempotencyKey = idem
	sub.Fingerprint = sha256.Sum256(append([]byte(method+" "+path+"\n"), body...))
	return workflow.WithSubmission(ftCtx, sub)
}

// TestFtSignedSubmissions registers a member's key; from then on its
// commands must come signed, a signed command is recorded as such, and
// Verify checks the entry against the note.
func TestFtSignedSubmissions(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	other := mustMember(t, svc, op, "OPP", truce.RoleParty)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	k := ftNewKey(t, opp)

	mk, err := svc.RegisterKey(ftCtx, opp, k.vkey)
	if err != nil {
		t.Fatalf("RegisterKey = %v", err)
	}
	if mk.Member != opp.ID || mk.Key != k.vkey || mk.Hash != k.hash {
		t.Errorf("RegisterKey = %+v, want key %s with hash %s", mk, k.vkey, k.hash)
	}
	if got, err := svc.MemberKey(ftCtx, opp.ID); err != nil || got.Hash != k.hash {
		t.Errorf("MemberKey = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "not a key", strings.Repeat("k", 201), strings.Replace(k.vkey, "+", "-", 1)} {
		_, err := svc.RegisterKey(ftCtx, other, bad)
		ftWantField(t, "RegisterKey("+ftClip(bad, 20)+")", err, "key")
	}

	// Unsigned commands of a member with a key are refused.
	before := ftLogSize(t, svc)
	in := ftFullInput()
	_, err = svc.FileReport(ftCtx, opp, in)
	ftWantCode(t, "unsigned FileReport by a member with a key", err, truce.EFORBIDDEN)
	_, err = svc.FileReport(workflow.WithSubmission(ftCtx, ftWithKey("k", [32]byte{1})), opp, in)
	ftWantCode(t, "unsigned idempotent FileReport by a member with a key", err, truce.EFORBIDDEN)
	ftWantGrowth(t, svc, "unsigned commands", before, 0)

	// A signed one is recorded, attested by the signature.
	msg := ftSign(t, k, ftOrigin, opp.ID, "POST", "/api/v1/reports", "r1", in)
	body, sub, err := svc.VerifySigned(ftCtx, opp, msg, "POST", "/api/v1/reports", "r1")
	if err != nil {
		t.Fatalf("VerifySigned = %v", err)
	}
	if canon, _ := tlog.Canonical(in); !bytes.Equal(body, canon) {
		t.Errorf("VerifySigned body = %s, want %s", body, canon)
	}
	if sub.Note != string(msg) || sub.KeyHash != k.hash {
		t.Errorf("VerifySigned submission = %+v, want the note and key hash %s", sub, k.hash)
	}
	var signedIn truce.ReportInput
	ctx := ftVerified(t, svc, opp, msg, "POST", "/api/v1/reports", "r1", &signedIn)
	v, err := svc.FileReport(ctx, opp, &signedIn)
	if err != nil {
		t.Fatalf("signed FileReport = %v", err)
	}
	if v.SourceIdentity != ftIdentity {
		t.Errorf("signed report shows identity %q to its filer, want %q", v.SourceIdentity, ftIdentity)
	}
	e, data := ftEntry(t, svc, ru, v.Entry)
	noteSum := sha256.Sum256(msg)
	if e.Author == nil || e.Author.Attestation != truce.AttestedBySignature || e.Author.Key != k.hash || e.Author.Note != hex.EncodeToString(noteSum[:]) {
		t.Errorf("entry author = %+v, want attestation %q, key %s, note %x", e.Author, truce.AttestedBySignature, k.hash, noteSum)
	}
	if bytes.Contains(data, []byte(ftIdentity)) || bytes.Contains(data, msg) {
		t.Errorf("the entry holds the signed note or the identity it carries: %s", data)
	}

	// A signed assessment by a guarantor officer.
	kr := ftNewKey(t, ru)
	if _, err := svc.RegisterKey(ftCtx, ru, kr.vkey); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/reports/" + string(v.ID) + "/assessments"
	var as truce.AssessmentInput
	ctx = ftVerified(t, svc, ru, ftSign(t, kr, ftOrigin, ru.ID, "POST", path, "a1", &truce.AssessmentInput{Verdict: truce.Confirm}), "POST", path, "a1", &as)
	if _, err := svc.Assess(ctx, ru, v.ID, &as); err != nil {
		t.Fatalf("signed Assess = %v", err)
	}

	// A signed, idempotent command: retried, it appends once.
	before = ftLogSize(t, svc)
	in2 := ftFullInput()
	in2.Description = "A second account, signed with a key."
	msg2 := ftSign(t, k, ftOrigin, opp.ID, "POST", "/api/v1/reports", "sig-1", in2)
	var first *workflow.ReportView
	for i := 0; i < 2; i++ {
		var in truce.ReportInput
		got, err := svc.FileReport(ftVerified(t, svc, opp, msg2, "POST", "/api/v1/reports", "sig-1", &in), opp, &in)
		if err != nil {
			t.Fatalf("signed idempotent FileReport %d = %v", i, err)
		}
		if first == nil {
			first = got
		} else if got.ID != first.ID {
			t.Errorf("retry filed %s, want %s", got.ID, first.ID)
		}
	}
	ftWantGrowth(t, svc, "signed idempotent command and retry", before, 1)

	// Unsigned members are still attested by the server.
	w, err := svc.FileReport(ftCtx, other, ftReport(0, "JFS"))
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := ftEntry(t, svc, ru, w.Entry); e.Author.Attestation != truce.AttestedByServer || e.Author.Key != "" || e.Author.Note != "" {
		t.Errorf("unsigned entry author = %+v, want attested by the server", e.Author)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestFtSignedRefused presents notes that do not match the request or the
// member's key: each is refused, about the field "signature": EINVALID
// when the note is for another log, member, route or key, EFORBIDDEN when
// it does not verify with the member's registered key, ETOOLARGE over
// MaxSignedNote.
func TestFtSignedRefused(t *testing.T) {
	svc, op := newService(t)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	opp2 := mustMember(t, svc, op, "OPP", truce.RoleParty)
	keyless := mustMember(t, svc, op, "SYG", truce.RoleParty)
	k, k2 := ftNewKey(t, opp), ftNewKey(t, opp2)
	for _, r := range []struct {
		m *truce.Member
		k *ftKey
	}{{opp, k}, {opp2, k2}} {
		if _, err := svc.RegisterKey(ftCtx, r.m, r.k.vkey); err != nil {
			t.Fatal(err)
		}
	}
	in := ftFullInput()
	const path = "/api/v1/reports"
	good := ftSign(t, k, ftOrigin, opp.ID, "POST", path, "g1", in)
	if _, _, err := svc.VerifySigned(ftCtx, opp, good, "POST", path, "g1"); err != nil {
		t.Fatalf("VerifySigned(good) = %v", err)
	}
	stranger, err := note.NewSigner(ftSKey(t, string(opp.ID)))
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/3] ^= 0x20
	nonCanonical, err := workflow.SignCommand(&workflow.SignedCommand{
		Origin: ftOrigin, Member: opp.ID, Method: "POST", Path: path, Body: []byte(`{ "description": "x" }`),
	}, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	before := ftLogSize(t, svc)
	for _, tc := range []struct {
		name       string
		m          *truce.Member
		msg        []byte
		method     string
		path, idem string
		code       string
	}{
		{"another path", opp, good, "POST", "/api/v1/rfis", "", truce.EINVALID},
		{"another report's path", opp, good, "POST", path + "/rpt_aaaaaaaaaaaaaaaa/replies", "", truce.EINVALID},
		{"another method", opp, good, "PUT", path, "", truce.EINVALID},
		{"an idempotency key the note lacks", opp, good, "POST", path, "k1", truce.EINVALID},
		{"another idempotency key", opp, ftSign(t, k, ftOrigin, opp.ID, "POST", path, "k1", in), "POST", path, "k2", truce.EINVALID},
		{"no idempotency key, the note has one", opp, ftSign(t, k, ftOrigin, opp.ID, "POST", path, "k1", in), "POST", path, "", truce.EINVALID},
		{"another log", opp, ftSign(t, k, "other.example/log", opp.ID, "POST", path, "t1", in), "POST", path, "t1", truce.EINVALID},
		{"another member named", opp, ftSign(t, k, ftOrigin, opp2.ID, "POST", path, "t1", in), "POST", path, "t1", truce.EINVALID},
		{"presented by another member", opp2, good, "POST", path, "", truce.EFORBIDDEN},
		{"presented by a member without a key", keyless, good, "POST", path, "", truce.EINVALID},
		{"signed with another member's key", opp, ftSign(t, k2, ftOrigin, opp.ID, "POST", path, "t1", in), "POST", path, "t1", truce.EFORBIDDEN},
		{"signed with an unregistered key of the same name", opp, ftSign(t, &ftKey{signer: stranger}, ftOrigin, opp.ID, "POST", path, "t1", in), "POST", path, "t1", truce.EFORBIDDEN},
		{"a flipped bit", opp, flipped, "POST", path, "", truce.EFORBIDDEN},
		{"truncated", opp, good[:len(good)-10], "POST", path, "", truce.EFORBIDDEN},
		{"not a note", opp, []byte("{}"), "POST", path, "", truce.EFORBIDDEN},
		{"a body not in canonical form", opp, nonCanonical, "POST", path, "", truce.EFORBIDDEN},
		{"too large", opp, make([]byte, workflow.MaxSignedNote+1), "POST", path, "", truce.ETOOLARGE},
	} {
		body, sub, err := svc.VerifySigned(ftCtx, tc.m, tc.msg, tc.method, tc.path, tc.idem)
		ftWantCode(t, "VerifySigned("+tc.name+")", err, tc.code)
		if tc.code != truce.ETOOLARGE && truce.ErrorField(err) != "signature" {
			t.Errorf("VerifySigned(%s) = %v, want field signature", tc.name, err)
		}
		if body != nil || sub != nil {
			t.Errorf("VerifySigned(%s) gave a body or submission with its error", tc.name)
		}
	}
	ftWantGrowth(t, svc, "refused notes", before, 0)
	mustVerify(t, svc)
}

func ftSKey(tb testing.TB, name string) string {
	tb.Helper()
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		tb.Fatal(err)
	}
	return skey
}

// TestFtKeyRotation replaces a member's key: only with a command signed
// by the old key; afterwards only the new key signs.
func TestFtKeyRotation(t *testing.T) {
	svc, op := newService(t)
	tr := mustMember(t, svc, op, "TR", truce.RoleGuarantor)
	old, next := ftNewKey(t, tr), ftNewKey(t, tr)
	if _, err := svc.RegisterKey(ftCtx, tr, old.vkey); err != nil {
		t.Fatal(err)
	}
	before := ftLogSize(t, svc)
	_, err := svc.RegisterKey(ftCtx, tr, next.vkey)
	ftWantCode(t, "RegisterKey(second key) unsigned", err, truce.EFORBIDDEN)
	const keys = "/api/v1/me/keys"
	_, _, err = svc.VerifySigned(ftCtx, tr, ftSign(t, next, ftOrigin, tr.ID, "POST", keys, "k2", &workflow.KeyInput{Key: next.vkey}), "POST", keys, "")
	ftWantCode(t, "RegisterKey signed by the new key itself", err, truce.EFORBIDDEN)
	ftWantGrowth(t, svc, "refused rotations", before, 0)

	var ki workflow.KeyInput
	ctx := ftVerified(t, svc, tr, ftSign(t, old, ftOrigin, tr.ID, "POST", keys, "k3", &workflow.KeyInput{Key: next.vkey}), "POST", keys, "k3", &ki)
	mk, err := svc.RegisterKey(ctx, tr, ki.Key)
	if err != nil {
		t.Fatalf("RegisterKey signed by the old key = %v", err)
	}
	if mk.Hash != next.hash {
		t.Errorf("key after rotation = %s, want %s", mk.Hash, next.hash)
	}
	e, _ := ftEntry(t, svc, tr, mk.Entry)
	if e.Kind != truce.EntryKeyRegistered || e.Author.Attestation != truce.AttestedBySignature || e.Author.Key != old.hash {
		t.Errorf("rotation entry = %s by %+v, want %s signed with the old key %s", e.Kind, e.Author, truce.EntryKeyRegistered, old.hash)
	}

	const reports = "/api/v1/reports"
	in := ftReport(0, "JFS")
	_, _, err = svc.VerifySigned(ftCtx, tr, ftSign(t, old, ftOrigin, tr.ID, "POST", reports, "r2", in), "POST", reports, "")
	ftWantCode(t, "VerifySigned with the replaced key", err, truce.EFORBIDDEN)
	var signedIn truce.ReportInput
	ctx = ftVerified(t, svc, tr, ftSign(t, next, ftOrigin, tr.ID, "POST", reports, "r3", in), "POST", reports, "r3", &signedIn)
	v, err := svc.FileReport(ctx, tr, &signedIn)
	if err != nil {
		t.Fatalf("FileReport signed with the new key = %v", err)
	}
	if e, _ := ftEntry(t, svc, tr, v.Entry); e.Author.Key != next.hash {
		t.Errorf("report signed with key %s, want the new key %s", e.Author.Key, next.hash)
	}
	mustVerify(t, svc)
	ftRebuildSame(t, svc)
}

// TestFtSignedNoteReplay presents again a guarantor's signed "confirm",
// after the guarantor changed its answer to "dispute". Whoever holds the
// note (it is in the entry's sidecar, which the operator keeps) must not
// be able to record it a second time: the signature vouches for one
// command, and replaying it would change the guarantor's answer without
// its consent.
func TestFtSignedNoteReplay(t *testing.T) {
	svc, op := newService(t)
	ru := mustMember(t, svc, op, "RU", truce.RoleGuarantor)
	opp := mustMember(t, svc, op, "OPP", truce.RoleParty)
	v, err := svc.FileReport(ftCtx, opp, ftReport(0, "SYG"))
	if err != nil {
		t.Fatal(err)
	}
	k := ftNewKey(t, ru)
	if _, err := svc.RegisterKey(ftCtx, ru, k.vkey); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/reports/" + string(v.ID) + "/assessments"
	assess := func(msg []byte, idem string) (*workflow.ReportView, error) {
		var in truce.AssessmentInput
		return svc.Assess(ftVerified(t, svc, ru, msg, "POST", path, idem, &in), ru, v.ID, &in)
	}
	confirm := ftSign(t, k, ftOrigin, ru.ID, "POST", path, "c1", &truce.AssessmentInput{Verdict: truce.Confirm})
	first, err := assess(confirm, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assess(ftSign(t, k, ftOrigin, ru.ID, "POST", path, "d1", &truce.AssessmentInput{Verdict: truce.Dispute, Reason: "Our post saw nothing."}), "d1"); err != nil {
		t.Fatal(err)
	}
	// Sent again, the note gets its first answer and appends nothing: its
	// idempotency key makes it good for one command.
	before := ftLogSize(t, svc)
	got, err := assess(confirm, "c1")
	if err != nil || got.Entry != first.Entry || got.Answers["RU"] != truce.Confirm {
		t.Errorf("replayed note = %+v, %v; want the first answer again", got, err)
	}
	now, err := svc.Report(ftCtx, ru, v.ID)
	if err != nil || now.Answers["RU"] != truce.Dispute {
		t.Errorf("after the replay RU answers %v (%v), want dispute still", now.Answers["RU"], err)
	}
	ftWantGrowth(t, svc, "replayed note", before, 0)
	mustVerify(t, svc)
}
