package truce_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"truce"
	"truce/internal/trucetest"
)

func ftF64(f float64) *float64 { return &f }

// ftFullReport is a valid report input with every field of the full
// report set.
func ftFullReport() truce.ReportInput {
	return truce.ReportInput{
		OccurredAt: "2017-01-05T14:30:00+02:00", Lon: ftF64(36.63), Lat: ftF64(35.93),
		EventType: "Explosions/Remote violence", SubEventType: "Shelling/artillery/missile attack",
		Perpetrator: "Jabhat al-Nusra", Description: "Shelling of Kafr Nabl from the south.",
		TimePrecision: 2, GeoPrecision: 3, UncertaintyM: 1500,
		Place:  "Kafr Nabl",
		Target: "Syrian Arab Army",
		Casualties: &truce.Casualties{
			Killed:           &truce.Estimate{Low: 1, Best: 2, High: 4},
			KilledCivilians:  &truce.Estimate{Low: 0, Best: 1, High: 2},
			Injured:          &truce.Estimate{Low: 3, Best: 5, High: 9},
			InjuredCivilians: &truce.Estimate{Low: 3, Best: 5, High: 9},
		},
		Fire: &truce.Fire{
			Explosions:  truce.Explosions{Impact: 12, Outgoing: 3, Airburst: 1, Undetermined: 2},
			Projectiles: 4, Bursts: 7, BearingDeg: ftF64(225.5), DistanceBand: "3_5km",
			ObservationPost: "OP Tal Tuqan",
		},
		Sources:        []string{"https://example.org/sitrep/17", "Reuters, 5 January 2017"},
		SourceIdentity: "Field medic at Kafr Nabl hospital, phone +963 …",
	}
}

func ftValidateNow() time.Time { return time.Date(2017, 1, 6, 0, 0, 0, 0, time.UTC) }

// TestFtReportDetailsCopied checks that every field of the full report
// reaches the validated report, resolved where it names an actor.
func TestFtReportDetailsCopied(t *testing.T) {
	a := trucetest.Agreement()
	in := ftFullReport()
	r, err := in.Validate(a, ftValidateNow())
	if err != nil {
		t.Fatalf("Validate(full report) = %v, want nil", err)
	}
	if r.TimePrecision != 2 || r.GeoPrecision != 3 || r.UncertaintyM != 1500 {
		t.Errorf("precision = %d, %d, %d m, want 2, 3, 1500 m", r.TimePrecision, r.GeoPrecision, r.UncertaintyM)
	}
	if r.Place != "Kafr Nabl" {
		t.Errorf("place = %q, want Kafr Nabl", r.Place)
	}
	if r.Target != "SYG" || r.TargetAsGiven != "Syrian Arab Army" {
		t.Errorf("target = %q as %q, want SYG as Syrian Arab Army", r.Target, r.TargetAsGiven)
	}
	if r.Casualties == nil || *r.Casualties.Killed != (truce.Estimate{Low: 1, Best: 2, High: 4}) {
		t.Errorf("casualties = %+v, want the input's", r.Casualties)
	}
	if r.Fire == nil || r.Fire.Explosions.Impact != 12 || r.Fire.DistanceBand != "3_5km" || *r.Fire.BearingDeg != 225.5 {
		t.Errorf("fire = %+v, want the input's", r.Fire)
	}
	if len(r.Sources) != 2 || r.Sources[0] != "https://example.org/sitrep/17" {
		t.Errorf("sources = %q, want the input's", r.Sources)
	}
	if r.SourceIdentity != in.SourceIdentity {
		t.Errorf("source identity = %q, want %q", r.SourceIdentity, in.SourceIdentity)
	}

	// Defaults: precision 1, no casualties when none is estimated.
	bare := ftMinimal()
	bare.Casualties = &truce.Casualties{}
	r, err = bare.Validate(a, ftValidateNow())
	if err != nil {
		t.Fatalf("Validate(minimal) = %v", err)
	}
	if r.TimePrecision != 1 || r.GeoPrecision != 1 || r.UncertaintyM != 0 {
		t.Errorf("defaults = %d, %d, %d, want 1, 1, 0", r.TimePrecision, r.GeoPrecision, r.UncertaintyM)
	}
	if r.Casualties != nil || r.Fire != nil || r.Sources != nil || r.Target != "" {
		t.Errorf("empty details = %+v, %+v, %q, %q; want none", r.Casualties, r.Fire, r.Sources, r.Target)
	}
}

