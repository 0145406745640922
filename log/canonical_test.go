package log_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	tlog "truce/log"
)

// canonicalTests are inputs and their canonical forms, one group per rule
// of the package documentation.
var canonicalTests = []struct {
	in, out string
}{
	// Whitespace outside strings is removed; inside strings it stays.
	{"  { \"a\" : [ 1 , 2 ] ,\n\t\"b\" : { } }\r\n", `{"a":[1,2],"b":{}}`},
	{"[ ]", `[]`},
	{"{ }", `{}`},
	{`{"a b":" c "}`, `{"a b":" c "}`},

	// Members are sorted by key, byte by byte.
	{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
	{`{"ab":1,"a":2,"abc":3,"aa":4,"":5}`, `{"":5,"a":2,"aa":4,"ab":1,"abc":3}`},
	{`{"key10":1,"key1":2,"key2":3}`, `{"key1":2,"key10":1,"key2":3}`},
	{`{"a":1,"B":2,"_":3}`, `{"B":2,"_":3,"a":1}`},
	// Non-ASCII keys sort by their UTF-8 bytes: é (C3 A9) < 日 (E6 97 A5) <
	// ｡ (U+FF61, EF BD A1) < 😀 (F0 9F 98 80). Sorting by UTF-16 code units,
	// as RFC 8785 does, would put 😀 (D83D) before ｡ (FF61).
	{`{"😀":1,"｡":2,"日":3,"é":4,"z":5}`, `{"z":5,"é":4,"日":3,"｡":2,"😀":1}`},
	// Keys are compared after their escapes are decoded.
	{`{"\u0062":1,"a":2}`, `{"a":2,"b":1}`},
	{`{"\u00e9":1,"f":2}`, `{"f":2,"é":1}`},

	// Strings: the escapes that stay escapes.
	{`"\""`, `"\""`},
	{`"\\"`, `"\\"`},
	{`"\b\t\n\f\r"`, `"\b\t\n\f\r"`},
	{`"\u0008\u0009\u000A\u000c\u000D"`, `"\b\t\n\f\r"`},
	{`"\u0022\u005c"`, `"\"\\"`},
	// Other control characters as \u00XX, lower-case.
	{`"\u0000"`, `"\u0000"`},
	{`"\u0001\u000B\u000e\u001F"`, `"\u0001\u000b\u000e\u001f"`},
	{`"\u001A\u001b"`, `"\u001a\u001b"`},
	// Everything else as itself.
	{`"\u007f"`, "\"\x7f\""},
	{"\"\x7f\"", "\"\x7f\""},
	{`"\u2028\u2029"`, "\"\u2028\u2029\""},
	{`"\u003c\u003e\u0026"`, `"<>&"`},
	{`"<>&"`, `"<>&"`},
	{`"\u00e9\u00E9"`, `"éé"`},
	{`"é"`, `"é"`},
	{`"\/"`, `"/"`},
	{`"a\/b"`, `"a/b"`},
	{`"\u0041\u0020"`, `"A "`},
	{`"\ud83d\ude00"`, `"😀"`},
	{`"\uD83D\uDE00"`, `"😀"`},
	{`"حلب"`, `"حلب"`},
	{`"\ufeff"`, "\"\ufeff\""},

	// Numbers as ECMAScript writes them.
	{`1.0`, `1`},
	{`1e2`, `100`},
	{`1E2`, `100`},
	{`1e+2`, `100`},
	{`100e-2`, `1`},
	{`-0`, `0`},
	{`-0.0`, `0`},
	{`0e10`, `0`},
	{`0`, `0`},
	{`0.1`, `0.1`},
	{`-1.5`, `-1.5`},
	{`4.35`, `4.35`},
	{`1e21`, `1e+21`},
	{`1E21`, `1e+21`},
	{`-1e21`, `-1e+21`},
	{`1.5e300`, `1.5e+300`},
	{`1e-7`, `1e-7`},
	{`-1e-7`, `-1e-7`},
	{`0.0000001`, `1e-7`},
	{`123e-20`, `1.23e-18`},
	{`1e-6`, `0.000001`},
	{`0.000001`, `0.000001`},
	{`0.0000012345`, `0.0000012345`},
	{`123456789012345680000`, `123456789012345680000`},
	{`123456789012345678901`, `123456789012345680000`},
	{`999999999999999900000`, `999999999999999900000`},
	{`9007199254740993`, `9007199254740992`},
	{`5e-324`, `5e-324`},
	{`1.7976931348623157e308`, `1.7976931348623157e+308`},
	{`0.1e1`, `1`},
	{`1.00000000000000001`, `1`},
	{`[1.0,-0,1e2]`, `[1,0,100]`},

	// Literals.
	{`true`, `true`},
	{`false`, `false`},
	{`null`, `null`},
	{` [ true , false , null ] `, `[true,false,null]`},

	// Nested values.
	{`{"b":[{"d":1,"c":2},[]],"a":{"z":{},"y":[[]]}}`, `{"a":{"y":[[]],"z":{}},"b":[{"c":2,"d":1},[]]}`},
	{`[[[["x"]]],{"a":{"b":{"c":null}}}]`, `[[[["x"]]],{"a":{"b":{"c":null}}}]`},
	{nested("[", 64, "]"), nested("[", 64, "]")},
	{nested("[", 64, "1]"), nested("[", 64, "1]")},
	{nested(`{"a":`, 63, `{}}`), nested(`{"a":`, 63, `{}}`)},
}

// nested returns open n times, then close, then the last byte of close
// n-1 times: nested("[", 2, "1]") is "[[1]]", a value nested 2 deep.
func nested(open string, n int, close string) string {
	return strings.Repeat(open, n) + close + strings.Repeat(close[len(close)-1:], n-1)
}

// canonicalErrors are inputs Canonicalize must refuse.
var canonicalErrors = []string{
	// Invalid UTF-8, in and out of strings.
	"\"\xff\"",
	"\"a\xc3\"",
	"\"\xed\xa0\x80\"", // an encoded surrogate
	"{\"\xc0\xaf\":1}",
	"[1]\xff",

	// Duplicate keys, at any depth, however they are escaped.
	`{"a":1,"a":2}`,
	`{"a":1,"a":1}`,
	`{"a":1,"\u0061":2}`,
	`{"b":{"a":1,"a":1}}`,
	`[{"a":1},{"b":1,"b":2}]`,
	`{"x":[{"y":{"z":1,"z":2}}]}`,

	// Data after the value.
	`{} {}`,
	`{}x`,
	`1 2`,
	`[]]`,
	`{}}`,
	`"a""b"`,
	`null,`,

	// Numbers that are not finite doubles.
	`1e400`,
	`-1e400`,
	`[1.8e308]`,
	`NaN`,
	`Infinity`,
	`-Infinity`,

	// Nesting deeper than 64.
	nested("[", 65, "]"),
	nested("[", 65, "1]"),
	nested(`{"a":`, 64, `{}}`),
	nested(`{"a":`, 65, `1}`),
	strings.Repeat("[", 1000),

	// Truncated input.
	``,
	` `,
	`{`,
	`{"a"`,
	`{"a":`,
	`{"a":1`,
	`{"a":1,`,
	`[`,
	`[1,`,
	`"abc`,
	`"\u00`,
	`tru`,
	`nul`,
	`-`,
	`1e`,
	`1.`,

	// Not JSON.
	`{'a':1}`,
	`{a:1}`,
	`[1,]`,
	`{"a":1,}`,
	`[,1]`,
	`{"a" 1}`,
	`{"a":1 "b":2}`,
	`{1:2}`,
	`01`,
	`.5`,
	`+1`,
	`0x10`,
	`True`,
	"\"a\tb\"",
	"\"a\nb\"",
	`"\q"`,
	`"\u12"`,
	`"\x41"`,
	"\ufeff{}",
}

func TestCanonicalize(t *testing.T) {
	for _, tt := range canonicalTests {
		got, err := tlog.Canonicalize([]byte(tt.in))
		if err != nil {
			t.Errorf("Canonicalize(%q): %v", tt.in, err)
			continue
		}
		if string(got) != tt.out {
			t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.out)
		}
	}
}

