package witness_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce/witness"
)

// The signed message of c2sp.org/tlog-cosignature's example.
func TestCosignedMessage(t *testing.T) {
	text := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	want := "cosignature/v1\ntime 1679315147\n" + text
	if got := string(witness.CosignedMessage(text, 1679315147)); got != want {
		t.Errorf("CosignedMessage = %q, want %q", got, want)
	}
}

func TestKeys(t *testing.T) {
	skey, vkey, err := witness.GenerateKey("truce.test/witness/IR")
	if err != nil {
		t.Fatal(err)
	}
	s, err := witness.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := witness.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if s.VerifierKey() != vkey || v.String() != vkey || v.KeyHash() != s.KeyHash() || v.Name() != "truce.test/witness/IR" {
		t.Errorf("keys do not agree: %q, %q, %q", s.VerifierKey(), v.String(), vkey)
	}
	// The vkey's material is the signature type 0x04 and 32 bytes.
	head, material := vkey[:len("truce.test/witness/IR+00000000+")], vkey[len("truce.test/witness/IR+00000000+"):]
	b, _ := base64.StdEncoding.DecodeString(material)
	if len(b) != 33 || b[0] != 0x04 {
		t.Errorf("vkey material %x, want 0x04 and a 32-byte key", b)
	}
	for _, bad := range []string{
		"", "a+b", "name+0000000+AQ==", "with space+00000000+" + material,
		strings.Replace(vkey, "+", "+0", 1)[:len(vkey)],                       // another hash
		head + base64.StdEncoding.EncodeToString(append([]byte{1}, b[1:]...)), // type 0x01
	} {
		if _, err := witness.NewVerifier(bad); err == nil {
			t.Errorf("NewVerifier(%q) succeeded", bad)
		}
	}
	if _, err := witness.NewSigner(vkey); err == nil {
		t.Error("NewSigner of a vkey succeeded")
	}
	if _, _, err := witness.GenerateKey("two words"); err == nil {
		t.Error("GenerateKey(\"two words\") succeeded")
	}
}

// Every bit flipped in a cosignature line makes the note fail, and a
// zero timestamp is refused.
func TestCosignatureMangled(t *testing.T) {
	skey, _, _ := witness.GenerateKey("truce.test/witness/TR")
	s, _ := witness.NewSigner(skey)
	s.Now = func() time.Time { return time.Unix(1679315147, 0) }
	text := "truce.test/log\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	v := s.Verifier()
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if ts, ok := v.Timestamp(string(msg[len(text)+1:])); !ok || ts.Unix() != 1679315147 {
		t.Errorf("Timestamp = %v, %v; want 1679315147", ts, ok)
	}
	line := msg[len(text)+1:]
	prefix := len("— truce.test/witness/TR ")
	sig, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(line[prefix:])))
	for i := range len(sig) * 8 {
		m := append([]byte(nil), sig...)
		m[i/8] ^= 1 << (i % 8)
		bad := text + "\n" + string(line[:prefix]) + base64.StdEncoding.EncodeToString(m) + "\n"
		if _, err := note.Open([]byte(bad), note.VerifierList(v)); err == nil {
			t.Fatalf("bit %d flipped: the note still verifies", i)
		}
	}
	zero := append([]byte(nil), sig...)
	copy(zero[4:12], make([]byte, 8))
	if v.Verify([]byte(text), zero[4:]) {
		t.Error("a cosignature with a zero timestamp verifies")
	}
}
