package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"truce"
	tlog "truce/log"
	"truce/workflow"
)

// client talks to a truce server for the commands that submit.
type client struct {
	server string
	token  string
	idem   string
	http   *http.Client
}

// clientFlags adds --server, --token and --idempotency-key.
func clientFlags(fs *flag.FlagSet) *client {
	c := &client{http: &http.Client{Timeout: 60 * time.Second}}
	fs.StringVar(&c.server, "server", envOr("TRUCE_SERVER", "http://127.0.0.1:8080"), "the server's base URL (default $TRUCE_SERVER)")
	fs.StringVar(&c.token, "token", "", "your bearer token (default $TRUCE_TOKEN)")
	fs.StringVar(&c.idem, "idempotency-key", "", "the request's Idempotency-Key (default: a new random one, reused on retries)")
	return c
}

// do sends one request, retrying transport failures with the same
// Idempotency-Key, so that a retry never appends twice. It returns the
// body, or an error carrying the server's message.
func (c *client) do(ctx context.Context, method, path, contentType string, body []byte) ([]byte, error) {
	if c.token == "" {
		c.token = os.Getenv("TRUCE_TOKEN")
	}
	if c.token == "" {
		return nil, errors.New("no token: give --token or set TRUCE_TOKEN")
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.server, "/")+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if method == "POST" && c.idem != "" {
			req.Header.Set("Idempotency-Key", c.idem)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			lastErr = err
			time.Sleep(time.Duration(attempt+1) * 500 * time.Millisecond)
			continue
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 400 {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal(data, &e) == nil && e.Error.Message != "" {
				return nil, fmt.Errorf("%s %s: %d %s: %s", method, path, resp.StatusCode, e.Error.Code, e.Error.Message)
			}
			return nil, fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		return data, nil
	}
	return nil, fmt.Errorf("%s %s: %w", method, path, lastErr)
}

// ensureIdempotencyKey gives a submission a random key unless one was given.
func (c *client) ensureIdempotencyKey() {
	if c.idem == "" {
		b := make([]byte, 16)
		rand.Read(b)
		c.idem = "cli-" + hex.EncodeToString(b)
	}
}

// submit posts a JSON body and prints the answer.
func (c *client) submit(ctx context.Context, method, path string, body any, stdout io.Writer) error {
	c.ensureIdempotencyKey()
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	out, err := c.do(ctx, method, path, "application/json", b)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// submitSigned signs the command with the key at keyPath and posts it as
// a signed note: the server checks it against the member's registered key
// and keeps the signature with the entry.
func (c *client) submitSigned(ctx context.Context, method, path string, body any, keyPath string, stdout io.Writer) error {
	c.ensureIdempotencyKey()
	msg, err := c.sign(ctx, method, path, body, keyPath)
	if err != nil {
		return err
	}
	out, err := c.do(ctx, method, path, "application/truce-signed-note", msg)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// sign builds and signs the command note: the log's origin (from its
// checkpoint), the member (from /api/v1/me), the route, the idempotency key
// and the body in canonical JSON.
func (c *client) sign(ctx context.Context, method, path string, body any, keyPath string) ([]byte, error) {
	signer, err := loadSigner(keyPath)
	if err != nil {
		return nil, err
	}
	canon, err := tlog.Canonical(body)
	if err != nil {
		return nil, err
	}
	cp, err := c.do(ctx, "GET", "/log/checkpoint", "", nil)
	if err != nil {
		return nil, err
	}
	origin, _, _ := strings.Cut(string(cp), "\n")
	meJSON, err := c.do(ctx, "GET", "/api/v1/me", "", nil)
	if err != nil {
		return nil, err
	}
	var me truce.Member
	if err := json.Unmarshal(meJSON, &me); err != nil {
		return nil, err
	}
	cmd := &workflow.SignedCommand{Origin: origin, Member: me.ID, Method: method, Path: path, IdempotencyKey: c.idem, Body: canon}
	return workflow.SignCommand(cmd, signer)
}
