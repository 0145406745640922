package evidence_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"truce/evidence"
)

// sample is a small valid file of one accepted type, built here so that
// every byte of it is known.
type sample struct {
	name      string // the declared file name
	data      []byte
	mediaType string
}

func samples(tb testing.TB) []sample {
	tb.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	img.SetColorIndex(1, 2, 1)
	encode := func(f func(*bytes.Buffer) error) []byte {
		var buf bytes.Buffer
		if err := f(&buf); err != nil {
			tb.Fatal(err)
		}
		return buf.Bytes()
	}
	// The smallest lossless WebP, 1×1, as browsers' feature tests use it.
	webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	return []sample{
		{"post.png", encode(func(b *bytes.Buffer) error { return png.Encode(b, img) }), "image/png"},
		{"post.jpg", encode(func(b *bytes.Buffer) error { return jpeg.Encode(b, img, nil) }), "image/jpeg"},
		{"post.gif", encode(func(b *bytes.Buffer) error { return gif.Encode(b, img, nil) }), "image/gif"},
		{"post.webp", webp, "image/webp"},
		{"scan.tif", tiffFile(binary.LittleEndian), "image/tiff"},
		{"scan-mm.tif", tiffFile(binary.BigEndian), "image/tiff"},
		{"note.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n" +
			"2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"), "application/pdf"},
		{"patrol.mp4", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x10mdat01234567"), "video/mp4"},
		{"patrol.m4v", []byte("\x00\x00\x00\x14ftypM4V \x00\x00\x00\x01M4V \x00\x00\x00\x08free"), "video/mp4"},
		{"patrol.mov", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  \x00\x00\x00\x08wide"), "video/quicktime"},
		{"patrol.webm", webmFile("webm"), "video/webm"},
		{"call.mp3", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), mpegFrames("\xFF\xFB\x90\x00", 417, 3)...), "audio/mpeg"},
		{"raw.mp3", mpegFrames("\xFF\xFB\x90\x00", 417, 3), "audio/mpeg"},
		{"mpeg2.mp3", mpegFrames("\xFF\xF3\x80\x00", 208, 3), "audio/mpeg"},
		{"radio.opus", oggFile("OpusHead\x01\x02\x38\x01\x80\xBB\x00\x00\x00\x00\x00"), "audio/ogg"},
		{"radio.ogg", oggFile("\x01vorbis\x00\x00\x00\x00\x01\x44\xAC\x00\x00"), "audio/ogg"},
		{"radio.wav", wavFile(), "audio/wav"},
		{"post7.txt", []byte("Observation post 7, 04:10: three explosions, bearing 220°, ~2 km.\r\n"), "text/plain"},
		{"تقرير.txt", []byte("\uFEFFقصف مدفعي على الأطراف الجنوبية\n"), "text/plain"},
		{"post7.csv", []byte("date,governorate,killed\n2017-05-06,Idlib,2\n"), "text/csv"},
		{"POST7.CSV", []byte("date\tgovernorate\n"), "text/csv"},
	}
}

// tiffFile is a 1×1 8-bit grey image without compression.
func tiffFile(order binary.AppendByteOrder) []byte {
	b := []byte("II*\x00")
	if order == binary.BigEndian {
		b = []byte("MM\x00*")
	}
	b = order.AppendUint32(b, 8)
	entries := [][2]uint32{{256, 1}, {257, 1}, {258, 8}, {259, 1}, {262, 1}, {273, 110}, {278, 1}, {279, 1}}
	b = order.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = order.AppendUint16(b, uint16(e[0]))
		b = order.AppendUint16(b, 4) // LONG
		b = order.AppendUint32(b, 1)
		b = order.AppendUint32(b, e[1])
	}
	b = order.AppendUint32(b, 0) // no next directory
	return append(b, 0x80)       // the pixel, at offset 110
}

// webmFile is an EBML header with the given DocType and an empty segment
// of unknown size.
func webmFile(docType string) []byte {
	el := func(id string, data string) string { return id + string([]byte{0x80 | byte(len(data))}) + data }
	header := el("\x42\x86", "\x01") + el("\x42\xF7", "\x01") + el("\x42\xF2", "\x04") + el("\x42\xF3", "\x08") +
		el("\x42\x82", docType) + el("\x42\x87", "\x02") + el("\x42\x85", "\x02")
	return []byte(el("\x1A\x45\xDF\xA3", header) + "\x18\x53\x80\x67\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF")
}

