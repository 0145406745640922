package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"truce"
	trucehttp "truce/http"
	"truce/web"
	"truce/workflow"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve --data DIR [--db postgres://…] [--addr 127.0.0.1:8080] [--demo]",
		"Serves the map room (the web pages, at /), the JSON API under /api/v1, the log\n"+
			"under /log, /healthz and /metrics, and signs a checkpoint whenever the log has\n"+
			"grown.\n\n"+
			"With --demo, a missing or empty DIR is first initialised with the Astana 2017\n"+
			"agreement, members for every guarantor, party and observer, and a few dozen\n"+
			"reports drawn from real events; the members' tokens go to DIR/demo-tokens.json.", stderr)
	m := &Main{Stdout: stdout, Stderr: stderr}
	data := dataFlag(fs)
	fs.StringVar(&m.Addr, "addr", "127.0.0.1:8080", "the address to listen on")
	fs.BoolVar(&m.Demo, "demo", false, "initialise and seed a missing or empty DIR with demo data")
	fs.DurationVar(&m.CheckpointInterval, "checkpoint-interval", 2*time.Second, "how often to sign a checkpoint when the log has grown")
	fs.StringVar(&m.Witnesses, "witnesses", "", "the witnesses to ask to cosign each checkpoint: a file of lines \"VKEY URL\" (default DIR/witnesses.txt, if present; with --demo, also RU, IR and TR witnesses run in this process)")
	fs.IntVar(&m.MaxInFlight, "max-in-flight", trucehttp.DefaultMaxInFlight, "API requests served at once; beyond, a request waits --queue-wait for a place and is then refused with 503")
	fs.DurationVar(&m.QueueWait, "queue-wait", trucehttp.DefaultQueueWait, "how long a request waits for a place when --max-in-flight are being served")
	verbose := fs.Bool("verbose", false, "log at debug level")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireData(fs, *data); err != nil {
		return err
	}
	m.DataDir, m.DSN = *data, dbOf(fs)
	if m.DataDir == "" {
		return fmt.Errorf("--data DIR is required: it holds the log key, also with --db")
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if m.CheckpointInterval <= 0 {
		return fmt.Errorf("--checkpoint-interval must be positive")
	}
	if m.MaxInFlight < 1 || m.QueueWait < 0 {
		return fmt.Errorf("--max-in-flight must be at least 1 and --queue-wait not negative")
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(stdout, "truce serving %s on %s\n", m.DataDir, m.URL())
	<-ctx.Done()
	fmt.Fprintln(stdout, "truce: shutting down")
	return m.Close()
}

// Main is a running server: the data directory, the store, the service, the
// checkpointer and the HTTP server. Tests run it on a temporary directory
// and port :0.
type Main struct {
	DataDir            string
	DSN                string // a PostgreSQL database holding the log, instead of DataDir's truce.db (db.go)
	Addr               string
	Demo               bool
	CheckpointInterval time.Duration
	MaxInFlight        int           // API requests served at once (0: trucehttp.DefaultMaxInFlight)
	QueueWait          time.Duration // how long a request waits for a place (0: trucehttp.DefaultQueueWait)
	Witnesses          string        // a witnesses file; "" for DataDir/witnesses.txt when present
	Logger             *slog.Logger
	Stdout, Stderr     io.Writer

	DB      truce.Store
	Service *workflow.Service

	unlock func()     // releases the data directory's writer lock
	cosign *cosigning // asks the witnesses to cosign checkpoints; nil without witnesses
	ln     net.Listener
	server *http.Server
	cancel context.CancelFunc
	done   chan struct{}
}

// Run opens the data directory (seeding it first with --demo), starts the
// checkpointer and starts serving. It returns once the server listens.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if m.CheckpointInterval == 0 {
		m.CheckpointInterval = 2 * time.Second
	}
	if m.Demo {
		if empty, err := isEmptyDir(m.DataDir); err != nil {
			return err
		} else if empty {
			if err := seedDemoDB(ctx, m.DataDir, m.DSN, m.Stderr); err != nil {
				(&dataDir{path: m.DataDir}).clear()
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	d, err := openDataDirDB(m.DataDir, m.DSN)
	if err != nil {
		return err
	}
	if m.unlock, err = d.lock(); err != nil {
		return err
	}
	svc, db, err := d.service(true)
	if err != nil {
		m.unlock()
		return err
	}
	m.DB, m.Service = db, svc
	svc.Logger = m.Logger
	if _, err := svc.Agreement(ctx); err != nil {
		return fmt.Errorf("%s: %w", m.DataDir, err)
	}

	m.ln, err = net.Listen("tcp", m.Addr)
	if err != nil {
		return err
	}
	api := trucehttp.NewServer(svc, m.Logger, prometheus.NewRegistry())
	if m.MaxInFlight != 0 || m.QueueWait != 0 {
		api.Limit(cmp.Or(m.MaxInFlight, trucehttp.DefaultMaxInFlight), cmp.Or(m.QueueWait, trucehttp.DefaultQueueWait))
	}
	ui := web.New(svc, m.Logger, web.Options{})
	api.Pages = ui
	m.server = &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       trucehttp.ReadTimeout,
		WriteTimeout:      trucehttp.WriteTimeout,
		MaxHeaderBytes:    trucehttp.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	// Open maps hold a stream each: they end when the server shuts down.
	m.server.RegisterOnShutdown(ui.Shutdown)
	if m.cosign, err = startCosigning(svc, m.DataDir, m.Witnesses, m.Demo, m.Logger); err != nil {
		return err
	}
	svc.Witnesses = m.cosign.names()
	bg, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.done = make(chan struct{}, 2)
	go func() {
		svc.RunCheckpointer(bg, m.CheckpointInterval, m.cosign.issued())
		m.done <- struct{}{}
	}()
	go func() {
		if err := m.server.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("serve", "err", err)
		}
		m.done <- struct{}{}
	}()
	m.Logger.Info("serving", "addr", m.ln.Addr().String(), "data", m.DataDir)
	return nil
}

// URL is the server's base URL.
func (m *Main) URL() string {
	return "http://" + m.ln.Addr().String()
}

// Close stops serving (letting requests in flight finish), stops the
// checkpointer after a last checkpoint, and closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, m.server.Shutdown(ctx))
		cancel()
		<-m.done
	}
	if m.cancel != nil {
		m.cancel()
		<-m.done
		if _, err := m.Service.IssueCheckpoint(context.Background()); err != nil {
			errs = append(errs, err)
		}
	}
	m.cosign.stop()
	m.cosign = nil
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	if m.unlock != nil {
		m.unlock()
	}
	m.server, m.cancel, m.DB, m.unlock = nil, nil, nil, nil
	return errors.Join(errs...)
}

// stderrOr returns w, or os.Stderr when w is nil.
func stderrOr(w io.Writer) io.Writer {
	if w == nil {
		return os.Stderr
	}
	return w
}
