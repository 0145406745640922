package http

import (
	"net/http"
	"strconv"

	"truce"
	"truce/bulletin"
	"truce/workflow"
)

// handleBulletin serves the public bulletin of a day, computed at the
// latest checkpoint or at the one ?checkpoint= names, in the format
// (json, md, html, csv) and language (en, ar, ru, tr, fa) the query asks
// for. Its counts at a named checkpoint never change, but the witnesses'
// cosignatures it carries may still arrive, and the latest changes with
// the next checkpoint: it is served no-cache, to be revalidated.
func (s *Server) handleBulletin(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format, err := bulletin.ParseFormat(q.Get("format"))
	if err != nil {
		return err
	}
	var opts workflow.BulletinOptions
	opts.Lang = q.Get("lang")
	if c := q.Get("checkpoint"); c != "" {
		if opts.Checkpoint, err = strconv.ParseInt(c, 10, 64); err != nil || opts.Checkpoint < 1 {
			return truce.Invalidf("checkpoint", "%.40q is not the tree size of a checkpoint: a positive whole number", c)
		}
	}
	b, err := s.Service.Bulletin(r.Context(), r.PathValue("date"), opts)
	if err != nil {
		return err
	}
	data, err := bulletin.Bytes(b, format)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", format.ContentType())
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}
