package http_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	trucehttp "truce/http"
	"truce/sqlite"
	"truce/workflow"
)

// openAPIMethods are the operations a path item may hold, as OpenAPI
// spells them.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIServer returns a server over a real, empty store.
func openAPIServer(t *testing.T) *trucehttp.Server {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return trucehttp.NewServer(workflow.New(db, nil), slog.New(slog.DiscardHandler), prometheus.NewRegistry())
}

// openAPIDocument fetches the document the server serves and decodes it.
func openAPIDocument(t *testing.T, srv http.Handler) map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: status %d, want 200: %s", rec.Code, rec.Body)
	}
	if got, want := rec.Header().Get("Content-Type"), "application/json"; got != want {
		t.Errorf("GET /api/v1/openapi.json: Content-Type %q, want %q", got, want)
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("the OpenAPI document is not valid JSON: %v", err)
	}
	return doc
}

// openAPIOperation is one operation of the document.
type openAPIOperation struct {
	method, path string
	item, op     map[string]any
}

func (o openAPIOperation) String() string { return strings.ToUpper(o.method) + " " + o.path }

// openAPIOperations lists the document's operations, sorted.
func openAPIOperations(t *testing.T, doc map[string]any) []openAPIOperation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatalf("paths is %T, want an object", doc["paths"])
	}
	var ops []openAPIOperation
	for path, v := range paths {
		item, ok := v.(map[string]any)
		if !ok {
			t.Errorf("paths[%q] is %T, want an object", path, v)
			continue
		}
		for _, m := range openAPIMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops = append(ops, openAPIOperation{method: m, path: path, item: item, op: op})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
	return ops
}

// goWildcard matches a wildcard of a net/http pattern: {name}, {name...}
// or {$}.
var goWildcard = regexp.MustCompile(`\{([^}.$]*)(\.\.\.)?\}|\{\$\}`)

// openAPIRoute turns a net/http pattern ("GET /api/v1/reports/{id}") into
// an operation name of the document ("GET /api/v1/reports/{id}").
func openAPIRoute(pattern string) string {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return "ANY " + pattern
	}
	path = goWildcard.ReplaceAllStringFunc(path, func(w string) string {
		if w == "{$}" {
			return ""
		}
		return "{" + goWildcard.FindStringSubmatch(w)[1] + "}"
	})
	return method + " " + path
}

