package bulletin

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"truce/i18n"
	tlog "truce/log"
)

// signedHeader is the first line of the text a bulletin's signature covers.
const signedHeader = "truce bulletin v1"

// Canonical returns the bulletin's canonical JSON without its signature:
// the bytes its digest is taken of.
func (b *Bulletin) Canonical() ([]byte, error) {
	c := *b
	c.Signature = ""
	return tlog.Canonical(&c)
}

// Digest returns the SHA-256 of the bulletin's canonical JSON without its
// signature.
func (b *Bulletin) Digest() ([32]byte, error) {
	data, err := b.Canonical()
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(data), nil
}

// Signed is what a bulletin's signature says: which bulletin, computed at
// which tree size of which log, has which digest.
type Signed struct {
	Origin   string
	Date     string
	TreeSize int64
	Lang     i18n.Lang
	Digest   [32]byte
}

// Text returns the note text of the signature (see the package
// documentation).
func (s Signed) Text() string {
	return fmt.Sprintf("%s\n%s\n%s\n%d\n%s\n%s\n", signedHeader, s.Origin, s.Date, s.TreeSize, s.Lang,
		base64.StdEncoding.EncodeToString(s.Digest[:]))
}

// parseSigned parses signature note text. Every line must be as Text
// writes it, so that one bulletin has one signed text.
func parseSigned(text string) (Signed, error) {
	var s Signed
	lines := strings.Split(text, "\n")
	if len(lines) != 7 || lines[6] != "" {
		return s, errors.New("bulletin signature: not six lines each ending in a newline")
	}
	if lines[0] != signedHeader {
		return s, fmt.Errorf("bulletin signature: first line %q is not %q", lines[0], signedHeader)
	}
	s.Origin, s.Date = lines[1], lines[2]
	if _, err := ParseDate(s.Date); err != nil {
		return s, fmt.Errorf("bulletin signature: date %q is not YYYY-MM-DD", s.Date)
	}
	n, err := strconv.ParseInt(lines[3], 10, 64)
	if err != nil || n < 1 || strconv.FormatInt(n, 10) != lines[3] {
		return s, fmt.Errorf("bulletin signature: tree size %q is not a positive decimal", lines[3])
	}
	s.TreeSize = n
	if s.Lang, err = i18n.Parse(lines[4]); err != nil {
		return s, fmt.Errorf("bulletin signature: %v", err)
	}
	d, err := base64.StdEncoding.Strict().DecodeString(lines[5])
	if err != nil || len(d) != len(s.Digest) || base64.StdEncoding.EncodeToString(d) != lines[5] {
		return s, fmt.Errorf("bulletin signature: digest %q is not a base64 SHA-256", lines[5])
	}
	copy(s.Digest[:], d)
	return s, nil
}

// Sign signs the bulletin with the log key, whose name must be the
// bulletin's origin, and sets its Signature.
func Sign(b *Bulletin, signer note.Signer) error {
	if signer.Name() != b.Origin {
		return fmt.Errorf("bulletin: key %q does not sign for origin %q", signer.Name(), b.Origin)
	}
	d, err := b.Digest()
	if err != nil {
		return err
	}
	lang, err := ParseLang(b.Lang)
	if err != nil {
		return err
	}
	msg, err := note.Sign(&note.Note{Text: Signed{b.Origin, b.Date, b.TreeSize, lang, d}.Text()}, signer)
	if err != nil {
		return err
	}
	b.Signature = string(msg)
	return nil
}

// OpenSignature verifies a bulletin's signature note with the log's
// verifier and returns what it signs. The note must name the verifier's
// origin.
func OpenSignature(msg string, verifier note.Verifier) (Signed, error) {
	n, err := note.Open([]byte(msg), note.VerifierList(verifier))
	if err != nil {
		return Signed{}, fmt.Errorf("bulletin signature: %w", err)
	}
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return Signed{}, fmt.Errorf("bulletin signature: signature by %s is not canonical base64", s.Name)
		}
	}
	s, err := parseSigned(n.Text)
	if err != nil {
		return s, err
	}
	if s.Origin != verifier.Name() {
		return s, fmt.Errorf("bulletin signature: origin %q is not the log's %q", s.Origin, verifier.Name())
	}
	return s, nil
}
