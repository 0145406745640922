package log

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"truce"
)

// EntryHeader starts every encoded entry.
const EntryHeader = "truce-entry v1\n"

// MaxEntrySize bounds an encoded entry. The API's limits keep entries
// below it (the largest are zones of up to 50,000 vertices); an entry over
// it is refused rather than stored.
const MaxEntrySize = 4 << 20

// EncodeEntry returns the canonical bytes of e. The time is written in UTC;
// the payload, which must be a JSON object, is written canonically.
func EncodeEntry(e *truce.Entry) ([]byte, error) {
	p, err := Canonicalize(e.Payload)
	if err != nil {
		return nil, fmt.Errorf("encode entry %d: payload: %w", e.Index, err)
	}
	return encode(e, p)
}

// encode writes the entry's members in key order around a payload that is
// already canonical: the entry is an object of known shape, so there is no
// need to parse it again.
func encode(e *truce.Entry, payload []byte) ([]byte, error) {
	if len(payload) == 0 || payload[0] != '{' {
		return nil, fmt.Errorf("encode entry %d: payload is not a JSON object", e.Index)
	}
	if y := e.Time.UTC().Year(); y < 0 || y > 9999 {
		// RFC 3339 has four-digit years.
		return nil, fmt.Errorf("encode entry %d: time %v is outside years 0000 to 9999", e.Index, e.Time)
	}
	b := make([]byte, 0, len(EntryHeader)+len(payload)+192)
	b = append(b, EntryHeader...)
	b = append(b, '{')
	if a := e.Author; a != nil {
		b = append(b, `"author":{"attestation":`...)
		b = appendString(b, a.Attestation)
		b = appendOptional(b, "key", a.Key)
		b = append(b, `,"member":`...)
		b = appendString(b, string(a.Member))
		b = appendOptional(b, "note", a.Note)
		b = append(b, `,"organisation":`...)
		b = appendString(b, string(a.Organisation))
		b = append(b, `,"role":`...)
		b = appendString(b, string(a.Role))
		b = append(b, "},"...)
	}
	b = append(b, `"index":`...)
	b = FormatNumber(b, float64(e.Index))
	b = append(b, `,"kind":`...)
	b = appendString(b, string(e.Kind))
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, `,"time":"`...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `"}`...)
	if len(b) > MaxEntrySize {
		return nil, fmt.Errorf("encode entry %d: %d bytes is over the %d-byte limit", e.Index, len(b), MaxEntrySize)
	}
	return b, nil
}

// DecodeEntry parses the bytes of an entry and checks that they are
// canonical: that encoding the parsed entry gives back the same bytes.
func DecodeEntry(b []byte) (*truce.Entry, error) {
	if !bytes.HasPrefix(b, []byte(EntryHeader)) {
		return nil, fmt.Errorf("entry: does not start with %q", EntryHeader)
	}
	dec := json.NewDecoder(bytes.NewReader(b[len(EntryHeader):]))
	dec.DisallowUnknownFields()
	var e truce.Entry
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("entry: %w", err)
	}
	if len(e.Payload) == 0 || e.Payload[0] != '{' {
		return nil, fmt.Errorf("entry %d: payload is not a JSON object", e.Index)
	}
	if e.Time.Location() != time.UTC {
		return nil, fmt.Errorf("entry %d: time is not in UTC", e.Index)
	}
	again, err := EncodeEntry(&e)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, b) {
		return nil, fmt.Errorf("entry %d: not in canonical form", e.Index)
	}
	return &e, nil
}

// DecodePayload decodes the payload of e into v, refusing unknown fields.
func DecodePayload(e *truce.Entry, v any) error {
	dec := json.NewDecoder(bytes.NewReader(e.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("entry %d (%s): payload: %w", e.Index, e.Kind, err)
	}
	return nil
}

// NewEntry builds an entry with the payload encoded.
func NewEntry(index int64, kind truce.EntryKind, t time.Time, author *truce.Author, payload any) (*truce.Entry, error) {
	e, _, err := BuildEntry(index, kind, t, author, payload)
	return e, err
}

// BuildEntry builds an entry and its canonical bytes in one pass: it is
// NewEntry and EncodeEntry without encoding the payload twice.
func BuildEntry(index int64, kind truce.EntryKind, t time.Time, author *truce.Author, payload any) (*truce.Entry, []byte, error) {
	p, ok := appendPayload(nil, payload)
	if !ok || !utf8.Valid(p) {
		var err error
		if p, err = Canonical(payload); err != nil {
			return nil, nil, fmt.Errorf("entry %d (%s): payload: %w", index, kind, err)
		}
	}
	e := &truce.Entry{Index: index, Kind: kind, Time: t.UTC(), Author: author, Payload: p}
	b, err := encode(e, p)
	if err != nil {
		return nil, nil, err
	}
	return e, b, nil
}
