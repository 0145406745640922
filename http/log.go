package http

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"

	"truce"
	tlog "truce/log"
)

// handleCheckpoint serves the latest checkpoint with the witnesses'
// cosignatures received for it: a client that knows only the log's key
// ignores them, as signed notes allow.
func (s *Server) handleCheckpoint(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Service.CosignedCheckpoint(r.Context(), 0)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err = w.Write([]byte(c.Note))
	return err
}

func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) error {
	index, err := parseIndex("index", r.PathValue("index"))
	if err != nil {
		return err
	}
	data, err := s.Service.EntryData(r.Context(), memberOf(r), index)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// Entries never change, but only some roles may read them: no shared
	// cache may keep one.
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("Vary", "Authorization")
	_, err = w.Write(data)
	return err
}

func (s *Server) handleInclusionProof(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	index, err := parseIndex("index", q.Get("index"))
	if err != nil {
		return err
	}
	size, err := parseIndex("size", q.Get("size"))
	if err != nil {
		return err
	}
	p, err := s.Service.ProveInclusion(r.Context(), index, size)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleConsistencyProof(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	old, err := parseIndex("old", q.Get("old"))
	if err != nil {
		return err
	}
	nw, err := parseIndex("new", q.Get("new"))
	if err != nil {
		return err
	}
	p, err := s.Service.ProveConsistency(r.Context(), old, nw)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// parseIndex reads a non-negative decimal integer parameter.
func parseIndex(field, s string) (int64, error) {
	if s == "" {
		return 0, truce.Invalidf(field, "is required")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || len(s) > 19 {
		return 0, truce.Invalidf(field, "must be a non-negative whole number")
	}
	return n, nil
}

func (s *Server) handleEvidenceEntries(w http.ResponseWriter, r *http.Request) error {
	es, err := s.Service.EvidenceEntries(r.Context(), r.PathValue("sha256"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"sha256": r.PathValue("sha256"), "entries": es})
}

// tilePath reads the tile a tile route names below /log/, "tile/" and
// its {tile...}; a path that names no tile is not found, as a missing id.
func tilePath(prefix string, r *http.Request) (tlog.Tile, error) {
	path := prefix + r.PathValue("tile")
	t, err := tlog.ParseTilePath(path)
	if err != nil {
		return t, truce.Errorf(truce.ENOTFOUND, "no tile at /log/%s: %v", clipPath(path), err)
	}
	return t, nil
}

func clipPath(p string) string {
	if len(p) > 80 {
		return p[:80] + "…"
	}
	return p
}

// handleHashTile serves a tile of the tree's hashes (c2sp.org/tlog-tiles)
// to anyone. A tile never changes once the tree spans it.
func (s *Server) handleHashTile(w http.ResponseWriter, r *http.Request) error {
	t, err := tilePath("tile/", r)
	if err != nil {
		return err
	}
	data, err := s.Service.HashTile(r.Context(), t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(data)
	return err
}

// handleEntryBundle serves an entry bundle (c2sp.org/tlog-tiles) to those
// who may read entries, gzipped when the client takes gzip, as the spec
// recommends.
func (s *Server) handleEntryBundle(w http.ResponseWriter, r *http.Request) error {
	t, err := tilePath("tile/entries/", r)
	if err != nil {
		return err
	}
	data, err := s.Service.EntryBundle(r.Context(), memberOf(r), t)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	// Bundles never change, but only some roles may read them: no shared
	// cache may keep one.
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("Vary", "Authorization, Accept-Encoding")
	if !acceptsGzip(r) {
		_, err = w.Write(data)
		return err
	}
	h.Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
