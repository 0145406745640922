package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
	"truce/witness"
	"truce/workflow"
)

// witnessesFile is the default list of the witnesses a server asks to
// cosign its checkpoints, in its data directory.
const witnessesFile = "witnesses.txt"

// demoWitnessesDir holds the demo's three witnesses, one per guarantor,
// which `serve --demo` runs in its own process.
const demoWitnessesDir = "demo-witnesses"

func runWitness(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "init":
			return runWitnessInit(args[1:], stdout, stderr)
		case "check":
			return runWitnessCheck(ctx, args[1:], stdout, stderr)
		}
	}
	fs := newFlags("witness", "witness --data DIR --log-key FILE [--key FILE] [--addr 127.0.0.1:8081]\n"+
		"       truce witness init --data DIR --name NAME\n"+
		"       truce witness check --data LOGDIR --witness DIR [--witness DIR ...]",
		"Runs a witness of one log, as C2SP tlog-witness specifies: the log POSTs each\n"+
			"new checkpoint to /add-checkpoint with a consistency proof from the last one\n"+
			"this witness cosigned; the witness checks the log's signature and the proof,\n"+
			"appends the checkpoint to DIR/cosigned.jsonl and syncs it to disk, then\n"+
			"answers with its timestamped Ed25519 cosignature (tlog-cosignature). A checkpoint\n"+
			"the log signed that conflicts with one cosigned (another root at a size cosigned,\n"+
			"a larger tree whose proof fails, a smaller tree) is refused with the status the\n"+
			"specification names (422, 409 or 400) and kept in DIR/forks/ with the cosigned one.\n"+
			"GET /<sha256 of the origin, hex>/checkpoint serves the latest cosigned checkpoint.\n\n"+
			"Each guarantor runs one. `truce witness init` makes DIR and its key;\n"+
			"`truce witness check` compares a log's data directory with what witnesses saw.", stderr)
	m := &WitnessMain{Stderr: stderr}
	fs.StringVar(&m.Dir, "data", os.Getenv("TRUCE_WITNESS_DATA"), "the witness's directory, made by 'truce witness init' (default $TRUCE_WITNESS_DATA)")
	fs.StringVar(&m.LogKey, "log-key", "", "the log's public key: its data directory's log.pub, or the key itself")
	fs.StringVar(&m.KeyFile, "key", "", "the witness's private key (default DIR/witness.key)")
	fs.StringVar(&m.Addr, "addr", "127.0.0.1:8081", "the address to listen on")
	verbose := fs.Bool("verbose", false, "log at debug level")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireWitnessData(fs, m.Dir); err != nil {
		return err
	}
	if m.LogKey == "" {
		fmt.Fprintln(stderr, "truce witness: --log-key is required: the witness checks the log's signature with it")
		fs.Usage()
		return errUsage
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := m.Run(); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(stdout, "truce witness %s of %s serving %s on %s\n", m.Signer.Name(), m.Witness.Origin(), m.Dir, m.URL())
	<-ctx.Done()
	fmt.Fprintln(stdout, "truce witness: shutting down")
	return m.Close()
}

// WitnessMain is a running witness: its directory, keys and HTTP server.
type WitnessMain struct {
	Dir     string
	LogKey  string // the log's vkey, or a file holding it
	KeyFile string // "" for Dir/witness.key
	Addr    string
	Logger  *slog.Logger
	Stderr  io.Writer

	Witness *witness.Witness
	Signer  *witness.Signer

	ln     net.Listener
	server *http.Server
	done   chan struct{}
}

// Run opens the witness directory and starts serving; it returns once
// the server listens.
func (m *WitnessMain) Run() error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	logKey, err := readLogKey(m.LogKey)
	if err != nil {
		return err
	}
	keyFile := m.KeyFile
	if keyFile == "" {
		keyFile = filepath.Join(m.Dir, witness.KeyFile)
	}
	b, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: no witness key; make one with `truce witness init --data %s --name NAME`", keyFile, m.Dir)
	} else if err != nil {
		return err
	}
	if m.Signer, err = witness.NewSigner(string(b)); err != nil {
		return fmt.Errorf("%s: %w", keyFile, err)
	}
	if m.Witness, err = witness.Open(m.Dir, m.Signer, logKey); err != nil {
		return err
	}
	m.Witness.Logger = m.Logger
	if m.ln, err = net.Listen("tcp", m.Addr); err != nil {
		return err
	}
	m.server = &http.Server{
		Handler:           m.Witness.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.done = make(chan struct{})
	go func() {
		defer close(m.done)
		if err := m.server.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("witness: serve", "err", err)
		}
	}()
	m.Logger.Info("witness serving", "addr", m.ln.Addr().String(), "name", m.Signer.Name(), "log", logKey.Name())
	return nil
}

