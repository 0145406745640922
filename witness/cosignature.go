package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	tlog "truce/log"
)

// algCosignatureV1 is the signed-note signature type of timestamped Ed25519
// checkpoint cosignatures (c2sp.org/tlog-cosignature).
const algCosignatureV1 = 0x04

// maxTimestamp is the largest timestamp a cosignature may carry: 2^63 - 1.
const maxTimestamp = 1<<63 - 1

// CosignedMessage returns the bytes an Ed25519 cosignature/v1 signs: the
// header line, the timestamp line and the checkpoint's note text (with its
// final newline, without signature lines).
func CosignedMessage(text string, timestamp uint64) []byte {
	return fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s", timestamp, text)
}

// keyHash is the key ID of an Ed25519 cosigner key:
// SHA-256(name || "\n" || 0x04 || public key)[:4], big-endian.
func keyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', algCosignatureV1})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil)[:4])
}

// ValidName reports whether s can name a cosigner: what the note format
// allows in a key name, the same rule as a log's origin (non-empty, no
// spaces, no '+', at most 200 bytes).
func ValidName(s string) bool { return tlog.ValidOrigin(s) }

// GenerateKey returns a new cosigner key named name: the private key and
// the verifier key (vkey), in the text forms NewSigner and NewVerifier
// read. The private key is "PRIVATE+KEY+name+hash+base64(0x04 || seed)",
// the form the note package uses for its own keys; the vkey is
// "name+hash+base64(0x04 || public key)" as c2sp.org/signed-note says.
func GenerateKey(name string) (skey, vkey string, err error) {
	if !ValidName(name) {
		return "", "", fmt.Errorf("witness name %q: must be non-empty, at most 200 bytes, without spaces or '+'", name)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	h := keyHash(name, pub)
	skey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, h, base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, priv.Seed()...)))
	vkey = fmt.Sprintf("%s+%08x+%s", name, h, base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, pub...)))
	return skey, vkey, nil
}

// splitKey parses "name+hash+base64(0x04 || key)" and checks the key's
// length and, once the public key is known, its hash.
func splitKey(s string, keyLen int) (name string, hash uint32, key []byte, err error) {
	parts := strings.SplitN(strings.TrimSpace(s), "+", 3)
	if len(parts) != 3 {
		return "", 0, nil, fmt.Errorf("key: want name+hash+key, three parts separated by '+'")
	}
	name = parts[0]
	if !ValidName(name) {
		return "", 0, nil, fmt.Errorf("key: name %q is not a valid key name", name)
	}
	if len(parts[1]) != 8 {
		return "", 0, nil, fmt.Errorf("key: hash %q is not 8 hex digits", parts[1])
	}
	h, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return "", 0, nil, fmt.Errorf("key: hash %q is not 8 hex digits", parts[1])
	}
	b, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(b) != 1+keyLen {
		return "", 0, nil, fmt.Errorf("key: key material is not base64 of %d bytes", 1+keyLen)
	}
	if b[0] != algCosignatureV1 {
		return "", 0, nil, fmt.Errorf("key: signature type 0x%02x is not 0x04 (Ed25519 cosignature/v1)", b[0])
	}
	return name, uint32(h), b[1:], nil
}

// Signer makes timestamped Ed25519 cosignatures. It implements
// note.Signer, so note.Sign adds its cosignature to a checkpoint.
type Signer struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
	// Now gives the timestamp of each cosignature; time.Now if nil.
	Now func() time.Time
}

// NewSigner parses a private key made by GenerateKey.
func NewSigner(skey string) (*Signer, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(skey), "PRIVATE+KEY+")
	if !ok {
		return nil, fmt.Errorf("witness key: does not begin with PRIVATE+KEY+")
	}
	name, h, seed, err := splitKey(rest, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("witness %w", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if keyHash(name, priv.Public().(ed25519.PublicKey)) != h {
		return nil, fmt.Errorf("witness key: hash %08x is not the key's", h)
	}
	return &Signer{name: name, hash: h, key: priv}, nil
}

func (s *Signer) Name() string    { return s.name }
func (s *Signer) KeyHash() uint32 { return s.hash }

// Sign returns the timestamped signature of the note text msg: eight bytes
// of big-endian POSIX time, then the Ed25519 signature of CosignedMessage.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now().Unix()
	if t <= 0 {
		return nil, fmt.Errorf("cosignature: the clock says %d, before 1970", t)
	}
	sig := binary.BigEndian.AppendUint64(nil, uint64(t))
	return append(sig, ed25519.Sign(s.key, CosignedMessage(string(msg), uint64(t)))...), nil
}

// Verifier returns the signer's verifier.
func (s *Signer) Verifier() *Verifier {
	return &Verifier{name: s.name, hash: s.hash, key: s.key.Public().(ed25519.PublicKey)}
}

// VerifierKey returns the signer's vkey.
func (s *Signer) VerifierKey() string { return s.Verifier().String() }

// Verifier checks Ed25519 cosignature/v1 signatures. It implements
// note.Verifier.
type Verifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

// NewVerifier parses a vkey made by GenerateKey.
func NewVerifier(vkey string) (*Verifier, error) {
	name, h, pub, err := splitKey(vkey, ed25519.PublicKeySize)
	if err != nil {
		return nil, fmt.Errorf("witness verifier %w", err)
	}
	if keyHash(name, pub) != h {
		return nil, fmt.Errorf("witness verifier key: hash %08x is not the key's", h)
	}
	return &Verifier{name: name, hash: h, key: pub}, nil
}

func (v *Verifier) Name() string    { return v.name }
func (v *Verifier) KeyHash() uint32 { return v.hash }

// Verify checks a timestamped signature of the note text msg. A zero
// timestamp, which makes no statement about time, is refused: witnesses
// must not omit it.
func (v *Verifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t == 0 || t > maxTimestamp {
		return false
	}
	return ed25519.Verify(v.key, CosignedMessage(string(msg), t), sig[8:])
}

// String returns the vkey.
func (v *Verifier) String() string {
	return fmt.Sprintf("%s+%08x+%s", v.name, v.hash, base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, v.key...)))
}

// Timestamp returns the time a cosignature line by v says it was made,
// and whether the line is v's: "— name base64(hash || timestamp || sig)".
// It does not verify the signature.
func (v *Verifier) Timestamp(line string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "— "+v.name+" ")
	if !ok {
		return time.Time{}, false
	}
	// Strict decoding still skips \r and \n: the line must also be the
	// one encoding of its bytes.
	b, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil || len(b) != 4+8+ed25519.SignatureSize || binary.BigEndian.Uint32(b) != v.hash ||
		base64.StdEncoding.EncodeToString(b) != rest {
		return time.Time{}, false
	}
	t := binary.BigEndian.Uint64(b[4:12])
	if t > maxTimestamp {
		return time.Time{}, false
	}
	return time.Unix(int64(t), 0).UTC(), true
}

var (
	_ note.Signer   = (*Signer)(nil)
	_ note.Verifier = (*Verifier)(nil)
)