func ftMinimal() truce.ReportInput {
	in := ftFullReport()
	in.TimePrecision, in.GeoPrecision, in.UncertaintyM = 0, 0, 0
	in.Place, in.Target, in.Casualties, in.Fire, in.Sources, in.SourceIdentity = "", "", nil, nil, nil, ""
	return in
}

// TestFtReportDetailsValidate runs every rule of the full report's fields:
// each broken rule is EINVALID, names its field, and the message starts
// with it; each edge that is allowed passes.
func TestFtReportDetailsValidate(t *testing.T) {
	a := trucetest.Agreement()
	est := func(l, b, h int) *truce.Estimate { return &truce.Estimate{Low: l, Best: b, High: h} }
	long := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct {
		name  string
		edit  func(in *truce.ReportInput)
		field string // "" when valid
	}{
		// Precision codes.
		{"time precision 0 (default)", func(in *truce.ReportInput) { in.TimePrecision = 0 }, ""},
		{"time precision 1", func(in *truce.ReportInput) { in.TimePrecision = 1 }, ""},
		{"time precision 3", func(in *truce.ReportInput) { in.TimePrecision = 3 }, ""},
		{"time precision 4", func(in *truce.ReportInput) { in.TimePrecision = 4 }, "time_precision"},
		{"time precision -1", func(in *truce.ReportInput) { in.TimePrecision = -1 }, "time_precision"},
		{"geo precision 3", func(in *truce.ReportInput) { in.GeoPrecision = 3 }, ""},
		{"geo precision 4", func(in *truce.ReportInput) { in.GeoPrecision = 4 }, "geo_precision"},
		{"geo precision -1", func(in *truce.ReportInput) { in.GeoPrecision = -1 }, "geo_precision"},
		// Uncertainty.
		{"uncertainty 0", func(in *truce.ReportInput) { in.UncertaintyM = 0 }, ""},
		{"uncertainty max", func(in *truce.ReportInput) { in.UncertaintyM = truce.MaxUncertaintyM }, ""},
		{"uncertainty over max", func(in *truce.ReportInput) { in.UncertaintyM = truce.MaxUncertaintyM + 1 }, "uncertainty_m"},
		{"uncertainty negative", func(in *truce.ReportInput) { in.UncertaintyM = -1 }, "uncertainty_m"},
		// Place.
		{"place at limit", func(in *truce.ReportInput) { in.Place = strings.Repeat("ش", truce.MaxPlace) }, ""},
		{"place too long", func(in *truce.ReportInput) { in.Place = long(truce.MaxPlace + 1) }, "place"},
		{"place two lines", func(in *truce.ReportInput) { in.Place = "Kafr\nNabl" }, "place"},
		{"place control", func(in *truce.ReportInput) { in.Place = "Kafr\x07Nabl" }, "place"},
		{"place bad UTF-8", func(in *truce.ReportInput) { in.Place = "Kafr\xffNabl" }, "place"},
		// Target.
		{"target by id", func(in *truce.ReportInput) { in.Target = "OPP" }, ""},
		{"target unknown", func(in *truce.ReportInput) { in.Target = "Martians" }, "target"},
		{"target too long", func(in *truce.ReportInput) { in.Target = long(truce.MaxActorName + 1) }, "target"},
		{"target two lines", func(in *truce.ReportInput) { in.Target = "SYG\nOPP" }, "target"},
		// Casualties.
		{"casualties zero", func(in *truce.ReportInput) { in.Casualties = &truce.Casualties{Killed: est(0, 0, 0)} }, ""},
		{"casualties at max", func(in *truce.ReportInput) {
			in.Casualties = &truce.Casualties{Killed: est(truce.MaxCount, truce.MaxCount, truce.MaxCount)}
		}, ""},
		{"killed low > best", func(in *truce.ReportInput) { in.Casualties.Killed = est(3, 2, 4) }, "casualties.killed"},
		{"killed best > high", func(in *truce.ReportInput) { in.Casualties.Killed = est(1, 5, 4) }, "casualties.killed"},
		{"killed negative", func(in *truce.ReportInput) { in.Casualties.Killed = est(-1, 2, 4) }, "casualties.killed"},
		{"killed over max", func(in *truce.ReportInput) { in.Casualties.Killed = est(1, 2, truce.MaxCount+1) }, "casualties.killed"},
		{"injured negative high", func(in *truce.ReportInput) { in.Casualties.Injured = est(0, 0, -1) }, "casualties.injured"},
		{"killed civilians unordered", func(in *truce.ReportInput) { in.Casualties.KilledCivilians = est(2, 1, 2) }, "casualties.killed_civilians"},
		{"injured civilians over max", func(in *truce.ReportInput) {
			in.Casualties.InjuredCivilians = est(0, 0, truce.MaxCount+1)
		}, "casualties.injured_civilians"},
		{"killed civilians exceed killed (high)", func(in *truce.ReportInput) { in.Casualties.KilledCivilians = est(0, 1, 5) }, "casualties.killed_civilians"},
		{"killed civilians exceed killed (best)", func(in *truce.ReportInput) { in.Casualties.KilledCivilians = est(0, 3, 3) }, "casualties.killed_civilians"},
		{"killed civilians exceed killed (low)", func(in *truce.ReportInput) { in.Casualties.KilledCivilians = est(2, 2, 2) }, "casualties.killed_civilians"},
		{"injured civilians exceed injured", func(in *truce.ReportInput) { in.Casualties.InjuredCivilians = est(3, 6, 9) }, "casualties.injured_civilians"},
		{"civilians without a total", func(in *truce.ReportInput) {
			in.Casualties = &truce.Casualties{KilledCivilians: est(1, 1, 1), InjuredCivilians: est(0, 2, 3)}
		}, ""},
		// Fire.
		{"fire one burst", func(in *truce.ReportInput) { in.Fire = &truce.Fire{Bursts: 1} }, ""},
		{"fire nothing counted", func(in *truce.ReportInput) { in.Fire = &truce.Fire{DistanceBand: "unknown"} }, "fire"},
		{"fire impact negative", func(in *truce.ReportInput) { in.Fire.Explosions.Impact = -1 }, "fire.explosions.impact"},
		{"fire outgoing over max", func(in *truce.ReportInput) { in.Fire.Explosions.Outgoing = truce.MaxCount + 1 }, "fire.explosions.outgoing"},
		{"fire airburst negative", func(in *truce.ReportInput) { in.Fire.Explosions.Airburst = -3 }, "fire.explosions.airburst"},
		{"fire undetermined over max", func(in *truce.ReportInput) { in.Fire.Explosions.Undetermined = truce.MaxCount + 1 }, "fire.explosions.undetermined"},
		{"fire projectiles negative", func(in *truce.ReportInput) { in.Fire.Projectiles = -1 }, "fire.projectiles"},
		{"fire bursts over max", func(in *truce.ReportInput) { in.Fire.Bursts = truce.MaxCount + 1 }, "fire.bursts"},
		{"fire counts at max", func(in *truce.ReportInput) { in.Fire.Bursts = truce.MaxCount }, ""},
		{"negative cancels positive", func(in *truce.ReportInput) {
			in.Fire = &truce.Fire{Projectiles: 5, Bursts: -5}
		}, "fire.bursts"},
		{"bearing 0", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(0) }, ""},
		{"bearing just under 360", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(359.999) }, ""},
		{"bearing 360", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(360) }, "fire.bearing_deg"},
		{"bearing negative", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(-0.5) }, "fire.bearing_deg"},
		{"bearing NaN", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(math.NaN()) }, "fire.bearing_deg"},
		{"bearing +Inf", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(math.Inf(1)) }, "fire.bearing_deg"},
		{"bearing -Inf", func(in *truce.ReportInput) { in.Fire.BearingDeg = ftF64(math.Inf(-1)) }, "fire.bearing_deg"},
		{"no bearing", func(in *truce.ReportInput) { in.Fire.BearingDeg = nil }, ""},
		{"distance band unknown word", func(in *truce.ReportInput) { in.Fire.DistanceBand = "2km" }, "fire.distance_band"},
		{"distance band wrong case", func(in *truce.ReportInput) { in.Fire.DistanceBand = "UNDER_1KM" }, "fire.distance_band"},
		{"no distance band", func(in *truce.ReportInput) { in.Fire.DistanceBand = "" }, ""},
		{"post at limit", func(in *truce.ReportInput) { in.Fire.ObservationPost = long(truce.MaxPost) }, ""},
		{"post too long", func(in *truce.ReportInput) { in.Fire.ObservationPost = long(truce.MaxPost + 1) }, "fire.observation_post"},
		{"post two lines", func(in *truce.ReportInput) { in.Fire.ObservationPost = "OP\n7" }, "fire.observation_post"},
		// Sources.
		{"sources at limit", func(in *truce.ReportInput) { in.Sources = make([]string, truce.MaxSources); ftFill(in.Sources) }, ""},
		{"too many sources", func(in *truce.ReportInput) { in.Sources = make([]string, truce.MaxSources+1); ftFill(in.Sources) }, "sources"},
		{"empty source", func(in *truce.ReportInput) { in.Sources = []string{"ok", ""} }, "sources[1]"},
		{"source too long", func(in *truce.ReportInput) { in.Sources = []string{long(truce.MaxSourceLength + 1)} }, "sources[0]"},
		{"source at limit", func(in *truce.ReportInput) { in.Sources = []string{long(truce.MaxSourceLength)} }, ""},
		{"source two lines", func(in *truce.ReportInput) { in.Sources = []string{"a\nb"} }, "sources[0]"},
		{"http link", func(in *truce.ReportInput) { in.Sources = []string{"http://example.org/x?y=1"} }, ""},
		{"ftp link", func(in *truce.ReportInput) { in.Sources = []string{"ok", "ftp://example.org/x"} }, "sources[1]"},
		{"javascript link", func(in *truce.ReportInput) { in.Sources = []string{"javascript://alert(1)"} }, "sources[0]"},
		{"link without host", func(in *truce.ReportInput) { in.Sources = []string{"https:///path"} }, "sources[0]"},
		{"unparsable link", func(in *truce.ReportInput) { in.Sources = []string{"http://[::1"} }, "sources[0]"},
		{"citation with colon", func(in *truce.ReportInput) { in.Sources = []string{"SANA: statement of 5 January"} }, ""},
		// Source identity.
		{"identity at limit", func(in *truce.ReportInput) { in.SourceIdentity = strings.Repeat("ش", truce.MaxIdentity) }, ""},
		{"identity too long", func(in *truce.ReportInput) { in.SourceIdentity = long(truce.MaxIdentity + 1) }, "source_identity"},
		{"identity control", func(in *truce.ReportInput) { in.SourceIdentity = "a\x00b" }, "source_identity"},
		{"identity bad UTF-8", func(in *truce.ReportInput) { in.SourceIdentity = "a\xc3" }, "source_identity"},
		{"identity several lines", func(in *truce.ReportInput) { in.SourceIdentity = "Name\nPhone" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ftFullReport()
			tc.edit(&in)
			_, err := in.Validate(a, ftValidateNow())
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if truce.ErrorCode(err) != truce.EINVALID || truce.ErrorField(err) != tc.field {
				t.Fatalf("Validate() = %v (field %q), want an invalid error about %s", err, truce.ErrorField(err), tc.field)
			}
			if msg := truce.ErrorMessage(err); !strings.HasPrefix(msg, tc.field+": ") {
				t.Errorf("message %q does not start with %q", msg, tc.field+": ")
			}
		})
	}
}