// TestCanonicalizeIdempotent checks that canonical JSON is its own
// canonical form.
func TestCanonicalizeIdempotent(t *testing.T) {
	for _, tt := range canonicalTests {
		got, err := tlog.Canonicalize([]byte(tt.out))
		if err != nil {
			t.Errorf("Canonicalize(%q): %v", tt.out, err)
			continue
		}
		if string(got) != tt.out {
			t.Errorf("Canonicalize(%q) = %q, want it unchanged", tt.out, got)
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	for _, in := range canonicalErrors {
		if got, err := tlog.Canonicalize([]byte(in)); err == nil {
			t.Errorf("Canonicalize(%.40q) = %q, want error", in, got)
		}
	}
}

// TestCanonicalizeTruncated checks that no proper prefix of a canonical
// object or array is accepted: each one is truncated JSON.
func TestCanonicalizeTruncated(t *testing.T) {
	for _, tt := range canonicalTests {
		if tt.out[0] != '{' && tt.out[0] != '[' && tt.out[0] != '"' {
			continue
		}
		for i := range len(tt.out) {
			in := tt.out[:i]
			if got, err := tlog.Canonicalize([]byte(in)); err == nil {
				t.Errorf("Canonicalize(%q) = %q, want error", in, got)
			}
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{negZero(), "0"},
		{1, "1"},
		{-1, "-1"},
		{0.1, "0.1"},
		{1e21, "1e+21"},
		{1e20, "100000000000000000000"},
		{1e-6, "0.000001"},
		{1e-7, "1e-7"},
		{1.5e-10, "1.5e-10"},
		{5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{-1.7976931348623157e308, "-1.7976931348623157e+308"},
		{123456789012345680000, "123456789012345680000"},
		{33.3, "33.3"},
		{1 << 53, "9007199254740992"},
	} {
		if got := string(tlog.FormatNumber([]byte("x"), tt.f)); got != "x"+tt.want {
			t.Errorf("FormatNumber(x, %v) = %q, want %q", tt.f, got, "x"+tt.want)
		}
	}
}

func negZero() float64 {
	f, _ := strconv.ParseFloat("-0", 64)
	return f
}

func TestCanonical(t *testing.T) {
	v := struct {
		Z    string            `json:"z"`
		A    float64           `json:"a"`
		M    map[string]string `json:"m"`
		HTML string            `json:"html"`
		Nil  []int             `json:"nil"`
	}{
		Z:    "line\u2028sep",
		A:    1e21,
		M:    map[string]string{"b": "<", "a": "&"},
		HTML: "<b>",
	}
	got, err := tlog.Canonical(v)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\"a\":1e+21,\"html\":\"<b>\",\"m\":{\"a\":\"&\",\"b\":\"<\"},\"nil\":null,\"z\":\"line\u2028sep\"}"
	if string(got) != want {
		t.Errorf("Canonical(v) = %q, want %q", got, want)
	}
	if _, err := tlog.Canonical(func() {}); err == nil {
		t.Errorf("Canonical(func) succeeded, want error")
	}
}

// FuzzCanonicalize checks that canonical output is a fixed point and means
// what the input meant.
func FuzzCanonicalize(f *testing.F) {
	for _, tt := range canonicalTests {
		f.Add([]byte(tt.in))
	}
	for _, in := range canonicalErrors {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, x []byte) {
		y, err := tlog.Canonicalize(x)
		if err != nil {
			// Valid JSON is refused only for the rules canonical JSON adds.
			if json.Valid(x) && !strings.Contains(err.Error(), "duplicate key") &&
				!strings.Contains(err.Error(), "nested too deeply") && !strings.Contains(err.Error(), "not a finite double") &&
				!strings.Contains(err.Error(), "invalid UTF-8") {
				t.Fatalf("Canonicalize(%q) refuses valid JSON: %v", x, err)
			}
			return
		}
		z, err := tlog.Canonicalize(y)
		if err != nil {
			t.Fatalf("Canonicalize(%q) = %q, which does not canonicalize: %v", x, y, err)
		}
		if !bytes.Equal(z, y) {
			t.Fatalf("Canonicalize(%q) = %q, but Canonicalize(%q) = %q", x, y, y, z)
		}
		vx, err := decodeAny(x)
		if err != nil {
			t.Fatalf("Canonicalize(%q) succeeded, but encoding/json refuses it: %v", x, err)
		}
		vy, err := decodeAny(y)
		if err != nil {
			t.Fatalf("Canonicalize(%q) = %q, which encoding/json refuses: %v", x, y, err)
		}
		if !reflect.DeepEqual(vx, vy) {
			t.Fatalf("Canonicalize(%q) = %q, which means %#v, want %#v", x, y, vy, vx)
		}
	})
}

// decodeAny decodes data with encoding/json, numbers as float64 read from
// their decimal text.
func decodeAny(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return floats(v)
}

func floats(v any) (any, error) {
	switch v := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(v), 64)
	case []any:
		for i := range v {
			f, err := floats(v[i])
			if err != nil {
				return nil, err
			}
			v[i] = f
		}
	case map[string]any:
		for k := range v {
			f, err := floats(v[k])
			if err != nil {
				return nil, err
			}
			v[k] = f
		}
	}
	return v, nil
}

func ExampleCanonicalize() {
	out, err := tlog.Canonicalize([]byte(`{
		"time": "2017-01-05T12:00:00Z",
		"lat": 36.20,
		"kind": "report.filed",
		"note": "\u003c2 km \u00e9\/\u0001",
		"count": 1e2
	}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {"count":100,"kind":"report.filed","lat":36.2,"note":"<2 km é/\u0001","time":"2017-01-05T12:00:00Z"}
}
