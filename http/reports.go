package http

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"truce"
	"truce/interchange"
	"truce/workflow"
)

func (s *Server) handleFileReport(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	// Roles are checked before the body is read, so that a caller who may
	// not file learns nothing from validation errors.
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "file reports")
	}
	var in truce.ReportInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.FileReport(ctx, m, &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+string(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

// reportID reads and checks the {id} of a report route. A malformed id is
// a missing report.
func reportID(r *http.Request) (truce.ReportID, error) {
	id := truce.ReportID(r.PathValue("id"))
	if !id.Valid() {
		return "", workflow.NotFound("report", string(id))
	}
	return id, nil
}

func (s *Server) handleGetReport(w http.ResponseWriter, r *http.Request) error {
	if m := memberOf(r); m == nil {
		return workflow.Forbidden(m, "read reports")
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	v, err := s.Service.Report(r.Context(), memberOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// reportQuery reads the report listing's filters from a query string.
func reportQuery(q url.Values) workflow.ReportQuery {
	return workflow.ReportQuery{
		From: q.Get("from"), To: q.Get("to"), Consensus: q.Get("consensus"),
		Perpetrator: q.Get("perpetrator"), Filer: q.Get("organisation"),
		Governorate: q.Get("governorate"), Scope: q.Get("scope"), Controller: q.Get("controller"),
		AsOf: q.Get("as_of"), Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	}
}

func (s *Server) handleListReports(w http.ResponseWriter, r *http.Request) error {
	page, err := s.Service.ListReports(r.Context(), memberOf(r), reportQuery(r.URL.Query()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// handleExportReports writes every report the listing's filters select,
// as the caller would list them, in the format the query names (acled,
// hxl or geojson). The file is streamed: its headers go out with its
// first bytes, so that a refused query still gets a 4xx and a JSON error.
func (s *Server) handleExportReports(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		return truce.Invalidf("format", "is required: one of %s", strings.Join(interchange.ExportFormats, ", "))
	}
	if !slices.Contains(interchange.ExportFormats, format) {
		return truce.Invalidf("format", "%.40q is not one of %s", format, strings.Join(interchange.ExportFormats, ", "))
	}
	out := &exportWriter{w: w, header: func(h http.Header) {
		h.Set("Content-Type", interchange.ContentType(format))
		h.Set("Content-Disposition", `attachment; filename="truce-reports`+interchange.Extension(format)+`"`)
		h.Set("Cache-Control", "no-store")
	}}
	err := s.Service.Export(r.Context(), memberOf(r), reportQuery(q), format, out)
	if err != nil && out.started {
		s.Logger.Error("export failed after its first bytes", "format", format, "err", err)
		panic(http.ErrAbortHandler)
	}
	if err == nil && !out.started {
		out.start() // an export with nothing to write but its header
	}
	return err
}

// exportWriter sets a streamed file's headers and status with its first
// bytes.
type exportWriter struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool
}

func (e *exportWriter) start() {
	e.started = true
	e.header(e.w.Header())
	e.w.WriteHeader(http.StatusOK)
}

func (e *exportWriter) Write(p []byte) (int, error) {
	if !e.started {
		e.start()
	}
	return e.w.Write(p)
}

func (s *Server) handleAssess(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanAssess() {
		return workflow.Forbidden(m, "assess reports; only guarantor officers may")
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	var in truce.AssessmentInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.Assess(ctx, m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handleReply(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || m.Role != truce.RoleParty {
		return workflow.Forbidden(m, "reply to reports; only the accused party's liaison may")
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	var in truce.ReplyInput
	ctx, err := s.decodeCommand(w, r, &in)
	if err != nil {
		return err
	}
	v, err := s.Service.Reply(ctx, m, id, &in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

// MaxEvidenceRequest bounds an evidence upload's request beyond the file's
// own limit (the multipart framing and a signed note).
const MaxEvidenceRequest = workflow.DefaultMaxEvidence + 1<<20

// handleAddEvidence streams a multipart upload: an optional part "note"
// (a signed note whose body is {"sha256": …}), then the part "file". The
// file is never held whole in memory.
func (s *Server) handleAddEvidence(w http.ResponseWriter, r *http.Request) error {
	m := memberOf(r)
	if m == nil || !m.Role.CanFileReport() {
		return workflow.Forbidden(m, "add evidence")
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return truce.Errorf(truce.EUNSUPPORTED, "send the file as multipart/form-data in the field \"file\"")
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxEvidenceRequest)
	mr, err := r.MultipartReader()
	if err != nil {
		return truce.Invalidf("body", "is not a multipart form: %v", err)
	}
	sub := &workflow.Submission{IdempotencyKey: key}
	var signedSHA string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return truce.Invalidf("file", "is required: send the evidence in the multipart field \"file\"")
		} else if err != nil {
			return bodyError(err)
		}
		switch part.FormName() {
		case "note":
			note, err := io.ReadAll(io.LimitReader(part, workflow.MaxSignedNote+1))
			if err != nil {
				return bodyError(err)
			}
			body, signed, err := s.Service.VerifySigned(r.Context(), m, note, r.Method, r.URL.Path, key)
			if err != nil {
				return err
			}
			var en workflow.EvidenceNote
			if err := decodeJSONBody(body, &en); err != nil {
				return err
			}
			signed.IdempotencyKey, signedSHA, sub = key, en.SHA256, signed
		case "file":
			if signedSHA != "" {
				sub.Fingerprint = fingerprint(r, []byte(signedSHA))
			} else {
				sub.Fingerprint = fingerprint(r, []byte(part.FileName()))
			}
			ctx := workflow.WithSubmission(r.Context(), sub)
			res, err := s.Service.AddEvidence(ctx, m, id, part, part.FileName(), signedSHA)
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					return errTooLarge
				}
				return err
			}
			return writeJSON(w, http.StatusCreated, res)
		default:
			return truce.Invalidf(part.FormName(), "is not a known field: send \"note\" (optional) and \"file\"")
		}
	}
}

func (s *Server) handleGetEvidence(w http.ResponseWriter, r *http.Request) error {
	sha := r.PathValue("sha256")
	f, e, err := s.Service.OpenEvidence(r.Context(), memberOf(r), sha)
	if err != nil {
		return err
	}
	defer f.Close()
	mt := e.MediaType
	if mt == "text/plain" || mt == "text/csv" {
		mt += "; charset=utf-8"
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Length", strconv.FormatInt(e.Size, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="`+sha+`"`)
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+sha+`"`)
	_, err = io.Copy(w, f)
	return err
}