func ftFill(s []string) {
	for i := range s {
		s[i] = "source " + strings.Repeat("x", i+1)
	}
}

// ftCommitOracle computes a commitment as sealed.go documents it, without
// calling Commit.
func ftCommitOracle(field string, salt, value []byte) string {
	var b bytes.Buffer
	b.WriteString("truce-sealed v1\n" + field + "\n")
	b.Write(salt)
	b.Write(value)
	h := sha256.Sum256(b.Bytes())
	return "sha256:" + hex.EncodeToString(h[:])
}

// TestFtCommit checks the commitment to a sealed value: as documented,
// deterministic, and changed by any change of salt, value or field.
func TestFtCommit(t *testing.T) {
	salt := bytes.Repeat([]byte{0x5a}, 32)
	value := json.RawMessage(`"Field medic at Kafr Nabl"`)
	v := truce.SealedValue{Salt: salt, Value: value}
	got := truce.Commit("source_identity", v)
	if want := ftCommitOracle("source_identity", salt, value); got.Sealed != want {
		t.Errorf("Commit = %s, want %s", got.Sealed, want)
	}
	if again := truce.Commit("source_identity", truce.SealedValue{Salt: bytes.Clone(salt), Value: bytes.Clone(value)}); again != got {
		t.Errorf("Commit is not deterministic: %s then %s", got.Sealed, again.Sealed)
	}
	if !got.Valid() {
		t.Errorf("Commit = %q, which Valid refuses", got.Sealed)
	}

	otherSalt := bytes.Clone(salt)
	otherSalt[31] ^= 1
	otherValue := json.RawMessage(`"Field medic at Kafr Nabm"`)
	for _, tc := range []struct {
		name  string
		field string
		v     truce.SealedValue
	}{
		{"salt", "source_identity", truce.SealedValue{Salt: otherSalt, Value: value}},
		{"value", "source_identity", truce.SealedValue{Salt: salt, Value: otherValue}},
		{"field", "source_identityx", v},
		{"no salt", "source_identity", truce.SealedValue{Value: value}},
		// The field name ends at a newline: moving bytes between the field
		// and the salt must not give the same commitment.
		{"field/salt boundary", "source_identity\n" + string(salt[:1]), truce.SealedValue{Salt: salt[1:], Value: value}},
	} {
		if c := truce.Commit(tc.field, tc.v); c == got {
			t.Errorf("Commit with another %s = %s, the same as the original", tc.name, c.Sealed)
		}
	}

	for _, tc := range []struct {
		ref  *truce.SealedRef
		want bool
	}{
		{nil, false},
		{&truce.SealedRef{}, false},
		{&truce.SealedRef{Sealed: "sha256:" + strings.Repeat("0", 64)}, true},
		{&truce.SealedRef{Sealed: "sha256:" + strings.Repeat("A", 64)}, false},
		{&truce.SealedRef{Sealed: "sha256:" + strings.Repeat("0", 63)}, false},
		{&truce.SealedRef{Sealed: "sha512:" + strings.Repeat("0", 64)}, false},
		{&truce.SealedRef{Sealed: "Field medic"}, false},
	} {
		if got := tc.ref.Valid(); got != tc.want {
			t.Errorf("%+v.Valid() = %v, want %v", tc.ref, got, tc.want)
		}
	}

	if !(&truce.Sidecar{}).Empty() || !(*truce.Sidecar)(nil).Empty() {
		t.Errorf("an empty sidecar is not Empty")
	}
	if (&truce.Sidecar{Note: "x"}).Empty() || (&truce.Sidecar{Sealed: map[string]truce.SealedValue{"a": v}}).Empty() {
		t.Errorf("a sidecar with content is Empty")
	}
}
