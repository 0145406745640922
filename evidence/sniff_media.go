package evidence

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// ftypBrands are the major brands of an ISO BMFF "ftyp" box that Sniff
// accepts, and the type each makes the file. Brands are matched exactly: an
// unknown brand may be audio only (M4A), a still image (HEIC) or a phone
// format (3GP), which are not what the type promises.
var ftypBrands = map[string]string{
	"isom": "video/mp4", "iso2": "video/mp4", "mp41": "video/mp4", "mp42": "video/mp4",
	"avc1": "video/mp4", "dash": "video/mp4", "M4V ": "video/mp4",
	"qt  ": "video/quicktime",
}

// ftypType returns the type of an ISO BMFF file (MP4, QuickTime) from its
// leading "ftyp" box, or "". The box must be whole as far as its fixed
// fields go: size, type, major brand, minor version.
func ftypType(p []byte) string {
	if len(p) < 16 || string(p[4:8]) != "ftyp" {
		return ""
	}
	// 16 bytes of fixed fields, then 4-byte compatible brands.
	if size := binary.BigEndian.Uint32(p); size < 16 || size%4 != 0 {
		return ""
	}
	return ftypBrands[string(p[8:12])]
}

// isWebM: an EBML header whose DocType is "webm" (Matroska, the same
// container with any codec, is "matroska" and not accepted).
func isWebM(p []byte) bool {
	if !bytes.HasPrefix(p, []byte{0x1A, 0x45, 0xDF, 0xA3}) {
		return false
	}
	size, n, known := ebmlSize(p[4:])
	if n == 0 {
		return false
	}
	body := p[4+n:]
	if known && size < uint64(len(body)) {
		body = body[:size]
	}
	for len(body) > 0 {
		id, n := ebmlID(body)
		if n == 0 {
			return false
		}
		body = body[n:]
		size, n, known := ebmlSize(body)
		if n == 0 || !known || size > uint64(len(body)-n) {
			return false
		}
		body = body[n:]
		if id == 0x4282 { // DocType, a string that may be padded with NULs
			return string(bytes.TrimRight(body[:size], "\x00")) == "webm"
		}
		body = body[size:]
	}
	return false
}

// ebmlID reads an element ID (a variable-length integer of 1 to 4 bytes,
// kept with its length marker) and returns it and its length, or 0, 0.
func ebmlID(b []byte) (id uint32, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	n = bits.LeadingZeros8(b[0]) + 1
	if n > 4 || len(b) < n {
		return 0, 0
	}
	for _, c := range b[:n] {
		id = id<<8 | uint32(c)
	}
	return id, n
}

// ebmlSize reads an element size (a variable-length integer of 1 to 8
// bytes, without its marker) and returns it, its length, and false when all
// its bits are set, which means "unknown". n is 0 when b holds none.
func ebmlSize(b []byte) (size uint64, n int, known bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	n = bits.LeadingZeros8(b[0]) + 1
	if n > 8 || len(b) < n {
		return 0, 0, false
	}
	size = uint64(b[0]) & (0xFF >> n)
	for _, c := range b[1:n] {
		size = size<<8 | uint64(c)
	}
	return size, n, size != 1<<(7*n)-1
}

// isMPEGAudio: an ID3v2 tag (which precedes the frames of most MP3 files),
// or an MPEG audio frame header. Eleven bits of frame sync are weak
// evidence (the UTF-16 byte order mark FF FE is a valid header), so the
// first frame must be whole, and when the prefix reaches past it the next
// frame must start with a header too.
func isMPEGAudio(p []byte) bool {
	if len(p) >= 10 && bytes.HasPrefix(p, []byte("ID3")) {
		// Version 2.2 to 2.4, then the size as four 7-bit bytes.
		return 2 <= p[3] && p[3] <= 4 && p[4] != 0xFF &&
			p[6]|p[7]|p[8]|p[9] < 0x80
	}
	n := mpegFrameLen(p)
	switch {
	case n == 0:
		return false
	case len(p) >= n+4:
		return mpegFrameLen(p[n:]) != 0
	case len(p) < n:
		return len(p) >= SniffLen // else the file ends inside its first frame
	}
	return true
}

// mpegBitrates are in kbit/s, by [MPEG-1?][layer I, II, III][index].
var mpegBitrates = [2][3][15]int{
	{ // MPEG-2 and 2.5
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	},
	{ // MPEG-1
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	},
}

// mpegRates are in Hz, by version bits (MPEG-2.5, reserved, 2, 1) and index.
var mpegRates = [4][3]int{{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}}

// mpegFrameLen returns the length in bytes of the MPEG audio frame whose
// header starts p, or 0 when p does not start with a valid header: sync,
// no reserved version or layer (layer bits 00 is AAC's ADTS), a bitrate
// index neither "free" nor "bad", no reserved sample rate or emphasis.
func mpegFrameLen(p []byte) int {
	if len(p) < 4 || p[0] != 0xFF || p[1]&0xE0 != 0xE0 {
		return 0
	}
	version, layer := p[1]>>3&3, p[1]>>1&3
	bitrate, rate, pad := int(p[2]>>4), int(p[2]>>2&3), int(p[2]>>1&1)
	if version == 1 || layer == 0 || bitrate == 0 || bitrate == 15 || rate == 3 || p[3]&3 == 2 {
		return 0
	}
	mpeg1 := 0
	if version == 3 {
		mpeg1 = 1
	}
	li := 3 - int(layer) // layer bits 11 = I, 10 = II, 01 = III
	bps := mpegBitrates[mpeg1][li][bitrate] * 1000
	hz := mpegRates[version][rate]
	switch {
	case li == 0:
		return (12*bps/hz + pad) * 4
	case li == 2 && mpeg1 == 0:
		return 72*bps/hz + pad
	}
	return 144*bps/hz + pad
}

// oggAudioCodecs open the first packet of an Ogg stream of audio. Ogg also
// carries video (Theora), which is not accepted.
var oggAudioCodecs = []string{"OpusHead", "\x01vorbis", "\x7fFLAC", "Speex   "}

// isOggAudio: the first page of an Ogg stream (version 0, beginning of
// stream) whose first packet is the header of an audio codec.
func isOggAudio(p []byte) bool {
	if len(p) < 27 || !bytes.HasPrefix(p, []byte("OggS\x00")) || p[5]&0x02 == 0 {
		return false
	}
	start := 27 + int(p[26]) // after the segment table
	if start > len(p) {
		return false
	}
	packet := p[start:]
	for _, c := range oggAudioCodecs {
		if bytes.HasPrefix(packet, []byte(c)) {
			return true
		}
	}
	return false
}
