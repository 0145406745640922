package log

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"truce"
)

// EntryHeader starts every encoded entry.
const EntryHeader = "truce-entry v1\n"

// MaxEntrySize bounds an encoded entry. The API's body limits keep entries
// far below it; an entry over it is refused rather than stored.
const MaxEntrySize = 1 << 20

// EncodeEntry returns the canonical bytes of e. The time is written in UTC.
func EncodeEntry(e *truce.Entry) ([]byte, error) {
	c := *e
	c.Time = c.Time.UTC()
	if c.Author != nil {
		a := *c.Author
		c.Author = &a
	}
	body, err := Canonical(&c)
	if err != nil {
		return nil, fmt.Errorf("encode entry %d: %w", e.Index, err)
	}
	b := make([]byte, 0, len(EntryHeader)+len(body))
	b = append(append(b, EntryHeader...), body...)
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
	p, err := Canonical(payload)
	if err != nil {
		return nil, fmt.Errorf("entry %d (%s): payload: %w", index, kind, err)
	}
	return &truce.Entry{Index: index, Kind: kind, Time: t.UTC(), Author: author, Payload: p}, nil
}
