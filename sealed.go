package truce

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
)

// Restricted values are never written into the log's public bytes: an
// entry carries a salted commitment to each, and the value with its salt is
// kept beside the entry (its Sidecar), which only the store's owner and the
// readers the disclosure policy allows ever see. The log stays shareable in
// full, and still binds every restricted value: a sidecar that does not
// match its commitment fails `truce log verify`.

// SealedRef is what a payload holds in place of a restricted value:
// {"sealed": "sha256:<64 hex>"}.
type SealedRef struct {
	Sealed string `json:"sealed"`
}

var sealedPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// Valid reports whether the reference has the form of a commitment.
func (r *SealedRef) Valid() bool { return r != nil && sealedPattern.MatchString(r.Sealed) }

// SealedValue is a restricted value and the salt of its commitment, as a
// sidecar keeps them.
type SealedValue struct {
	Salt  []byte          `json:"salt"`  // 32 random bytes, base64 in JSON
	Value json.RawMessage `json:"value"` // the value, as canonical JSON
}

// Commit returns the commitment to a field's value: "sha256:" and the hex
// SHA-256 of "truce-sealed v1", a newline, the field's name, a newline, the
// salt, and the value's canonical JSON. The field name binds the value to
// its place; the salt keeps a guessable value (a name, a coordinate) from
// being found by trying candidates against the hash.
func Commit(field string, v SealedValue) SealedRef {
	h := sha256.New()
	fmt.Fprintf(h, "truce-sealed v1\n%s\n", field)
	h.Write(v.Salt)
	h.Write(v.Value)
	return SealedRef{Sealed: "sha256:" + hex.EncodeToString(h.Sum(nil))}
}

// Sidecar is what an entry keeps beside its public bytes: the restricted
// values its payload commits to, by field, and the signed note it was
// submitted as, when its author signed it. Sidecars are not hashed into the
// tree: their content is bound by the commitments and note hashes that the
// entry carries.
type Sidecar struct {
	Sealed map[string]SealedValue `json:"sealed,omitempty"`
	Note   string                 `json:"note,omitempty"`
}

// Empty reports whether the sidecar holds nothing.
func (s *Sidecar) Empty() bool { return s == nil || (len(s.Sealed) == 0 && s.Note == "") }
