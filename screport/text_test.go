package screport

import (
	"reflect"
	"regexp"
	"slices"
	"testing"

	"truce/i18n"
)

// TestTexts checks every language's fixed texts against the English: none
// missing, and the same placeholders, so that no sentence loses a figure.
func TestTexts(t *testing.T) {
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	en := reflect.ValueOf(*languages[i18n.EN])
	for _, l := range i18n.Langs {
		tx, ok := languages[l]
		if !ok {
			t.Errorf("no texts in %s", l)
			continue
		}
		v := reflect.ValueOf(*tx)
		var walk func(name string, got, want reflect.Value)
		walk = func(name string, got, want reflect.Value) {
			switch got.Kind() {
			case reflect.String:
				g, w := got.String(), want.String()
				if g == "" {
					t.Errorf("%s: %s is empty", l, name)
				}
				gp, wp := placeholder.FindAllString(g, -1), placeholder.FindAllString(w, -1)
				slices.Sort(gp)
				slices.Sort(wp)
				if !slices.Equal(gp, wp) {
					t.Errorf("%s: %s has placeholders %v, English %v", l, name, gp, wp)
				}
				if l != i18n.EN && g == w && len(g) > 3 {
					t.Errorf("%s: %s is the English %q", l, name, w)
				}
			case reflect.Array:
				for i := range got.Len() {
					walk(name+"["+string(rune('0'+i))+"]", got.Index(i), want.Index(i))
				}
			}
		}
		for i := range v.NumField() {
			walk(v.Type().Field(i).Name, v.Field(i), en.Field(i))
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		l    i18n.Lang
		n    int
		want string
	}{
		{i18n.EN, 0, "0"}, {i18n.EN, 999, "999"}, {i18n.EN, 1234, "1,234"}, {i18n.EN, 50000, "50,000"},
		{i18n.RU, 1234, "1234"}, {i18n.RU, 50000, "50\u00a0000"}, {i18n.TR, 1234567, "1.234.567"},
		{i18n.AR, 12345, "12,345"}, {i18n.EN, -1234, "-1,234"},
	} {
		if got := num(tc.l, tc.n); got != tc.want {
			t.Errorf("num(%s, %d) = %q, want %q", tc.l, tc.n, got, tc.want)
		}
	}
	if got := dec(i18n.RU, 1883.74); got != "1883,7" {
		t.Errorf("dec(ru, 1883.74) = %q", got)
	}
	if got := dec(i18n.EN, 5989.912); got != "5,989.9" {
		t.Errorf("dec(en, 5989.912) = %q", got)
	}
	if got := percent(i18n.TR, 1, 3); got != "%33" {
		t.Errorf("percent(tr, 1, 3) = %q", got)
	}
}

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		max  int
		want []int
	}{
		{0, nil}, {1, []int{1}}, {2, []int{1, 2}}, {8, []int{1, 2, 4, 8}}, {1465, []int{184, 367, 733, 1465}},
	} {
		if got := classes(tc.max); !slices.Equal(got, tc.want) {
			t.Errorf("classes(%d) = %v, want %v", tc.max, got, tc.want)
		}
	}
	b := classes(8)
	for n, want := range map[int]string{0: zeroColour, 1: seqColours[0], 3: seqColours[2], 8: seqColours[3]} {
		if got := seqColour(n, b); got != want {
			t.Errorf("seqColour(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ max, n, want int }{{1, 5, 1}, {8, 5, 2}, {110, 5, 50}, {3000, 5, 1000}, {7, 5, 2}} {
		if got := niceStep(tc.max, tc.n); got != tc.want {
			t.Errorf("niceStep(%d, %d) = %d, want %d", tc.max, tc.n, got, tc.want)
		}
	}
}
