package mapgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// actorNames are the names areas carry.
var actorNames = map[string]string{
	"SYG": "Government of Syria", "OPP": "armed opposition", "JFS": "Hay'at Tahrir al-Sham",
	"ISIL": "ISIL", "SDF": "Syrian Democratic Forces", "TR": "Turkey",
}

// Encode writes the areas as a GeoJSON FeatureCollection (RFC 7946): one
// MultiPolygon feature per area, one ring per line, coordinates with at
// most six decimals, and a final newline.
func Encode(areas []Area) []byte {
	var b bytes.Buffer
	b.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i, a := range areas {
		props := map[string]any{
			"kind":       "control",
			"markers":    a.Markers,
			"valid_from": ValidFrom,
			"source":     Source,
			"licence":    Licence,
		}
		if a.Class.Contested() {
			props["controller"] = nil
			props["contested_between"] = []string(a.Class)
			var names []string
			for _, c := range a.Class {
				names = append(names, actorNames[c])
			}
			props["name"] = fmt.Sprintf("Mixed or contested: %s, mid-2017", joinAnd(names))
		} else {
			props["controller"] = a.Class[0]
			props["name"] = fmt.Sprintf("Held by %s, mid-2017", actorNames[a.Class[0]])
		}
		var pj bytes.Buffer // maps encode with sorted keys
		enc := json.NewEncoder(&pj)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(props); err != nil {
			panic(err) // strings, ints and nil only
		}
		fmt.Fprintf(&b, "{\"type\":\"Feature\",\"properties\":%s,\n\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[\n",
			bytes.TrimSuffix(pj.Bytes(), []byte("\n")))
		for j, poly := range a.Polygons {
			b.WriteString("[")
			for k, r := range poly {
				if k > 0 {
					b.WriteString(",\n")
				}
				b.WriteString("[")
				for i := range len(r) + 1 { // closed: the first point again
					p := r[i%len(r)]
					b.WriteString("[")
					b.WriteString(deg(p.X))
					b.WriteString(",")
					b.WriteString(deg(p.Y))
					b.WriteString("],")
				}
				b.Truncate(b.Len() - 1)
				b.WriteString("]")
			}
			b.WriteString("]")
			if j < len(a.Polygons)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]}}")
		if i < len(areas)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// deg writes micro-degrees as decimal degrees, without trailing zeros.
func deg(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatInt(v/micro, 10)
	if f := v % micro; f != 0 {
		fs := fmt.Sprintf("%06d", f)
		for fs[len(fs)-1] == '0' {
			fs = fs[:len(fs)-1]
		}
		s += "." + fs
	}
	return sign + s
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	s := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		s += ", " + x
	}
	return s + " and " + xs[len(xs)-1]
}
