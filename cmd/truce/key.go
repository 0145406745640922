package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func runKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, `Usage: truce key <command>

  generate  make an Ed25519 key pair for signing submissions
  register  register the public key with the server, as the member whose token is given
`)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "generate":
		return runKeyGenerate(args[1:], stdout, stderr)
	case "register":
		return runKeyRegister(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "truce key: unknown subcommand %q; try `truce key generate` or `truce key register`\n", args[0])
	return errUsage
}

func runKeyGenerate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("key generate", "key generate --name NAME [--out FILE]",
		"Makes an Ed25519 key pair in the signed-note format. The private key goes to\n"+
			"FILE (readable only by you), the public key to FILE.pub and to standard\n"+
			"output. NAME names the key in signatures: the member id is a good choice.", stderr)
	name := fs.String("name", "", "the key's name (required), e.g. your member id")
	out := fs.String("out", "truce.key", "where to write the private key; the public key goes to FILE.pub")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" {
		fmt.Fprintln(stderr, "truce key generate: --name is required")
		fs.Usage()
		return errUsage
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, *name)
	if err != nil {
		return fmt.Errorf("key name %q: %w", *name, err)
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists; remove it or choose another --out", *out)
	}
	if err := os.WriteFile(*out, []byte(skey+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(*out+".pub", []byte(vkey+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}

func runKeyRegister(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("key register", "key register [--server URL] [--token TOKEN] [--key FILE]",
		"Registers FILE.pub as the signing key of the member whose token is given.\n"+
			"From then on the server refuses that member's unsigned submissions. A key is\n"+
			"replaced by registering a new one with a submission signed by the old key\n"+
			"(--sign-with OLDKEY).", stderr)
	c := clientFlags(fs)
	key := fs.String("key", envOr("TRUCE_KEY", "truce.key"), "the private key file; its public key is FILE.pub (default $TRUCE_KEY)")
	signWith := fs.String("sign-with", "", "the member's current key, to sign the replacement")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	pub, err := os.ReadFile(*key + ".pub")
	if err != nil {
		return fmt.Errorf("public key: %w", err)
	}
	body := map[string]string{"key": strings.TrimSpace(string(pub))}
	if *signWith != "" {
		return c.submitSigned(ctx, "POST", "/api/v1/me/keys", body, *signWith, stdout)
	}
	return c.submit(ctx, "POST", "/api/v1/me/keys", body, stdout)
}

// loadSigner reads a private key written by `truce key generate`.
func loadSigner(path string) (note.Signer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no key at %s: make one with `truce key generate`", path)
	} else if err != nil {
		return nil, err
	}
	s, err := note.NewSigner(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
