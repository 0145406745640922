package log

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/mod/sumdb/note"
)

// Checkpoint is the body of a C2SP tlog-checkpoint: a log's origin, its size
// and the root hash of its tree at that size.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   Hash
}

// Text returns the checkpoint's note text.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ParseCheckpoint parses checkpoint note text. It accepts extension lines
// (and ignores them, as the specification allows) but nothing else: the
// origin must be non-empty, the size decimal without leading zeros, the root
// 32 bytes of standard base64, and every line must end in a newline.
func ParseCheckpoint(text string) (Checkpoint, error) {
	var c Checkpoint
	if !strings.HasSuffix(text, "\n") {
		return c, errors.New("checkpoint: text does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return c, errors.New("checkpoint: fewer than three lines")
	}
	for i, l := range lines {
		if l == "" {
			return c, fmt.Errorf("checkpoint: line %d is empty", i+1)
		}
	}
	c.Origin = lines[0]
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return c, fmt.Errorf("checkpoint: size %q is not a decimal without leading zeros", lines[1])
	}
	c.Size = n
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != len(c.Root) || base64.StdEncoding.EncodeToString(root) != lines[2] {
		return c, fmt.Errorf("checkpoint: root %q is not a base64 SHA-256 hash", lines[2])
	}
	copy(c.Root[:], root)
	return c, nil
}

// SignCheckpoint returns the checkpoint as a signed note.
func SignCheckpoint(c Checkpoint, signer note.Signer) ([]byte, error) {
	if signer.Name() != c.Origin {
		return nil, fmt.Errorf("checkpoint: key %q does not sign for origin %q", signer.Name(), c.Origin)
	}
	return note.Sign(&note.Note{Text: c.Text()}, signer)
}

// OpenCheckpoint verifies a signed checkpoint with the log's verifier and
// parses it. The origin must be the verifier's name. Signatures by other
// keys (witnesses' cosignatures) are allowed and returned in the note.
func OpenCheckpoint(msg []byte, verifier note.Verifier) (Checkpoint, *note.Note, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("checkpoint: %w", err)
	}
	// note.Open decodes signatures leniently: the log's signature with
	// non-zero base64 padding bits would still verify, giving the same signed
	// checkpoint a second encoding. Refuse it, as ParseCheckpoint refuses
	// such a root hash.
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return Checkpoint{}, nil, fmt.Errorf("checkpoint: signature by %s is not canonical base64", s.Name)
		}
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return c, nil, err
	}
	if c.Origin != verifier.Name() {
		return c, nil, fmt.Errorf("checkpoint: origin %q is not the log's %q", c.Origin, verifier.Name())
	}
	return c, n, nil
}

// ValidOrigin reports whether s can name a log: what the note format
// allows in a key name (no spaces, no '+'), at most 200 bytes.
func ValidOrigin(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || r == '+' || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// GenerateKey returns a new Ed25519 signer key and its verifier key, in the
// note package's text form, named origin.
func GenerateKey(origin string) (skey, vkey string, err error) {
	if !ValidOrigin(origin) {
		return "", "", fmt.Errorf("log origin %q: must be non-empty, at most 200 bytes, without spaces or '+'", origin)
	}
	return note.GenerateKey(rand.Reader, origin)
}

// NewSigner parses a signer key made by GenerateKey.
func NewSigner(skey string) (note.Signer, error) {
	return note.NewSigner(strings.TrimSpace(skey))
}

// NewVerifier parses a verifier key made by GenerateKey.
func NewVerifier(vkey string) (note.Verifier, error) {
	return note.NewVerifier(strings.TrimSpace(vkey))
}
