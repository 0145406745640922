package truce

import (
	"fmt"
	"math"
	"net/url"
	"strings"
)

// Precision codes, as ACLED's codebook defines them.
const (
	// TimePrecision: 1 the exact day is known; 2 the week (or a few days);
	// 3 only the month.
	MaxTimePrecision = 3
	// GeoPrecision: 1 the exact place (a town, a hill, a checkpoint); 2 near
	// the place or within its district; 3 only a larger region.
	MaxGeoPrecision = 3
)

// Limits on the fields of observations.
const (
	MaxCount        = 100000 // casualties, explosions, projectiles, bursts
	MaxUncertaintyM = 200000 // metres
	MaxSources      = 20
	MaxSourceLength = 1000
	MaxPlace        = 200
	MaxPost         = 100
	MaxIdentity     = 2000
)

// Estimate is a count as UCDP gives it: a low, best and high estimate.
type Estimate struct {
	Low  int `json:"low"`
	Best int `json:"best"`
	High int `json:"high"`
}

func (e *Estimate) validate(field string) error {
	switch {
	case e.Low < 0 || e.Best < 0 || e.High < 0:
		return Invalidf(field, "counts must not be negative")
	case e.High > MaxCount:
		return Invalidf(field, "counts must be at most %d", MaxCount)
	case e.Low > e.Best || e.Best > e.High:
		return Invalidf(field, "must have low <= best <= high (got %d, %d, %d)", e.Low, e.Best, e.High)
	}
	return nil
}

// within reports whether e is, estimate by estimate, no more than total.
func (e *Estimate) within(total *Estimate) bool {
	return total == nil || (e.Low <= total.Low && e.Best <= total.Best && e.High <= total.High)
}

// Casualties are the people killed and injured, and how many of them were
// civilians. Missing estimates are unknown, not zero.
type Casualties struct {
	Killed           *Estimate `json:"killed,omitempty"`
	KilledCivilians  *Estimate `json:"killed_civilians,omitempty"`
	Injured          *Estimate `json:"injured,omitempty"`
	InjuredCivilians *Estimate `json:"injured_civilians,omitempty"`
}

// Validate checks every estimate, and that civilians are no more than all.
func (c *Casualties) Validate() error {
	for _, e := range []struct {
		name string
		est  *Estimate
	}{{"killed", c.Killed}, {"killed_civilians", c.KilledCivilians}, {"injured", c.Injured}, {"injured_civilians", c.InjuredCivilians}} {
		if e.est != nil {
			if err := e.est.validate("casualties." + e.name); err != nil {
				return err
			}
		}
	}
	if c.KilledCivilians != nil && !c.KilledCivilians.within(c.Killed) {
		return Invalidf("casualties.killed_civilians", "must not exceed killed")
	}
	if c.InjuredCivilians != nil && !c.InjuredCivilians.within(c.Injured) {
		return Invalidf("casualties.injured_civilians", "must not exceed injured")
	}
	return nil
}

// Explosions counts explosions by kind, as OSCE monitors record them.
type Explosions struct {
	Impact       int `json:"impact"`
	Outgoing     int `json:"outgoing"`
	Airburst     int `json:"airburst"`
	Undetermined int `json:"undetermined"`
}

// DistanceBands are the bands in which an observation post estimates the
// distance to what it saw or heard.
var DistanceBands = []string{"under_1km", "1_3km", "3_5km", "5_10km", "over_10km", "unknown"}

// Fire is the record of fire an observation post or patrol keeps: counts
// of explosions, projectiles and bursts of small-arms fire, the bearing and
// distance band from the post, and the post's name.
type Fire struct {
	Explosions      Explosions `json:"explosions"`
	Projectiles     int        `json:"projectiles"`
	Bursts          int        `json:"bursts"`
	BearingDeg      *float64   `json:"bearing_deg,omitempty"` // from the post, clockwise from north
	DistanceBand    string     `json:"distance_band,omitempty"`
	ObservationPost string     `json:"observation_post,omitempty"`
}

// Validate checks the counts, the bearing and the band.
func (f *Fire) Validate() error {
	counts := []struct {
		name string
		n    int
	}{
		{"explosions.impact", f.Explosions.Impact}, {"explosions.outgoing", f.Explosions.Outgoing},
		{"explosions.airburst", f.Explosions.Airburst}, {"explosions.undetermined", f.Explosions.Undetermined},
		{"projectiles", f.Projectiles}, {"bursts", f.Bursts},
	}
	total := 0
	for _, c := range counts {
		if c.n < 0 || c.n > MaxCount {
			return Invalidf("fire."+c.name, "must be from 0 to %d", MaxCount)
		}
		total += c.n
	}
	if total == 0 {
		return Invalidf("fire", "record at least one explosion, projectile or burst, or leave fire out")
	}
	if b := f.BearingDeg; b != nil && (math.IsNaN(*b) || *b < 0 || *b >= 360) {
		return Invalidf("fire.bearing_deg", "must be from 0 up to 360 degrees, clockwise from north")
	}
	if f.DistanceBand != "" && !oneOf(f.DistanceBand, DistanceBands) {
		return Invalidf("fire.distance_band", "%q is not one of %v", clip(f.DistanceBand), DistanceBands)
	}
	return checkLine("fire.observation_post", f.ObservationPost, 0, MaxPost)
}

// validateSources checks public references: citations or http(s) links.
func validateSources(sources []string) error {
	if len(sources) > MaxSources {
		return Invalidf("sources", "at most %d sources", MaxSources)
	}
	for i, s := range sources {
		if err := ValidateSource(fmt.Sprintf("sources[%d]", i), s); err != nil {
			return err
		}
	}
	return nil
}

// ValidateSource checks one public reference, a report's source, in
// field: a line of at most MaxSourceLength bytes, a citation or an http or
// https link.
func ValidateSource(field, s string) error {
	if err := checkLine(field, s, 1, MaxSourceLength); err != nil {
		return err
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Invalidf(field, "a link must be an http or https URL")
		}
	}
	return nil
}
