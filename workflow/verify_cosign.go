package workflow

import (
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"truce"
	"truce/witness"
)

// DamageCosignature: a witness's cosignature kept by the store does not
// verify, or is not where it says.
const DamageCosignature Damage = "cosignature forged"

// verifyCosignatures checks every witness cosignature the store keeps: it
// is of a stored checkpoint, its line is by the witness its row names, and
// it verifies over that checkpoint's note with the key of that witness,
// one of witnesses. A cosignature by a witness not among them fails: what
// cannot be checked is not taken on trust. Each is read once, with its
// checkpoint by size: linear in the cosignatures.
func verifyCosignatures(tx truce.Tx, witnesses []*witness.Verifier, rep *VerifyReport) error {
	keys := make(map[string]*witness.Verifier, len(witnesses))
	for _, w := range witnesses {
		keys[w.Name()] = w
	}
	return tx.ScanCosignatures(func(c *truce.Cosignature) error {
		at := fmt.Sprintf("of size %d by %s", c.Size, c.Witness)
		cp, err := tx.CheckpointAt(c.Size)
		if truce.ErrorCode(err) == truce.ENOTFOUND {
			return faultf(DamageCosignature, "cosignature", at, "no checkpoint of size %d was issued", c.Size)
		} else if err != nil {
			return err
		}
		rest, ok := strings.CutPrefix(c.Line, "— ")
		name, _, _ := strings.Cut(rest, " ")
		if !ok || name != c.Witness || !strings.HasSuffix(c.Line, "\n") || strings.Count(c.Line, "\n") != 1 {
			return faultf(DamageCosignature, "cosignature", at, "its line %q is not a signature line of witness %s", c.Line, c.Witness)
		}
		key := keys[c.Witness]
		if key == nil {
			return faultf(DamageCosignature, "cosignature", at, "witness %s is not one whose key verify was given (witnesses.txt, demo-witnesses/): it cannot be checked", c.Witness)
		}
		if _, err := note.Open([]byte(cp.Note+c.Line), note.VerifierList(key)); err != nil {
			return faultf(DamageCosignature, "cosignature", at, "does not verify with the witness's key over the checkpoint's note: %v", err)
		}
		rep.Cosignatures++
		return nil
	})
}