// URL is the witness's base URL: its submission and monitoring prefix.
func (m *WitnessMain) URL() string { return "http://" + m.ln.Addr().String() }

// Close stops serving, letting requests in flight finish, and releases
// the directory.
func (m *WitnessMain) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, m.server.Shutdown(ctx))
		cancel()
		<-m.done
		m.server = nil
	}
	if m.Witness != nil {
		errs = append(errs, m.Witness.Close())
		m.Witness = nil
	}
	return errors.Join(errs...)
}

// readLogKey reads a log's vkey, given itself or a file holding it.
func readLogKey(s string) (note.Verifier, error) {
	text := s
	if b, err := os.ReadFile(s); err == nil {
		text = string(b)
	} else if !strings.Contains(s, "+") {
		return nil, fmt.Errorf("--log-key %s: %w", s, err)
	}
	v, err := tlog.NewVerifier(text)
	if err != nil {
		return nil, fmt.Errorf("--log-key %s: not a log verifier key (name+hash+key): %w", s, err)
	}
	return v, nil
}

func runWitnessInit(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("witness init", "witness init --data DIR --name NAME",
		"Makes DIR (which must be new or empty) a witness's directory: an Ed25519\n"+
			"cosigner key named NAME in DIR/witness.key (0600) and its verifier key in\n"+
			"DIR/witness.pub, printed too. Give witness.pub and the witness's URL to the\n"+
			"log's operator, for the log's witnesses.txt.", stderr)
	dir := fs.String("data", os.Getenv("TRUCE_WITNESS_DATA"), "the witness's directory (default $TRUCE_WITNESS_DATA)")
	name := fs.String("name", "", "the witness key's name, a schema-less URL such as witness.example.ru/truce")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireWitnessData(fs, *dir); err != nil {
		return err
	}
	if *name == "" {
		fmt.Fprintln(stderr, "truce witness init: --name is required")
		fs.Usage()
		return errUsage
	}
	vkey, err := initWitnessDir(*dir, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}

func requireWitnessData(fs *flag.FlagSet, dir string) error {
	if dir == "" {
		fmt.Fprintf(fs.Output(), "truce %s: --data DIR (or TRUCE_WITNESS_DATA), the witness's directory, is required\n", fs.Name())
		fs.Usage()
		return errUsage
	}
	return nil
}

// initWitnessDir makes dir a witness directory with a new key named name,
// and returns the verifier key.
func initWitnessDir(dir, name string) (string, error) {
	if empty, err := isEmptyDir(dir); err != nil {
		return "", err
	} else if !empty {
		return "", fmt.Errorf("%s is not empty; witness init needs a new or empty directory", dir)
	}
	skey, vkey, err := witness.GenerateKey(name)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, witness.KeyFile), []byte(skey+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, witness.PubFile), []byte(vkey+"\n"), 0o644); err != nil {
		return "", err
	}
	return vkey, nil
}

func runWitnessCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("witness check", "witness check --data LOGDIR --witness DIR [--witness DIR ...]\n"+
		"       truce witness check --log URL --log-key FILE --witness DIR [--witness DIR ...]",
		"Compares a log with what its witnesses saw.\n\n"+
			"With --data, against a copy of the log's data directory: every checkpoint each\n"+
			"witness cosigned (DIR/cosigned.jsonl) and every checkpoint in its evidence of\n"+
			"forks (DIR/forks/), each signed by the log's key, must be of a size the log has\n"+
			"and have the root that the log's entries give at that size; the tree is\n"+
			"recomputed from the entries' bytes. So a log rewritten and re-signed with its own\n"+
			"(or a stolen) key, or cut short, fails here, against the witnesses' saved state,\n"+
			"even when `truce log verify` passes.\n\n"+
			"With --log, against a running server: its /log/checkpoint, signed by the key in\n"+
			"--log-key, must be consistent (by /log/proof/consistency) with the latest\n"+
			"checkpoint each witness cosigned, and a witness's evidence of a fork of one size\n"+
			"fails the check.\n\n"+
			"Exits 0 when all match; otherwise prints each mismatch, exit 1.", stderr)
	data := dataFlag(fs)
	logURL := fs.String("log", "", "the URL of a running log server, instead of --data")
	logKeyFile := fs.String("log-key", "", "with --log: the log's public key (its log.pub, or the key itself)")
	var dirs multiFlag
	fs.Var(&dirs, "witness", "a witness's directory (repeat for each witness)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(dirs) == 0 {
		fmt.Fprintln(stderr, "truce witness check: --witness DIR is required, once per witness")
		fs.Usage()
		return errUsage
	}
	var faults []string
	var err error
	if *logURL != "" {
		if *logKeyFile == "" {
			fmt.Fprintln(stderr, "truce witness check: --log needs --log-key, the key the log's checkpoints are checked with")
			fs.Usage()
			return errUsage
		}
		var size int64
		if faults, size, err = checkServedLog(ctx, *logURL, *logKeyFile, dirs); err == nil && len(faults) == 0 {
			fmt.Fprintf(stdout, "OK: the log's checkpoint of size %d is consistent with what %d witnesses cosigned\n", size, len(dirs))
		}
	} else {
		if err := requireData(fs, *data); err != nil {
			return err
		}
		var ok string
		if faults, ok, err = checkLogDir(ctx, fs, *data, dirs); err == nil && len(faults) == 0 {
			fmt.Fprintln(stdout, ok)
		}
	}
	if err != nil {
		return err
	}
	for _, f := range faults {
		fmt.Fprintf(stdout, "FAIL: %s\n", f)
	}
	if len(faults) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// checkLogDir compares a log's data directory with the witnesses'
