package evidence_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"runtime"
	"testing"

	"truce/evidence"
)

// generated is a PDF of size bytes made up as it is read, so that a test
// can upload more than it would want to hold. Every 8 MiB it samples the
// heap, for the test to see the peak.
type generated struct {
	size, off int64
	peak      uint64 // highest HeapAlloc seen
}

const pdfHeader = "%PDF-1.7\n"

func (g *generated) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.size-g.off)]
	for i := range p {
		if o := g.off + int64(i); o < int64(len(pdfHeader)) {
			p[i] = pdfHeader[o]
		} else {
			p[i] = byte(o*2654435761>>13) | ' '
		}
	}
	if before, after := g.off>>23, (g.off+int64(len(p)))>>23; before != after {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		g.peak = max(g.peak, m.HeapAlloc)
	}
	g.off += int64(len(p))
	return len(p), nil
}

func TestPutLargeStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB")
	}
	const size = 64 << 20
	want, _, err := evidence.HashReader(&generated{size: size})
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g := &generated{size: size}
	f, err := s.Put(g, 100<<20)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if f.SHA256 != want || f.Size != size || f.MediaType != "application/pdf" {
		t.Errorf("Put = %+v, want %s, %d bytes, application/pdf", f, want, size)
	}
	// Both the peak of the live heap and all that was allocated, garbage
	// included, stay far under the size of the file.
	grown, allocated := int64(g.peak)-int64(before.HeapAlloc), after.TotalAlloc-before.TotalAlloc
	t.Logf("heap grew by %d KiB at most; %d KiB allocated in all", grown>>10, allocated>>10)
	if grown > size/16 || allocated > size/16 {
		t.Errorf("Put of %d MiB: heap grew by %d bytes, %d allocated; want under %d", size>>20, grown, allocated, size/16)
	}
	if err := s.Verify(f.SHA256); err != nil {
		t.Error(err)
	}
}

func BenchmarkPut(b *testing.B) {
	s := mustOpen(b)
	data := make([]byte, 16<<20)
	g := &generated{size: int64(len(data))}
	g.Read(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		i++ // new content each time, so that every Put stores a file
		binary.BigEndian.PutUint64(data[len(pdfHeader):], i)
		if _, err := s.Put(bytes.NewReader(data), 32<<20); err != nil {
			b.Fatal(err)
		}
	}
}
