package witness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	tlog "truce/log"
)

// Handler serves the witness's HTTP interface (c2sp.org/tlog-witness),
// with the same prefix for submission and monitoring:
//
//	POST /add-checkpoint              cosign a checkpoint
//	GET  /<origin hash>/checkpoint    the latest checkpoint cosigned
func (w *Witness) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add-checkpoint", w.handleAddCheckpoint)
	mux.HandleFunc("GET /{origin}/checkpoint", w.handleCheckpoint)
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		writeText(rw, http.StatusNotFound, "no such resource: this witness answers POST /add-checkpoint and GET /<origin hash>/checkpoint")
	})
	return mux
}

func (w *Witness) handleAddCheckpoint(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeText(rw, http.StatusRequestEntityTooLarge, fmt.Sprintf("body: larger than %d bytes", maxBodyBytes))
		return
	} else if err != nil {
		writeText(rw, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	line, err := w.AddCheckpoint(body)
	var e *Error
	switch {
	case errors.As(err, &e) && e.Status == http.StatusConflict:
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", e.Size)
	case errors.As(err, &e):
		writeText(rw, e.Status, e.Message)
	case err != nil:
		if w.Logger != nil {
			w.Logger.Error("witness: add-checkpoint", "err", err)
		}
		writeText(rw, http.StatusInternalServerError, "internal error")
	default:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.Write(line)
	}
}

func (w *Witness) handleCheckpoint(rw http.ResponseWriter, r *http.Request) {
	sum := sha256.Sum256([]byte(w.origin))
	c, ok := w.Latest()
	if r.PathValue("origin") != hex.EncodeToString(sum[:]) || !ok {
		writeText(rw, http.StatusNotFound, "no checkpoint cosigned for that origin hash")
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-cache")
	io.WriteString(rw, c.Note)
}

func writeText(rw http.ResponseWriter, status int, msg string) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.WriteHeader(status)
	io.WriteString(rw, msg+"\n")
}

// Client submits checkpoints to one witness.
type Client struct {
	URL  string // the submission prefix, without a trailing slash
	HTTP *http.Client
}

// ConflictError is a witness's 409: the old size sent was not the latest
// it cosigned, which is Size.
type ConflictError struct{ Size int64 }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("the witness's latest cosigned checkpoint is of size %d", e.Size)
}

// StatusError is any other refusal by a witness.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("witness answered %d: %s", e.Status, e.Message)
}

// maxResponseBytes bounds a witness's answer.
const maxResponseBytes = 16 << 10

// AddCheckpoint sends checkpoint, a signed note, with the old size and the
// consistency proof from it, and returns the witness's signature lines,
// unverified. A 409 is a *ConflictError, any other refusal a *StatusError.
func (c *Client) AddCheckpoint(ctx context.Context, old int64, proof []tlog.Hash, checkpoint []byte) ([]byte, error) {
	var body bytes.Buffer
	fmt.Fprintf(&body, "old %d\n", old)
	for _, h := range proof {
		body.WriteString(base64.StdEncoding.EncodeToString(h[:]) + "\n")
	}
	body.WriteString("\n")
	body.Write(checkpoint)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.URL, "/")+"/add-checkpoint", &body)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxResponseBytes {
		return nil, fmt.Errorf("witness %s: answer longer than %d bytes", c.URL, maxResponseBytes)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return b, nil
	case http.StatusConflict:
		s := strings.TrimSuffix(string(b), "\n")
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || resp.Header.Get("Content-Type") != "text/x.tlog.size" {
			return nil, fmt.Errorf("witness %s: a 409 without a text/x.tlog.size body", c.URL)
		}
		return nil, &ConflictError{Size: n}
	}
	return nil, &StatusError{Status: resp.StatusCode, Message: strings.TrimSpace(clip(b))}
}