// directories, and returns the mismatches, or what it checked.
func checkLogDir(ctx context.Context, fs *flag.FlagSet, data string, dirs []string) (faults []string, ok string, err error) {
	d, err := openDataDirDB(data, dbOf(fs))
	if err != nil {
		return nil, "", err
	}
	svc, db, err := d.service(false)
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	if err := checkPublicKey(d, svc, ctx); err != nil {
		return nil, "", err
	}
	vkey, err := svc.VerifierKey(ctx)
	if err != nil {
		return nil, "", err
	}
	logKey, err := tlog.NewVerifier(vkey)
	if err != nil {
		return nil, "", err
	}
	var seen []workflow.Seen
	cosigned := 0
	for _, dir := range dirs {
		who := witnessLabel(dir)
		hs, err := witness.ReadHistory(dir, logKey)
		if err != nil {
			faults = append(faults, fmt.Sprintf("%s: its history is not this log's (signed by another key, or edited): %v", who, err))
			continue
		}
		for _, h := range hs {
			seen = append(seen, workflow.Seen{Checkpoint: h.Checkpoint,
				Source: fmt.Sprintf("%s cosigned at %s", who, h.CosignedAt.Format(time.RFC3339))})
		}
		cosigned += len(hs)
		evs, err := witness.ReadEvidence(dir)
		if err != nil {
			return nil, "", err
		}
		for _, ev := range evs {
			_, req, _ := strings.Cut(ev.Request, "\n\n")
			if c, _, err := tlog.OpenCheckpoint([]byte(req), logKey); err == nil {
				seen = append(seen, workflow.Seen{Checkpoint: c,
					Source: fmt.Sprintf("%s refused as %q at %s", who, ev.Kind, ev.DetectedAt.Format(time.RFC3339))})
			}
		}
	}
	more, size, err := svc.CheckSeen(ctx, seen)
	if err != nil {
		return nil, "", err
	}
	return append(faults, more...), fmt.Sprintf("OK: %d checkpoints cosigned by %d witnesses match this log's %d entries", cosigned, len(dirs), size), nil
}

// maxLogAnswer bounds what checkServedLog reads of an answer.
const maxLogAnswer = 1 << 20

