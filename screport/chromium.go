package screport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// PDFs and the legibility test's PNGs are made by headless Chromium, which
// draws the HTML and its SVG with the system's fonts. It runs with a fresh
// profile in a temporary directory, no network services, and a time limit.

// ErrNoChromium says Chromium could not be found.
var ErrNoChromium = errors.New("Chromium is needed to render the report and was not found (looked at $TRUCE_CHROMIUM, /usr/bin/chromium and chromium, chromium-browser, google-chrome in $PATH): install it with `apt-get install chromium` (and fonts-noto-core for Arabic and Persian), or set TRUCE_CHROMIUM to its path; or write --format html and print that from a browser")

// ChromiumTimeout bounds one run of Chromium.
var ChromiumTimeout = 90 * time.Second

// Chromium returns the path of the Chromium to run: $TRUCE_CHROMIUM, else
// /usr/bin/chromium, else the first of the usual names on $PATH.
func Chromium() (string, error) {
	if p := os.Getenv("TRUCE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TRUCE_CHROMIUM=%s: %v: %w", p, err, ErrNoChromium)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// render runs Chromium on the HTML page with the extra flags, in a
// temporary directory, and returns the bytes of the file it writes
// there (out, named in the flags as {out}).
func render(ctx context.Context, page []byte, out string, flags ...string) ([]byte, error) {
	bin, err := Chromium()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "truce-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "page.html")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return nil, err
	}
	target := filepath.Join(dir, out)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--mute-audio", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(dir, "profile"),
	}
	for _, f := range flags {
		args = append(args, strings.ReplaceAll(f, "{out}", target))
	}
	args = append(args, "file://"+in)
	ctx, cancel := context.WithTimeout(ctx, ChromiumTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	b, err := os.ReadFile(target)
	if runErr != nil || err != nil || len(b) == 0 {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("chromium: gave up after %s", ChromiumTimeout)
		}
		return nil, fmt.Errorf("chromium (%s) wrote no %s: %v\n%s", bin, out, errors.Join(runErr, err), lastLines(stderr.String(), 8))
	}
	return b, nil
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}

// PDF renders the report's HTML to an A4 PDF with Chromium. The PDF's
// creation and modification dates are set to the report's "as of" time,
// so that the same log gives the same dates.
func (r *Report) PDF(ctx context.Context) ([]byte, error) {
	var page bytes.Buffer
	if err := r.writeHTML(&page, "pdf"); err != nil {
		return nil, err
	}
	b, err := render(ctx, page.Bytes(), "report.pdf", "--print-to-pdf={out}", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")
	if err != nil {
		return nil, err
	}
	return fixPDFDates(b, r.AsOf), nil
}

// fixPDFDates replaces the PDF's dates (D:YYYYMMDDHHmmSS with an offset)
// by t, in place and at the same length, so that the cross-reference
// offsets stay right.
func fixPDFDates(b []byte, t time.Time) []byte {
	for _, key := range []string{"/CreationDate (D:", "/ModDate (D:"} {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			continue
		}
		start := i + len(key)
		end := bytes.IndexByte(b[start:], ')')
		if end < 0 {
			continue
		}
		old := b[start : start+end]
		repl := []byte(t.UTC().Format("20060102150405") + "+00'00'")
		if len(repl) == len(old) {
			copy(old, repl)
		} else if len(old) >= 14 {
			copy(old, t.UTC().Format("20060102150405"))
		}
	}
	return b
}

// Screenshot renders an HTML page to a PNG of w×h CSS pixels.
func Screenshot(ctx context.Context, page []byte, w, h int) ([]byte, error) {
	return render(ctx, page, "shot.png", "--screenshot={out}", "--window-size="+strconv.Itoa(w)+","+strconv.Itoa(h), "--force-device-scale-factor=1", "--default-background-color=FFFFFFFF")
}

// DrawingPage wraps a drawing in a page of its own size, for Screenshot.
func DrawingPage(d Drawing, lang, dir string) []byte {
	return []byte(`<!DOCTYPE html><html lang="` + lang + `" dir="` + dir + `"><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}svg{display:block}</style></head><body>` + d.SVG + `</body></html>`)
}
