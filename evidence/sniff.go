package evidence

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
)

// SniffLen is how many leading bytes Sniff looks at. A shorter prefix is
// taken to be the whole file.
const SniffLen = 512

// mediaTypes are the types Sniff accepts, in the order it tries them; text
// comes last, since many binary headers are valid UTF-8.
var mediaTypes = []string{
	"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff",
	"application/pdf", "video/mp4", "video/quicktime", "video/webm",
	"audio/mpeg", "audio/ogg", "audio/wav", "text/plain", "text/csv",
}

// MediaTypes returns the media types an evidence file may have, for forms
// and API documents that list them.
func MediaTypes() []string { return slices.Clone(mediaTypes) }

// signatures are the binary formats, each recognised by its magic bytes and
// the few header fields after them that any valid file has. The checks are
// written here, not borrowed from net/http.DetectContentType, because that
// one tells apart neither WebM from Matroska, nor MP4 brands, nor audio
// Ogg from video, and because the answer must not change with Go's
// version: the server sniffs again every file it serves.
var signatures = []struct {
	mediaType string
	match     func(p []byte) bool
}{
	{"image/jpeg", isJPEG},
	{"image/png", isPNG},
	{"image/gif", isGIF},
	{"image/webp", isWebP},
	{"image/tiff", isTIFF},
	{"application/pdf", isPDF},
	{"video/mp4", func(p []byte) bool { return ftypType(p) == "video/mp4" }},
	{"video/quicktime", func(p []byte) bool { return ftypType(p) == "video/quicktime" }},
	{"video/webm", isWebM},
	{"audio/mpeg", isMPEGAudio},
	{"audio/ogg", isOggAudio},
	{"audio/wav", isWAV},
}

// Sniff returns the media type of a file from its first bytes (at most
// SniffLen are read; pass fewer only when the file is shorter), and false
// when the file is of no type MediaTypes lists. filename, the name a client
// declared, may be empty; it only decides between text/csv (a name ending in
// ".csv", in any case) and text/plain, and never makes binary content text.
//
// Text is UTF-8 with no NUL and no other control character than tab, line
// feed, vertical tab, form feed and carriage return; a prefix of SniffLen
// bytes may end inside a character. Text that opens with '<' is taken for
// markup (HTML, XML, SVG) and refused, as is text that opens with the magic
// of a binary format whose header is broken ("%PDF", "GIF8", "RIFF", "OggS").
func Sniff(prefix []byte, filename string) (mediaType string, ok bool) {
	truncated := len(prefix) >= SniffLen
	if truncated {
		prefix = prefix[:SniffLen]
	}
	for _, sig := range signatures {
		if sig.match(prefix) {
			return sig.mediaType, true
		}
	}
	if !isText(prefix, truncated) {
		return "", false
	}
	if strings.HasSuffix(strings.ToLower(filename), ".csv") {
		return "text/csv", true
	}
	return "text/plain", true
}

// isJPEG: the SOI marker, then any other marker.
func isJPEG(p []byte) bool {
	return len(p) >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF && p[3] >= 0xC0 && p[3] != 0xFF
}

// isPNG: the signature, then the IHDR chunk that must come first.
func isPNG(p []byte) bool {
	return bytes.HasPrefix(p, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"))
}

// isGIF: the signature and a whole logical screen descriptor.
func isGIF(p []byte) bool {
	return len(p) >= 13 && (bytes.HasPrefix(p, []byte("GIF87a")) || bytes.HasPrefix(p, []byte("GIF89a")))
}

// isTIFF: the byte order, 42 (or 43 for BigTIFF) and the offset of the
// first directory, which cannot point into the header.
func isTIFF(p []byte) bool {
	if len(p) < 8 {
		return false
	}
	var order binary.ByteOrder
	switch string(p[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return false
	}
	switch order.Uint16(p[2:]) {
	case 42:
		return order.Uint32(p[4:]) >= 8
	case 43: // BigTIFF: 8-byte offsets
		return len(p) >= 16 && order.Uint16(p[4:]) == 8 && order.Uint16(p[6:]) == 0 && order.Uint64(p[8:]) >= 16
	}
	return false
}

// isPDF: "%PDF-" and a version, "1.7" or "2.0", at the very start.
func isPDF(p []byte) bool {
	return len(p) >= 8 && bytes.HasPrefix(p, []byte("%PDF-")) &&
		isDigit(p[5]) && p[6] == '.' && isDigit(p[7])
}

// riff returns the form type of a RIFF file whose first chunk header is
// present ("WEBP", "WAVE", "AVI "…), or "".
func riff(p []byte) string {
	if len(p) < 20 || !bytes.HasPrefix(p, []byte("RIFF")) || !isFourCC(p[12:16]) {
		return ""
	}
	return string(p[8:12])
}

// isWebP: a RIFF WEBP file whose first chunk is lossy, lossless or extended.
func isWebP(p []byte) bool {
	if riff(p) != "WEBP" {
		return false
	}
	switch string(p[12:16]) {
	case "VP8 ", "VP8L", "VP8X":
		return true
	}
	return false
}

// isWAV: a RIFF WAVE file.
func isWAV(p []byte) bool { return riff(p) == "WAVE" }

// brokenMagic are binary signatures that are also text; a file opening
// with one that no signature matched is a broken file, not text.
var brokenMagic = []string{"%PDF", "GIF8", "RIFF", "OggS"}

// isText reports whether p is UTF-8 text, as Sniff documents. When
// truncated, p may end inside a character.
func isText(p []byte, truncated bool) bool {
	if len(p) == 0 {
		return false
	}
	for _, m := range brokenMagic {
		if bytes.HasPrefix(p, []byte(m)) {
			return false
		}
	}
	if truncated {
		for i := 1; i <= utf8.UTFMax-1 && i <= len(p); i++ {
			if utf8.RuneStart(p[len(p)-i]) {
				if !utf8.FullRune(p[len(p)-i:]) {
					p = p[:len(p)-i]
				}
				break
			}
		}
	}
	if !utf8.Valid(p) {
		return false
	}
	for _, c := range p {
		if c < 0x20 && (c < '\t' || c > '\r') {
			return false
		}
	}
	body := bytes.TrimLeft(bytes.TrimPrefix(p, []byte("\uFEFF")), " \t\n\v\f\r")
	return len(body) == 0 || body[0] != '<'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isFourCC: four printable ASCII bytes, as RIFF and ISO BMFF name things.
func isFourCC(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return len(b) == 4
}
