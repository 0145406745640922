package places

import (
	"testing"

	"truce/geo"
)

// TestSubDistrictLeaveOneOut places every community in a sub-district
// with the community itself left out of the search, as a point between
// communities would be placed, and checks that at least 88% land in the
// sub-district the gazetteer states (nearest centroids give 82%).
func TestSubDistrictLeaveOneOut(t *testing.T) {
	l := NewLocator()
	ok, n := 0, 0
	for _, c := range Communities() {
		n++
		if l.subDistrict(c.ADM2, geo.Point{Lon: c.Lon, Lat: c.Lat}, c.PCode) == c.ADM3 {
			ok++
		}
	}
	t.Logf("%d of %d communities (%.1f%%) in their own sub-district, each left out", ok, n, 100*float64(ok)/float64(n))
	if ok < n*88/100 {
		t.Errorf("%d of %d communities placed in their sub-district, want at least 88%%", ok, n)
	}
}