// mpegFrames is n silent frames of length size, each opening with header.
func mpegFrames(header string, size, n int) []byte {
	frame := make([]byte, size)
	copy(frame, header)
	return bytes.Repeat(frame, n)
}

// oggFile is the first page of an Ogg stream holding one packet.
func oggFile(packet string) []byte {
	b := []byte("OggS\x00\x02")
	b = append(b, make([]byte, 8+4+4+4)...) // granule, serial, sequence, CRC
	b = append(b, 1, byte(len(packet)))
	return append(b, packet...)
}

// wavFile is 8 samples of 8-bit mono PCM at 8 kHz.
func wavFile() []byte {
	le := binary.LittleEndian
	b := le.AppendUint32([]byte("RIFF"), 36+8)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	for _, v := range []uint16{1, 1} { // PCM, mono
		b = le.AppendUint16(b, v)
	}
	b = le.AppendUint32(le.AppendUint32(b, 8000), 8000)
	b = le.AppendUint16(le.AppendUint16(b, 1), 8)
	b = le.AppendUint32(append(b, "data"...), 8)
	return append(b, 0x80, 0x90, 0xA0, 0x90, 0x80, 0x70, 0x60, 0x70)
}

func TestSniffAccepts(t *testing.T) {
	for _, s := range samples(t) {
		if got, ok := evidence.Sniff(s.data, s.name); got != s.mediaType || !ok {
			t.Errorf("Sniff(%s) = %q, %v, want %q", s.name, got, ok, s.mediaType)
		}
	}
	text := strings.Repeat("a", evidence.SniffLen-1) + "é" // é cut after its first byte
	long := strings.Repeat("a", evidence.SniffLen) + "\x00"
	for _, tt := range []struct{ name, prefix, filename, want string }{
		{"text cut inside a character", text, "", "text/plain"},
		{"NUL past the window", long, "", "text/plain"},
		{"PNG named .csv", string(samples(t)[0].data), "x.csv", "image/png"},
		{"BigTIFF", "II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00", "", "image/tiff"},
		{"PDF 2.0 header only", "%PDF-2.0", "", "application/pdf"},
		{"one whole MPEG frame", string(mpegFrames("\xFF\xFB\x90\x00", 417, 1)), "", "audio/mpeg"},
		{"MPEG frame longer than the window", string(mpegFrames("\xFF\xFB\xE0\x00", 1044, 1)), "", "audio/mpeg"},
		{"MPEG layer II", string(mpegFrames("\xFF\xFD\x90\x00", 417, 2)), "", "audio/mpeg"},
		{"Matroska padded webm", string(webmFile("webm\x00\x00")), "", "video/webm"},
		{"blank lines", "\n\n", "", "text/plain"},
		{"Russian", "Нарушение режима прекращения огня", "", "text/plain"},
	} {
		if got, ok := evidence.Sniff([]byte(tt.prefix), tt.filename); got != tt.want || !ok {
			t.Errorf("%s: Sniff = %q, %v, want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestSniffRefuses(t *testing.T) {
	text := strings.Repeat("a", evidence.SniffLen-2) + "é"
	for _, tt := range []struct{ name, prefix string }{
		{"empty", ""},
		{"JPEG SOI only", "\xFF\xD8\xFF"},
		{"JPEG no marker", "\xFF\xD8\xFF\xFF"},
		{"PNG signature only", "\x89PNG\r\n\x1a\n"},
		{"PNG without IHDR", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIDAT"},
		{"GIF signature only", "GIF89a"},
		{"GIF8", "GIF8"},
		{"GIF90a", "GIF90a\x01\x00\x01\x00\x00\x00\x00"},
		{"RIFF WEBP without chunk", "RIFF\x1a\x00\x00\x00WEBP"},
		{"RIFF WEBP unknown chunk", "RIFF\x1a\x00\x00\x00WEBPVP9 \x0d\x00\x00\x00"},
		{"RIFF WAVE without chunk", "RIFF\x24\x00\x00\x00WAVE"},
		{"RIFF AVI", "RIFF\x24\x00\x00\x00AVI LIST\x04\x00\x00\x00"},
		{"RIFF", "RIFF"},
		{"TIFF truncated", "II*\x00"},
		{"TIFF offset into header", "II*\x00\x04\x00\x00\x00"},
		{"TIFF wrong magic", "MM\x00\x2b\x00\x00\x00\x08"},
		{"PDF no version", "%PDF-"},
		{"PDF", "%PDF"},
		{"ftyp unknown brand", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"},
		{"ftyp audio brand", "\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom"},
		{"ftyp 3GP", "\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00isom"},
		{"ftyp truncated", "\x00\x00\x00\x18ftypisom"},
		{"ftyp box too small", "\x00\x00\x00\x08ftypisom\x00\x00\x00\x00"},
		{"ftyp box odd size", "\x00\x00\x00\x15ftypisom\x00\x00\x00\x00isom\x00"},
		{"Matroska", string(webmFile("matroska"))},
		{"EBML truncated", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81"},
		{"EBML without DocType", "\x1A\x45\xDF\xA3\x84\x42\x86\x81\x01"},
		{"MPEG frame then garbage", string(mpegFrames("\xFF\xFB\x90\x00", 417, 1)) + "garbage"},
		{"MPEG frame cut short", "\xFF\xFB\x90\x00" + strings.Repeat("\x00", 100)},
		{"MPEG reserved emphasis", string(mpegFrames("\xFF\xFB\x90\x02", 417, 2))},
		{"MPEG bad bitrate", "\xFF\xFB\xF0\x00"},
		{"MPEG reserved rate", "\xFF\xFB\x9C\x00"},
		{"AAC ADTS", "\xFF\xF1\x50\x80\x02\x1F\xFC"},
		{"ID3 version 5", "ID3\x05\x00\x00\x00\x00\x00\x00"},
		{"ID3 bad size", "ID3\x04\x00\x00\x00\x00\x80\x00"},
		{"Ogg Theora", string(oggFile("\x80theora\x03\x02\x01"))},
		{"Ogg without BOS", "OggS\x00\x00" + strings.Repeat("\x00", 20) + "\x01\x13OpusHead"},
		{"Ogg truncated", "OggS\x00\x02\x00\x00"},
		{"OggS", "OggS"},
		{"ZIP", "PK\x03\x04\x14\x00\x00\x00\x08\x00"},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00"},
		{"ELF", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
		{"PE", "MZ\x90\x00\x03\x00\x00\x00"},
		{"BMP", "BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"},
		{"HTML", "<!DOCTYPE html><html><body>ceasefire</body></html>"},
		{"HTML after space and BOM", "\uFEFF \n<script>alert(1)</script>"},
		{"SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
		{"XML", "<?xml version=\"1.0\"?><kml/>"},
		{"UTF-16LE with BOM", "\xFF\xFEh\x00i\x00"},
		{"UTF-16BE with BOM", "\xFE\xFF\x00h\x00i"},
		{"long UTF-16LE with BOM", "\xFF\xFE" + strings.Repeat("h\x00i\x00\n\x00", 50)},
		{"UTF-16LE without BOM", "h\x00i\x00\n\x00"},
		{"text with NUL", "three explosions\x00"},
		{"text with a control byte", "three\x01explosions"},
		{"Latin-1", "caf\xe9"},
		{"lone continuation byte", "abc\x80"},
		{"whole file ending inside a character", text[:len(text)-1]},
	} {
		if got, ok := evidence.Sniff([]byte(tt.prefix), "x.csv"); ok {
			t.Errorf("%s: Sniff(%q) = %q, true, want refused", tt.name, tt.prefix, got)
		}
	}
}

// No truncation of a sample is taken for another binary type: a short
// prefix is refused, taken for text, or still of its own type.
func TestSniffTruncated(t *testing.T) {
	for _, s := range samples(t) {
		for n := range min(len(s.data), evidence.SniffLen) {
			got, ok := evidence.Sniff(s.data[:n], "")
			if ok && got != s.mediaType && !strings.HasPrefix(got, "text/") {
				t.Errorf("Sniff(%s[:%d]) = %q, want %q, text or refused", s.name, n, got, s.mediaType)
			}
		}
	}
}

func ExampleSniff() {
	fmt.Println(evidence.Sniff([]byte("%PDF-1.7\n"), "report.pdf"))
	fmt.Println(evidence.Sniff([]byte("date,killed\n"), "post7.csv"))
	fmt.Println(evidence.Sniff([]byte("PK\x03\x04"), "post7.csv"))
	// Output:
	// application/pdf true
	// text/csv true
	//  false
}
