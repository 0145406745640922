package sqlstore

import (
	"testing"
	"time"
)

// parseStoredTime must read what parseTime reads, and refuse what it
// refuses.
func TestParseStoredTime(t *testing.T) {
	for _, s := range []string{
		formatTime(time.Date(2017, 1, 5, 14, 30, 0, 987654321, time.UTC)),
		formatTime(time.Date(2016, 2, 29, 23, 59, 59, 1, time.FixedZone("EET", 7200))),
		formatTime(time.Time{}),
		"2017-02-30T00:00:00.000000000Z", "2017-01-05T24:00:00.000000000Z", "2017-01-05T14:30:00.00000000xZ",
		"2017-01-05T14:30:00Z", "", "2017-13-05T14:30:00.000000000Z",
	} {
		tx := &Tx{name: "sqlite"}
		want, werr := tx.parseTime(s)
		got, err := tx.parseStoredTime(s)
		if !got.Equal(want) || (err == nil) != (werr == nil) {
			t.Errorf("parseStoredTime(%q) = %v, %v; parseTime gives %v, %v", s, got, err, want, werr)
		}
	}
}