// checkServedLog compares a running log with the witnesses' directories:
// the log's latest checkpoint must be consistent with the latest one each
// witness cosigned.
func checkServedLog(ctx context.Context, base, keyFile string, dirs []string) (faults []string, size int64, err error) {
	logKey, err := readLogKey(keyFile)
	if err != nil {
		return nil, 0, err
	}
	base = strings.TrimSuffix(base, "/")
	hc := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxLogAnswer))
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(b)))
		}
		return b, err
	}
	b, err := get("/log/checkpoint")
	if err != nil {
		return nil, 0, err
	}
	cp, _, err := tlog.OpenCheckpoint(b, logKey)
	if err != nil {
		return []string{fmt.Sprintf("the log's checkpoint: %v", err)}, 0, nil
	}
	for _, dir := range dirs {
		who := witnessLabel(dir)
		hs, err := witness.ReadHistory(dir, logKey)
		if err != nil {
			faults = append(faults, fmt.Sprintf("%s: its history is not this log's (signed by another key, or edited): %v", who, err))
			continue
		}
		evs, err := witness.ReadEvidence(dir)
		if err != nil {
			return nil, 0, err
		}
		for _, ev := range evs {
			if ev.Kind == "fork" {
				faults = append(faults, fmt.Sprintf("%s holds proof of a fork, kept at %s: %s", who, ev.DetectedAt.Format(time.RFC3339), ev.Reason))
			}
		}
		if len(hs) == 0 {
			continue
		}
		w := hs[len(hs)-1]
		switch {
		case w.Size > cp.Size:
			faults = append(faults, fmt.Sprintf("%s cosigned size %d; the log serves a checkpoint of size %d: it was rolled back", who, w.Size, cp.Size))
		case w.Size == cp.Size && w.Root != cp.Root:
			faults = append(faults, fmt.Sprintf("%s cosigned root %x at size %d; the log serves root %x: it forked", who, w.Root[:], w.Size, cp.Root[:]))
		case w.Size > 0 && w.Size < cp.Size:
			b, err := get(fmt.Sprintf("/log/proof/consistency?old=%d&new=%d", w.Size, cp.Size))
			if err != nil {
				faults = append(faults, fmt.Sprintf("%s cosigned size %d; the log gives no consistency proof from it: %v", who, w.Size, err))
				continue
			}
			var p struct {
				Proof []tlog.Hash `json:"proof"`
			}
			if err := json.Unmarshal(b, &p); err != nil {
				return nil, 0, fmt.Errorf("consistency proof: %w", err)
			}
			if err := tlog.VerifyConsistency(uint64(w.Size), uint64(cp.Size), w.Root[:], cp.Root[:], tlog.Slices(p.Proof)); err != nil {
				faults = append(faults, fmt.Sprintf("%s cosigned root %x at size %d; the log's checkpoint of size %d does not extend it: %v", who, w.Root[:], w.Size, cp.Size, err))
			}
		}
	}
	return faults, cp.Size, nil
}

// witnessLabel names a witness directory by its key's name, if it can.
func witnessLabel(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, witness.PubFile))
	if err == nil {
		if v, err := witness.NewVerifier(string(b)); err == nil {
			return "witness " + v.Name()
		}
	}
	return "witness " + dir
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(s string) error { *f = append(*f, s); return nil }

// Limits of a witnesses file.
const (
	maxWitnesses    = 16
	maxWitnessLines = 200
)

