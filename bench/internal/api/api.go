// Package api holds what the benchmark harnesses (bench/load, bench/crash)
// both need of truce's HTTP API: adding a member as the operator, and
// quoting an answer's body in a message.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// AddMember adds a member through POST /api/v1/members at base, as the
// operator whose token is given, and returns the new member's bearer
// token.
func AddMember(ctx context.Context, base, operator, name, org, role string) (string, error) {
	body, _ := json.Marshal(map[string]string{"name": name, "organisation": org, "role": role})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/members", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+operator)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var got struct {
		Token string `json:"token"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &got) != nil || got.Token == "" {
		return "", fmt.Errorf("POST /api/v1/members %s: %s %s", body, resp.Status, Clip(data))
	}
	return got.Token, nil
}

// Clip shortens a response body for a message.
func Clip(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
