package places_test

import (
	"math/rand"
	"strings"
	"testing"

	"truce/places"
)

// TestLocateGazetteer places 1,000 communities of the gazetteer, drawn at
// random with a fixed seed, and checks that the locator gives the
// governorate and district the gazetteer states for at least 99% of them.
// The locator knows nothing of the gazetteer: it uses the district
// polygons.
func TestLocateGazetteer(t *testing.T) {
	cs := places.Communities()
	rng := rand.New(rand.NewSource(2017))
	l := places.DefaultLocator()
	const n = 1000
	var adm1, adm2, adm3 int
	var misses []string
	for _, i := range rng.Perm(len(cs))[:n] {
		c := cs[i]
		a1, a2, a3 := l.Locate(c.Lon, c.Lat)
		if a1 == c.ADM1 {
			adm1++
		}
		if a2 == c.ADM2 {
			adm2++
		} else if len(misses) < 20 {
			misses = append(misses, c.PCode+" "+c.NameEN+" "+c.ADM2+"→"+a2)
		}
		if a3 == c.ADM3 {
			adm3++
		}
	}
	t.Logf("of %d communities: ADM1 %.1f%%, ADM2 %.1f%%, ADM3 %.1f%% (nearest community, itself included); misses: %s",
		n, 100*float64(adm1)/n, 100*float64(adm2)/n, 100*float64(adm3)/n, strings.Join(misses, "; "))
	if adm1 < n*99/100 || adm2 < n*99/100 {
		t.Errorf("ADM1 %d and ADM2 %d of %d placed as the gazetteer says, want at least 99%% each", adm1, adm2, n)
	}
}

func TestLocateOutside(t *testing.T) {
	l := places.DefaultLocator()
	for _, p := range [][2]float64{{35.5, 33.9} /* Beirut */, {44.4, 33.3} /* Baghdad */, {34.0, 35.0} /* the sea */} {
		if a1, a2, a3 := l.Locate(p[0], p[1]); a1 != "" || a2 != "" || a3 != "" {
			t.Errorf("Locate(%v) = %s %s %s, want nothing outside Syria", p, a1, a2, a3)
		}
	}
	if a1, a2, _ := l.Locate(36.2765, 33.5138); a1 != "SY01" || a2 != "SY0100" {
		t.Errorf("Locate(Damascus) = %s %s, want SY01 SY0100", a1, a2)
	}
}

func BenchmarkLocate(b *testing.B) {
	l := places.DefaultLocator()
	cs := places.Communities()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cs[i%len(cs)]
		l.Locate(c.Lon, c.Lat)
	}
}
