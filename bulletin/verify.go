package bulletin

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strings"

	tlog "truce/log"
)

// File is what a bulletin file says of itself, before anything is
// checked: its format, and the checkpoint and signature notes it carries.
type File struct {
	Format     Format
	Checkpoint string
	Signature  string
	data       []byte
}

// ParseFile reads a bulletin file of any format. The format is told by
// the content: a JSON object, an HTML page, the CSV's header, or else
// Markdown.
func ParseFile(data []byte) (*File, error) {
	f := &File{data: data}
	trimmed := bytes.TrimSpace(data)
	var err error
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		f.Format = JSON
		var v struct {
			Checkpoint string `json:"checkpoint"`
			Signature  string `json:"signature"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("bulletin: not a JSON bulletin: %w", err)
		}
		f.Checkpoint, f.Signature = v.Checkpoint, v.Signature
	case bytes.HasPrefix(trimmed, []byte("<!DOCTYPE html>")):
		f.Format = HTML
		f.Checkpoint, err = between(data, htmlCheckpointOpen, htmlPreClose, html.UnescapeString)
		if err == nil {
			f.Signature, err = between(data, htmlSignatureOpen, htmlPreClose, html.UnescapeString)
		}
	case bytes.HasPrefix(trimmed, []byte("date,pcode,name,")):
		f.Format = CSV
		err = f.parseCSV()
	default:
		f.Format = Markdown
		f.Checkpoint, err = between(data, mdCheckpointFence+"\n", "```\n", nil)
		if err == nil {
			f.Signature, err = between(data, mdSignatureFence+"\n", "```\n", nil)
		}
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// between returns the text after open up to the next close, unescaped;
// "" when open is absent.
func between(data []byte, open, close string, unescape func(string) string) (string, error) {
	i := bytes.Index(data, []byte(open))
	if i < 0 {
		return "", nil
	}
	rest := data[i+len(open):]
	j := bytes.Index(rest, []byte(close))
	if j < 0 {
		return "", fmt.Errorf("bulletin: %q is not closed by %q", open, close)
	}
	s := string(rest[:j])
	if unescape != nil {
		s = unescape(s)
	}
	return s, nil
}

func (f *File) parseCSV() error {
	r := csv.NewReader(bytes.NewReader(f.data))
	recs, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("bulletin: not a CSV bulletin: %w", err)
	}
	for _, rec := range recs {
		if len(rec) < 3 {
			continue
		}
		switch rec[1] {
		case csvCheckpoint:
			f.Checkpoint = rec[2]
		case csvSignature:
			f.Signature = rec[2]
		}
	}
	return nil
}

// maxDifferences bounds the differences Diff lists.
const maxDifferences = 20

// Diff compares the file with want, the bulletin recomputed from the log
// and given the file's signature, rendered in the file's format. It
// returns what differs, nothing when they match. JSON matches when its
// canonical form is the same (indentation may differ; the signature covers
// the canonical form); the other formats must match byte for byte.
func (f *File) Diff(want *Bulletin) ([]string, error) {
	data, err := Bytes(want, f.Format)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(data, f.data) {
		return nil, nil
	}
	if f.Format == JSON {
		return diffJSON(f.data, data)
	}
	return diffLines(f.data, data), nil
}

// diffJSON lists the paths whose values differ between two JSON
// documents.
func diffJSON(got, want []byte) ([]string, error) {
	decode := func(b []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
	g, err := decode(got)
	if err != nil {
		return []string{fmt.Sprintf("the file is not JSON: %v", err)}, nil
	}
	w, err := decode(want)
	if err != nil {
		return nil, err
	}
	var out []string
	walkDiff("", g, w, &out)
	if len(out) == 0 {
		gc, err1 := tlog.Canonicalize(got)
		wc, err2 := tlog.Canonicalize(want)
		if err := errors.Join(err1, err2); err != nil || !bytes.Equal(gc, wc) {
			out = append(out, "the JSON differs in encoding (numbers or duplicate keys)")
		}
	}
	if len(out) > maxDifferences {
		out = append(out[:maxDifferences], fmt.Sprintf("… and %d more", len(out)-maxDifferences))
	}
	return out, nil
}

func walkDiff(path string, got, want any, out *[]string) {
	at := path
	if at == "" {
		at = "(the document)"
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: file %s, log %s", at, short(got), short(want)))
			return
		}
		keys := map[string]bool{}
		for k := range g {
			keys[k] = true
		}
		for k := range w {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			p := k
			if path != "" {
				p = path + "." + k
			}
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				*out = append(*out, fmt.Sprintf("%s: missing from the file, log %s", p, short(wv)))
			case !wok:
				*out = append(*out, fmt.Sprintf("%s: file %s, not in the log's", p, short(gv)))
			default:
				walkDiff(p, gv, wv, out)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: file %s, log %s", at, short(got), short(want)))
			return
		}
		if len(g) != len(w) {
			*out = append(*out, fmt.Sprintf("%s: file has %d items, log %d", at, len(g), len(w)))
		}
		for i := range min(len(g), len(w)) {
			walkDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], out)
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			*out = append(*out, fmt.Sprintf("%s: file %s, log %s", at, short(got), short(want)))
		}
	}
}

// short writes a JSON value briefly.
func short(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// diffLines lists the lines that differ, by number, up to maxDifferences.
func diffLines(got, want []byte) []string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	var out []string
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl == wl && i < len(g) && i < len(w) {
			continue
		}
		if len(out) == maxDifferences {
			out = append(out, "… and more")
			break
		}
		switch {
		case i >= len(g):
			out = append(out, fmt.Sprintf("line %d: missing from the file, log %q", i+1, clipLine(wl)))
		case i >= len(w):
			out = append(out, fmt.Sprintf("line %d: file %q, not in the log's", i+1, clipLine(gl)))
		default:
			out = append(out, fmt.Sprintf("line %d: file %q, log %q", i+1, clipLine(gl), clipLine(wl)))
		}
	}
	return out
}

func clipLine(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
