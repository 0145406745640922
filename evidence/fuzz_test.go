package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"slices"
	"strings"
	"testing"

	"truce"
)

// chunked reads r n bytes at a time at most, as a slow client sends.
type chunked struct {
	r io.Reader
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	return c.r.Read(p[:min(len(p), c.n)])
}

// FuzzUpload checks an evidence upload as the API receives it: a file in
// the multipart field "file", streamed in pieces of any size. The type it
// gets is the one Sniff gives its first SniffLen bytes, however the
// stream is cut; one of MediaTypes, text/csv only for a text file named
// *.csv, and a binary type whatever the name; its hash and size are the
// file's; a refusal is EUNSUPPORTED on the field "file".
func FuzzUpload(f *testing.F) {
	for _, s := range []struct {
		data, name string
	}{
		{"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01", "post.jpg"},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x04\x08\x03\x00\x00\x00", "post.png"},
		{"GIF89a\x04\x00\x04\x00\x80\x00\x00", "post.gif"},
		{"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00", "post.webp"},
		{"II*\x00\x08\x00\x00\x00\x01\x00\x00\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00", "scan.tif"},
		{"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type/Catalog>> endobj\n%%EOF\n", "note.pdf"},
		{"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x10mdat01234567", "patrol.mp4"},
		{"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  \x00\x00\x00\x08wide", "patrol.mov"},
		{"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02", "patrol.webm"},
		{"ID3\x04\x00\x00\x00\x00\x00\x00\xFF\xFB\x90\x00" + strings.Repeat("\x00", 413) + "\xFF\xFB\x90\x00", "call.mp3"},
		{"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead\x01\x02\x38\x01\x80\xBB\x00\x00\x00\x00\x00", "radio.opus"},
		{"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00", "radio.wav"},
		{"Observation post 7, 04:10: three explosions, bearing 220°, ~2 km.\r\n", "post7.txt"},
		{"\uFEFFقصف مدفعي على الأطراف الجنوبية\n", "تقرير.txt"},
		{"date,governorate,killed\n2017-05-06,Idlib,2\n", "POST7.CSV"},
		{"<svg xmlns='http://www.w3.org/2000/svg'/>", "map.svg"},
		{strings.Repeat("é", SniffLen), "long.txt"},
		{"MZ\x90\x00", "setup.exe"},
		{"", "empty.txt"},
	} {
		f.Add([]byte(s.data), s.name, uint16(1))
		f.Add([]byte(s.data), s.name, uint16(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, name string, chunk uint16) {
		// The request body, as a browser or the CLI sends it.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if err := mw.SetBoundary("truce-fuzz-boundary"); err != nil {
			t.Fatal(err)
		}
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
		mw.Close()

		part, err := multipart.NewReader(&body, "truce-fuzz-boundary").NextPart()
		if err != nil || part.FormName() != "file" {
			return // a name with a line break: no client can send it
		}
		filename := part.FileName()
		u := newUpload(io.Discard, filename)
		err = u.copy(&chunked{r: part, n: 1 + int(chunk)%(2*SniffLen)})
		var mediaType string
		if err == nil && u.size > 0 {
			mediaType, err = u.sniff()
		}

		want, ok := Sniff(data[:min(len(data), SniffLen)], filename)
		if len(data) == 0 {
			if err != nil || u.size != 0 {
				t.Fatalf("empty file: size %d, %v", u.size, err)
			}
			return
		}
		if !ok {
			var e *truce.Error
			if !errors.As(err, &e) || e.Code != truce.EUNSUPPORTED || e.Field != "file" {
				t.Fatalf("upload of %q (%q) = %q, %v; want EUNSUPPORTED", data, filename, mediaType, err)
			}
			return
		}
		if err != nil || mediaType != want {
			t.Fatalf("upload of %q (%q) in pieces of %d = %q, %v; Sniff says %q", data, filename, 1+int(chunk)%(2*SniffLen), mediaType, err, want)
		}
		if !slices.Contains(MediaTypes(), mediaType) {
			t.Fatalf("Sniff(%q) = %q, not one of MediaTypes", data, mediaType)
		}
		sum := sha256.Sum256(data)
		if u.sum() != hex.EncodeToString(sum[:]) || u.size != int64(len(data)) {
			t.Fatalf("upload of %q: sha256 %s size %d, want %x %d", data, u.sum(), u.size, sum, len(data))
		}
		isCSV := strings.HasSuffix(strings.ToLower(filename), ".csv")
		switch other, _ := Sniff(data[:min(len(data), SniffLen)], "other.bin"); {
		case mediaType == "text/csv" && !isCSV, mediaType == "text/plain" && isCSV:
			t.Fatalf("Sniff(%q, %q) = %q", data, filename, mediaType)
		case !strings.HasPrefix(mediaType, "text/") && other != mediaType:
			t.Fatalf("Sniff(%q) = %q named %q, %q named other.bin", data, mediaType, filename, other)
		}
	})
}
