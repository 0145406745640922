package bulletin

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// Pseudo P-codes of the CSV's last rows, which carry the checkpoint and
// the signature in the name column.
const (
	csvTotal      = "total"
	csvCheckpoint = "#checkpoint"
	csvSignature  = "#signature"
)

// renderCSV writes the table of governorates, one row each, then the
// total, the checkpoint and the signature. Column names are fixed codes in
// English whatever the language (the names in the rows are in it), so that
// bulletins in different languages load alike; the list of confirmed
// violations is in the other formats only.
func renderCSV(b *Bulletin) ([]byte, error) {
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	head := []string{"date", "pcode", "name"}
	counts := func(prefix string) {
		head = append(head, prefix+"reports")
		for _, g := range b.Guarantors {
			head = append(head, prefix+"reported_by_"+string(g.ID))
		}
		head = append(head, prefix+"confirmed", prefix+"contested", prefix+"unilateral", prefix+"pending", prefix+"rejected",
			prefix+"designated", prefix+"outside_scope", prefix+"settlements")
	}
	counts("")
	head = append(head, "designated_confirmed")
	counts("change_")
	w.Write(head)
	for _, r := range append(append([]Row(nil), b.Governorates...), b.Total) {
		code := r.PCode
		if code == "" {
			code = csvTotal
		}
		rec := []string{b.Date, code, r.Name}
		add := func(c Counts, designated, outside, settlements int) {
			rec = append(rec, strconv.Itoa(c.Reports))
			for _, g := range b.Guarantors {
				rec = append(rec, strconv.Itoa(c.ReportedBy[string(g.ID)]))
			}
			for _, k := range stateColumns {
				rec = append(rec, strconv.Itoa(c.state(k)))
			}
			rec = append(rec, strconv.Itoa(designated), strconv.Itoa(outside), strconv.Itoa(settlements))
		}
		add(r.Counts, r.Designated.Reports, r.OutsideScope, r.Settlements)
		rec = append(rec, strconv.Itoa(r.Designated.Confirmed))
		add(r.Change.Counts, r.Change.Designated, r.Change.OutsideScope, r.Change.Settlements)
		w.Write(rec)
	}
	for _, meta := range [][2]string{{csvCheckpoint, b.Checkpoint}, {csvSignature, b.Signature}} {
		rec := make([]string, len(head))
		rec[0], rec[1], rec[2] = b.Date, meta[0], meta[1]
		w.Write(rec)
	}
	w.Flush()
	return out.Bytes(), w.Error()
}
