package agreements

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"truce"
)

// Default is the built-in agreement used when none is named.
const Default = "astana-2017"

// builtins are the agreement files shipped inside the binary, so that a
// fresh install can start without looking for files.
//
//go:embed *.yaml
var builtins embed.FS

// Builtin returns the text of the built-in agreement called name, with or
// without its ".yaml" suffix.
func Builtin(name string) ([]byte, bool) {
	name = strings.TrimSuffix(name, ".yaml")
	// Only the files at the top of the embedded tree are agreements; a name
	// with a separator or dots would reach elsewhere or nowhere.
	if name == "" || strings.ContainsAny(name, `/\`) || !fs.ValidPath(name) {
		return nil, false
	}
	data, err := builtins.ReadFile(name + ".yaml")
	if err != nil {
		return nil, false
	}
	return data, true
}

// Names returns the names of the built-in agreements, sorted, without the
// ".yaml" suffix.
func Names() []string {
	entries, _ := builtins.ReadDir(".")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Load reads and parses an agreement. If nameOrPath names an existing
// file, that file is read (at most MaxSize bytes); otherwise it is taken as
// the name of a built-in agreement, with or without ".yaml". It returns the
// agreement and the exact bytes it was parsed from, which the log records
// so that anyone can check the rules a log was kept under.
//
// An unknown name gives ENOTFOUND, listing the built-ins; a file over
// MaxSize gives ETOOLARGE; a file that breaks a rule gives EINVALID as
// Parse does. A file that exists but cannot be read gives the operating
// system's error, wrapped.
func Load(nameOrPath string) (*truce.Agreement, []byte, error) {
	filename, data, err := read(nameOrPath)
	if err != nil {
		return nil, nil, err
	}
	a, err := Parse(filename, data)
	if err != nil {
		return nil, nil, err
	}
	return a, data, nil
}

// read finds the file or built-in and returns the name to use in error
// messages with its contents.
func read(nameOrPath string) (string, []byte, error) {
	fi, err := os.Stat(nameOrPath)
	switch {
	case err == nil && fi.IsDir():
		return "", nil, truce.Errorf(truce.EINVALID, "%s is a directory, not an agreement file", nameOrPath)
	case err == nil:
		data, err := readFile(nameOrPath)
		return nameOrPath, data, err
	case !errors.Is(err, fs.ErrNotExist):
		return "", nil, fmt.Errorf("agreements: %w", err)
	}
	if data, ok := Builtin(nameOrPath); ok {
		return strings.TrimSuffix(nameOrPath, ".yaml") + ".yaml", data, nil
	}
	return "", nil, truce.Errorf(truce.ENOTFOUND, "%q is neither an agreement file nor a built-in agreement; the built-ins are %s",
		nameOrPath, strings.Join(Names(), ", "))
}

// readFile reads at most MaxSize bytes, so that pointing truce at a huge
// file (or /dev/zero) fails fast instead of exhausting memory.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	if len(data) > MaxSize {
		return nil, &truce.Error{Code: truce.ETOOLARGE,
			Message: fmt.Sprintf("%s: the file is larger than the limit of %d bytes", name, MaxSize)}
	}
	return data, nil
}