// readWitnesses reads a witnesses file: one witness a line, its verifier
// key (witness.pub) and its URL separated by a space; empty lines and lines
// starting with # are skipped.
func readWitnesses(path string) ([]*workflow.Witness, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ws []*workflow.Witness
	names := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<10)
	client := &http.Client{Timeout: 10 * time.Second}
	for n := 1; sc.Scan(); n++ {
		if n > maxWitnessLines {
			return nil, fmt.Errorf("%s: more than %d lines", path, maxWitnessLines)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s line %d: want the witness's verifier key and its URL, separated by a space", path, n)
		}
		key, err := witness.NewVerifier(fields[0])
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		u, err := url.Parse(fields[1])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s line %d: URL %q: must be an absolute http or https URL", path, n, fields[1])
		}
		if names[key.Name()] {
			return nil, fmt.Errorf("%s line %d: witness %s is listed twice", path, n, key.Name())
		}
		names[key.Name()] = true
		if len(ws) == maxWitnesses {
			return nil, fmt.Errorf("%s: more than %d witnesses", path, maxWitnesses)
		}
		ws = append(ws, &workflow.Witness{Key: key, Client: &witness.Client{URL: fields[1], HTTP: client}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ws, nil
}

// cosigning is the server's side of witnessing: the witnesses it asks,
// the cosigner goroutine, and the demo's witnesses when it runs them.
type cosigning struct {
	svc       *workflow.Service
	witnesses []*workflow.Witness
	ch        chan *truce.Checkpoint
	cancel    context.CancelFunc
	done      chan struct{}
	demo      []*WitnessMain
}

// startCosigning reads the witnesses file (file, or DIR/witnesses.txt when
// present) and, for the demo, starts one witness per guarantor on
// loopback, then starts submitting each new checkpoint to them. It
// returns nil when there is no witness.
func startCosigning(svc *workflow.Service, dataDir, file string, demo bool, logger *slog.Logger) (*cosigning, error) {
	c := &cosigning{svc: svc}
	if file = witnessesPath(dataDir, file); file != "" {
		ws, err := readWitnesses(file)
		if err != nil {
			return nil, err
		}
		c.witnesses = ws
	}
	if demo {
		if err := c.startDemoWitnesses(dataDir, logger); err != nil {
			c.stop()
			return nil, err
		}
	}
	if len(c.witnesses) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.ch, c.cancel, c.done = make(chan *truce.Checkpoint, 1), cancel, make(chan struct{})
	go func() {
		defer close(c.done)
		svc.RunCosigner(ctx, c.witnesses, c.ch)
	}()
	// The latest checkpoint may have been issued while no witness was
	// asked (before a restart, or by the demo's seeding): ask now.
	if cp, err := svc.LatestCheckpoint(ctx); err == nil {
		c.issued()(cp)
	}
	return c, nil
}

// startDemoWitnesses runs the demo's witnesses, RU, IR and TR, each from
// its directory under DIR/demo-witnesses (made on first use), on a
// loopback port of its own.
func (c *cosigning) startDemoWitnesses(dataDir string, logger *slog.Logger) error {
	for _, g := range demoWitnesses {
		dir := filepath.Join(dataDir, demoWitnessesDir, g)
		if _, err := os.Stat(filepath.Join(dir, witness.KeyFile)); errors.Is(err, os.ErrNotExist) {
			if _, err := initWitnessDir(dir, "truce.demo/witness/"+g); err != nil {
				return err
			}
		}
		m := &WitnessMain{Dir: dir, LogKey: filepath.Join(dataDir, pubFile), Addr: "127.0.0.1:0", Logger: logger}
		if err := m.Run(); err != nil {
			m.Close()
			return fmt.Errorf("demo witness %s: %w", g, err)
		}
		c.demo = append(c.demo, m)
		c.witnesses = append(c.witnesses, &workflow.Witness{Key: m.Signer.Verifier(), Client: &witness.Client{URL: m.URL()}})
	}
	return nil
}

// demoWitnesses are the guarantors whose witnesses the demo runs.
var demoWitnesses = []string{"RU", "IR", "TR"}

// witnessesPath returns the witnesses file a server on dataDir reads:
// file, or DIR/witnesses.txt when there is one; "" for none.
func witnessesPath(dataDir, file string) string {
	if file == "" {
		if _, err := os.Stat(filepath.Join(dataDir, witnessesFile)); err == nil {
			file = filepath.Join(dataDir, witnessesFile)
		}
	}
	return file
}

// names returns the names of the witnesses asked to cosign, for the
// service's bulletins (workflow.Service.Witnesses); none when c is nil.
func (c *cosigning) names() []string {
	if c == nil {
		return nil
	}
	out := make([]string, len(c.witnesses))
	for i, w := range c.witnesses {
		out[i] = w.Name()
	}
	return out
}

// dataDirWitnesses returns the names of the witnesses a server on dataDir
// asks to cosign: those of its witnesses file (file, or DIR/witnesses.txt
// when present), and the demo's when it has run there. Commands that
// compute bulletins offline choose their checkpoint by them, as the
// server does.
func dataDirWitnesses(dataDir, file string) ([]string, error) {
	var names []string
	if file = witnessesPath(dataDir, file); file != "" {
		ws, err := readWitnesses(file)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			names = append(names, w.Name())
		}
	}
	for _, g := range demoWitnesses {
		vkey, err := os.ReadFile(filepath.Join(dataDir, demoWitnessesDir, g, witness.PubFile))
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		v, err := witness.NewVerifier(strings.TrimSpace(string(vkey)))
		if err != nil {
			return nil, fmt.Errorf("demo witness %s: %w", g, err)
		}
		names = append(names, v.Name())
	}
	return names, nil
}

// issued hands a new checkpoint to the cosigner; nil when c is nil (no
// witnesses), for RunCheckpointer.
func (c *cosigning) issued() func(*truce.Checkpoint) {
	if c == nil {
		return nil
	}
	return workflow.Latest(c.ch)
}

// stop stops the cosigner, asks the witnesses once more to cosign the
// latest checkpoint (the one issued on shutdown), and stops the demo's
// witnesses.
func (c *cosigning) stop() {
	if c == nil {
		return
	}
	if c.cancel != nil {
		c.cancel()
		<-c.done
		c.cancel = nil
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if cp, err := c.svc.LatestCheckpoint(ctx); err == nil {
			if _, err := c.svc.Cosign(ctx, cp, c.witnesses); err != nil {
				c.svc.Logger.Warn("cosigning the last checkpoint failed", "size", cp.Size, "err", err)
			}
		}
		cancel()
	}
	for _, m := range c.demo {
		m.Close()
	}
	c.demo = nil
}
