package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"sync"

	"truce/places"
)

// The base map is Syria's fourteen governorates from the OCHA boundaries
// built into truce, thinned for the screen: a vertex is kept when it lies
// at least baseMapStep degrees (about 500 m) from the last one kept, which
// at the zooms the map allows is under a pixel at country scale and the
// reports are never placed against it (classification uses the full
// boundaries).
const baseMapStep = 0.005

type baseFeature struct {
	Type       string            `json:"type"`
	Properties map[string]string `json:"properties"`
	Geometry   struct {
		Type        string           `json:"type"`
		Coordinates [][][][2]float64 `json:"coordinates"`
	} `json:"geometry"`
}

// baseMap is the base map's GeoJSON, plain and gzipped, built once.
var baseMap = sync.OnceValues(func() ([]byte, []byte) {
	var fs []baseFeature
	for _, u := range places.Governorates() {
		f := baseFeature{Type: "Feature", Properties: map[string]string{"pcode": u.PCode, "name_en": u.NameEN, "name_ar": u.NameAR}}
		f.Geometry.Type = "MultiPolygon"
		for _, poly := range u.Geometry {
			var p [][][2]float64
			for _, ring := range poly {
				if r := thin(ring, baseMapStep); len(r) >= 4 {
					p = append(p, r)
				}
			}
			if len(p) > 0 {
				f.Geometry.Coordinates = append(f.Geometry.Coordinates, p)
			}
		}
		fs = append(fs, f)
	}
	plain, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs, "attribution": "OCHA (COD-AB, Humanitarian Data Exchange): see /attribution"})
	if err != nil {
		panic(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	return plain, z.Bytes()
})

// thin keeps a ring's vertices at least step apart, rounded to 4
// decimals, and keeps it closed.
func thin(ring [][2]float64, step float64) [][2]float64 {
	if len(ring) == 0 {
		return nil
	}
	round := func(p [2]float64) [2]float64 {
		return [2]float64{math.Round(p[0]*1e4) / 1e4, math.Round(p[1]*1e4) / 1e4}
	}
	out := [][2]float64{round(ring[0])}
	last := ring[0]
	for _, p := range ring[1 : len(ring)-1] {
		if math.Abs(p[0]-last[0]) >= step || math.Abs(p[1]-last[1]) >= step {
			out = append(out, round(p))
			last = p
		}
	}
	return append(out, out[0])
}

// handleBaseMap serves the base map, gzipped to browsers that take it.
func (h *Handler) handleBaseMap(w http.ResponseWriter, r *http.Request) {
	plain, z := baseMap()
	hd := w.Header()
	hd.Set("Content-Type", "application/geo+json")
	hd.Set("Cache-Control", "public, max-age=86400")
	hd.Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		hd.Set("Content-Encoding", "gzip")
		w.Write(z)
		return
	}
	w.Write(plain)
}