// TestOpenAPI checks the served document against the router.
func TestOpenAPI(t *testing.T) {
	srv := openAPIServer(t)
	doc := openAPIDocument(t, srv)

	t.Run("Version", func(t *testing.T) {
		v, _ := doc["openapi"].(string)
		if !regexp.MustCompile(`^3\.1\.[0-9]+$`).MatchString(v) {
			t.Errorf("openapi = %q, want 3.1.x", v)
		}
	})

	ops := openAPIOperations(t, doc)

	t.Run("Routes", func(t *testing.T) {
		want := map[string]bool{}
		for _, p := range srv.Routes() {
			want[openAPIRoute(p)] = true
		}
		got := map[string]bool{}
		for _, o := range ops {
			got[o.String()] = true
		}
		var missing, extra []string
		for r := range want {
			if !got[r] {
				missing = append(missing, r)
			}
		}
		for r := range got {
			if !want[r] {
				extra = append(extra, r)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		for _, r := range missing {
			t.Errorf("%s: got no operation in the document, want one: Server.Routes() serves it", r)
		}
		for _, r := range extra {
			t.Errorf("%s: got an operation in the document, want none: Server.Routes() does not serve it", r)
		}
	})

	t.Run("Refs", func(t *testing.T) {
		openAPIWalk(doc, "#", func(loc string, v map[string]any) {
			ref, ok := v["$ref"].(string)
			if !ok {
				return
			}
			if _, err := openAPIResolve(doc, ref); err != nil {
				t.Errorf("%s: $ref %q: %v", loc, ref, err)
			}
		})
	})

	t.Run("OperationIDs", func(t *testing.T) {
		seen := map[string]string{}
		for _, o := range ops {
			id, _ := o.op["operationId"].(string)
			if id == "" {
				t.Errorf("%s: operationId = %q, want one", o, id)
			} else if prev, ok := seen[id]; ok {
				t.Errorf("%s: operationId %q is also %s's, want it unique", o, id, prev)
			}
			seen[id] = o.String()
		}
	})

	t.Run("Responses", func(t *testing.T) {
		for _, o := range ops {
			responses, _ := o.op["responses"].(map[string]any)
			var codes []string
			for code := range responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			has := func(class byte) bool {
				return slices.ContainsFunc(codes, func(c string) bool { return c[0] == class })
			}
			if !has('2') {
				t.Errorf("%s: responses %v, want a 2xx", o, codes)
			}
			if o.path != "/metrics" && o.path != "/healthz" && !has('4') {
				t.Errorf("%s: responses %v, want a 4xx", o, codes)
			}
		}
	})

	t.Run("PathParameters", func(t *testing.T) {
		template := regexp.MustCompile(`\{([^}]+)\}`)
		for _, o := range ops {
			declared := map[string]map[string]any{} // in+name → parameter
			for _, holder := range []map[string]any{o.item, o.op} {
				list, _ := holder["parameters"].([]any)
				for _, p := range list {
					param := openAPIParameter(t, doc, o, p)
					if param == nil {
						continue
					}
					in, _ := param["in"].(string)
					name, _ := param["name"].(string)
					declared[in+" "+name] = param // the operation's overrides the path item's
				}
			}
			inTemplate := map[string]bool{}
			for _, m := range template.FindAllStringSubmatch(o.path, -1) {
				name := m[1]
				inTemplate[name] = true
				p, ok := declared["path "+name]
				if !ok {
					t.Errorf("%s: path parameter %q is not declared, want it in parameters with in: path", o, name)
					continue
				}
				if req, _ := p["required"].(bool); !req {
					t.Errorf("%s: path parameter %q has required = %v, want true", o, name, p["required"])
				}
			}
			for key := range declared {
				if name, ok := strings.CutPrefix(key, "path "); ok && !inTemplate[name] {
					t.Errorf("%s: path parameter %q is declared but not in the path, want it in the template", o, name)
				}
			}
		}
	})

	t.Run("IdempotencyKey", func(t *testing.T) {
		for _, o := range ops {
			if o.method != "post" {
				continue
			}
			found := false
			for _, holder := range []map[string]any{o.item, o.op} {
				list, _ := holder["parameters"].([]any)
				for _, p := range list {
					param := openAPIParameter(t, doc, o, p)
					if param != nil && param["in"] == "header" && strings.EqualFold(fmt.Sprint(param["name"]), "Idempotency-Key") {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("%s: no Idempotency-Key header parameter, want one on every POST", o)
			}
		}
	})
}

// openAPIParameter returns a parameter object, following a $ref.
func openAPIParameter(t *testing.T, doc map[string]any, o openAPIOperation, p any) map[string]any {
	t.Helper()
	param, ok := p.(map[string]any)
	if !ok {
		t.Errorf("%s: a parameter is %T, want an object", o, p)
		return nil
	}
	if ref, ok := param["$ref"].(string); ok {
		v, err := openAPIResolve(doc, ref)
		if err != nil {
			t.Errorf("%s: parameter $ref %q: %v", o, ref, err)
			return nil
		}
		if param, ok = v.(map[string]any); !ok {
			t.Errorf("%s: parameter $ref %q is %T, want an object", o, ref, v)
			return nil
		}
	}
	return param
}

// openAPIWalk calls fn for every object in v, with its JSON pointer.
func openAPIWalk(v any, loc string, fn func(loc string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(loc, v)
		for k, x := range v {
			openAPIWalk(x, loc+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), fn)
		}
	case []any:
		for i, x := range v {
			openAPIWalk(x, fmt.Sprintf("%s/%d", loc, i), fn)
		}
	}
}

// openAPIResolve follows a local reference ("#/components/schemas/X").
func openAPIResolve(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("not a reference within the document")
	}
	var v any = doc
	if rest == "" {
		return v, nil
	}
	if !strings.HasPrefix(rest, "/") {
		return nil, fmt.Errorf("not a JSON pointer")
	}
	for _, tok := range strings.Split(rest[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			v = next
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no element %q", tok)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%q is inside a %T", tok, v)
		}
	}
	return v, nil
}
