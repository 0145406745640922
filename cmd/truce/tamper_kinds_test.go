package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"truce"
	tlog "truce/log"
	"truce/workflow"
)

// tamperKind is one kind of damage done behind the server's back.
type tamperKind struct {
	name   string
	apply  func(t *testing.T, dir string)
	damage workflow.Damage // what verify must name
	says   string          // what else its message must say
	// witnessOnly: the damaged log is self-consistent, and only the
	// witness's saved state tells (verify without --witness passes).
	witnessOnly bool
}

// tamperKindList is every kind of damage the harness does.
func tamperKindList() []tamperKind {
	return []tamperKind{
		{name: "flip-byte", damage: workflow.DamageEntryChanged, says: "the entry's bytes changed",
			apply: func(t *testing.T, dir string) {
				// A byte in the middle of the report with the source identity.
				tamperSQL(t, dir, func(db *sql.DB) error {
					x := tamperFind(t, tamperEntries(t, db), 0, truce.EntryReportFiled, "sealed")
					x.data[len(x.data)/2] ^= 0x01
					_, err := db.Exec(`UPDATE log_entries SET data = ? WHERE idx = ?`, x.data, x.idx)
					return err
				})
			}},
		{name: "verdict", damage: workflow.DamageEntryChanged, says: "the entry's bytes changed",
			apply: func(t *testing.T, dir string) {
				// confirm → dispute in the entry, and in the assessment's row.
				tamperSQL(t, dir, func(db *sql.DB) error {
					x := tamperFind(t, tamperEntries(t, db), 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					data := strings.Replace(string(x.data), `"verdict":"confirm"`, `"verdict":"dispute"`, 1)
					if _, err := db.Exec(`UPDATE log_entries SET data = ? WHERE idx = ?`, []byte(data), x.idx); err != nil {
						return err
					}
					_, err := db.Exec(`UPDATE assessments SET verdict = 'dispute' WHERE entry = ?`, x.idx)
					return err
				})
			}},
		{name: "delete-middle", damage: workflow.DamageEntryMissing,
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`DELETE FROM log_entries WHERE idx = (SELECT MAX(idx) / 2 FROM log_entries)`)
					return err
				})
			}},
		{name: "truncate-tail", damage: workflow.DamageTailTruncated,
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`DELETE FROM log_entries WHERE idx > (SELECT MAX(idx) - 3 FROM log_entries)`)
					return err
				})
			}},
		{name: "swap", damage: workflow.DamageEntryOrder,
			apply: func(t *testing.T, dir string) {
				// Two entries change places, hashes and sidecars with them.
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					a, b := es[len(es)/3], es[2*len(es)/3]
					for _, p := range [][2]*tamperEntry{{a, b}, {b, a}} {
						if _, err := db.Exec(`UPDATE log_entries SET data = ?, hashes = ?, sidecar = ? WHERE idx = ?`, p[1].data, p[1].hashes, p[1].sidecar, p[0].idx); err != nil {
							return err
						}
					}
					return nil
				})
			}},
		{name: "forge-insert", damage: workflow.DamageHistoryRewritten,
			apply: func(t *testing.T, dir string) {
				// A forged assessment among the others, every later entry
				// renumbered, every hash recomputed, the tables rebuilt.
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					forged := *x.e
					forged.Payload = []byte(strings.Replace(string(x.e.Payload), `"verdict":"confirm"`, `"verdict":"dispute"`, 1))
					at := int(x.idx) + 1
					es = append(es[:at], append([]*tamperEntry{{e: &forged}}, es[at:]...)...)
					tamperRewrite(t, db, es)
					return nil
				})
			}},
		{name: "replay", damage: workflow.DamageEntryReplayed,
			apply: func(t *testing.T, dir string) {
				// An assessment appended again, as the next entry, with its
				// hashes; its row added as the replay would add it.
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"dispute"`)
					again := *x.e
					tamperRewrite(t, db, append(es, &tamperEntry{e: &again, sidecar: x.sidecar}))
					return nil
				})
			}},
		{name: "stored-hash", damage: workflow.DamageHashChanged,
			apply: func(t *testing.T, dir string) {
				// An inner node of the tree, kept with an odd entry.
				tamperSQL(t, dir, func(db *sql.DB) error { return tamperHash(db, 5, 1) })
			}},
		{name: "leaf-hash", damage: workflow.DamageHashChanged, says: "the entry is intact",
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error { return tamperHash(db, 6, 0) })
			}},
		{name: "projection-row", damage: workflow.DamageProjection, says: "table assessments",
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`UPDATE assessments SET verdict = 'dispute' WHERE entry = (SELECT MIN(entry) FROM assessments WHERE verdict = 'confirm')`)
					return err
				})
			}},
		{name: "projection-ghost", damage: workflow.DamageProjection, says: "table members",
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`INSERT INTO members (id, name, organisation, role, added_at, entry) VALUES ('mem_zzzzzzzzzzzzzzzz', 'ghost', 'RU', 'guarantor', '2017-01-01T00:00:00.000000000Z', 9999)`)
					return err
				})
			}},
		{name: "entry-time", damage: workflow.DamageEntryChanged,
			apply: func(t *testing.T, dir string) {
				// A report filed a second later, its bytes canonical again.
				tamperSQL(t, dir, func(db *sql.DB) error {
					x := tamperFind(t, tamperEntries(t, db), 0, truce.EntryReportFiled, "")
					x.e.Time = x.e.Time.Add(time.Second)
					data, err := tlog.EncodeEntry(x.e)
					if err != nil {
						return err
					}
					_, err = db.Exec(`UPDATE log_entries SET data = ? WHERE idx = ?`, data, x.idx)
					return err
				})
			}},
		{name: "row-time", damage: workflow.DamageProjection, says: "column occurred_at",
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`UPDATE reports SET occurred_at = replace(occurred_at, '2017-01-05', '2017-01-06') WHERE entry = (SELECT MIN(entry) FROM reports)`)
					return err
				})
			}},
		{name: "restricted-value", damage: workflow.DamageRestricted, says: "source_identity",
			apply: func(t *testing.T, dir string) {
				// The source identity changed beside the entry and in its row.
				tamperSQL(t, dir, func(db *sql.DB) error {
					if _, err := db.Exec(`UPDATE log_entries SET sidecar = CAST(replace(CAST(sidecar AS TEXT), 'shepherd', 'merchant') AS BLOB) WHERE CAST(sidecar AS TEXT) LIKE '%shepherd%'`); err != nil {
						return err
					}
					_, err := db.Exec(`UPDATE reports SET source_identity = replace(source_identity, 'shepherd', 'merchant')`)
					return err
				})
			}},
		{name: "evidence-bytes", damage: workflow.DamageEvidenceChanged,
			apply: func(t *testing.T, dir string) {
				f := tamperEvidenceFile(t, dir)
				os.Chmod(f, 0o600)
				b, _ := os.ReadFile(f)
				b[len(b)-2] ^= 0x20
				if err := os.WriteFile(f, b, 0o400); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "evidence-deleted", damage: workflow.DamageEvidenceMissing,
			apply: func(t *testing.T, dir string) {
				if err := os.Remove(tamperEvidenceFile(t, dir)); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "checkpoint-note", damage: workflow.DamageCheckpointForged,
			apply: func(t *testing.T, dir string) {
				// The latest checkpoint claims a larger tree, its signature kept.
				tamperSQL(t, dir, func(db *sql.DB) error {
					var size int64
					var note string
					db.QueryRow(`SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
					lines := strings.SplitN(note, "\n", 3)
					lines[1] = "999999"
					_, err := db.Exec(`UPDATE checkpoints SET note = ? WHERE size = ?`, strings.Join(lines, "\n"), size)
					return err
				})
			}},
		{name: "rehash", damage: workflow.DamageHistoryRewritten,
			apply: func(t *testing.T, dir string) {
				// A verdict changed, every hash recomputed, the tables rebuilt:
				// self-consistent, but not what the checkpoints signed.
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					x.e.Payload = []byte(strings.Replace(string(x.e.Payload), `"verdict":"confirm"`, `"verdict":"dispute"`, 1))
					tamperRewrite(t, db, es)
					return nil
				})
				tamperRebuild(t, dir)
			}},
		{name: "other-key", damage: workflow.DamageSetting, says: "log.pub",
			apply: func(t *testing.T, dir string) {
				// History rewritten and signed with a key of the attacker's,
				// put in the settings; log.pub, given out of band, kept.
				skey, vkey, err := tlog.GenerateKey("truce.test/e2e")
				if err != nil {
					t.Fatal(err)
				}
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					x.e.Payload = []byte(strings.Replace(string(x.e.Payload), `"verdict":"confirm"`, `"verdict":"dispute"`, 1))
					tamperRewrite(t, db, es)
					tamperResign(t, db, skey)
					_, err := db.Exec(`UPDATE settings SET value = ? WHERE key = ?`, vkey, workflow.SettingVerifier)
					return err
				})
				tamperRebuild(t, dir)
			}},
		{name: "origin", damage: workflow.DamageSetting, says: "origin",
			apply: func(t *testing.T, dir string) {
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`UPDATE settings SET value = 'truce.test/forged' WHERE key = ?`, workflow.SettingOrigin)
					return err
				})
			}},
		{name: "stolen-key", damage: workflow.DamageHistoryRewritten, says: "the log was rewritten", witnessOnly: true,
			// History rewritten and re-signed with the stolen log key: the
			// log is self-consistent, only a witness's saved checkpoint tells.
			apply: func(t *testing.T, dir string) {
				b, err := os.ReadFile(filepath.Join(dir, keyFile))
				if err != nil {
					t.Fatal(err)
				}
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					x.e.Payload = []byte(strings.Replace(string(x.e.Payload), `"verdict":"confirm"`, `"verdict":"dispute"`, 1))
					tamperRewrite(t, db, es)
					tamperResign(t, db, strings.TrimSpace(string(b)))
					// The witnesses' cosignatures would betray it: gone.
					_, err := db.Exec(`DELETE FROM cosignatures`)
					return err
				})
				tamperRebuild(t, dir)
			}},
		{name: "rollback", damage: workflow.DamageTailTruncated, says: "entries were removed", witnessOnly: true,
			apply: func(t *testing.T, dir string) {
				// The last entries gone with the checkpoints and cosignatures
				// that cover them, the tables rebuilt: the log as it was
				// before them, which only a witness that saw more tells.
				tamperSQL(t, dir, func(db *sql.DB) error {
					for _, q := range []string{
						`DELETE FROM log_entries WHERE idx > (SELECT MAX(idx) - 3 FROM log_entries)`,
						`DELETE FROM cosignatures WHERE size > (SELECT COUNT(*) FROM log_entries)`,
						`DELETE FROM checkpoints WHERE size > (SELECT COUNT(*) FROM log_entries)`,
					} {
						if _, err := db.Exec(q); err != nil {
							return err
						}
					}
					return nil
				})
				tamperRebuild(t, dir)
			}},
		{name: "stolen-key-kept", damage: workflow.DamageCosignature, says: "does not verify with the witness's key",
			apply: func(t *testing.T, dir string) {
				// The same, the cosignatures kept.
				b, err := os.ReadFile(filepath.Join(dir, keyFile))
				if err != nil {
					t.Fatal(err)
				}
				tamperSQL(t, dir, func(db *sql.DB) error {
					es := tamperEntries(t, db)
					x := tamperFind(t, es, 0, truce.EntryAssessmentMade, `"verdict":"confirm"`)
					x.e.Payload = []byte(strings.Replace(string(x.e.Payload), `"verdict":"confirm"`, `"verdict":"dispute"`, 1))
					tamperRewrite(t, db, es)
					tamperResign(t, db, strings.TrimSpace(string(b)))
					return nil
				})
				tamperRebuild(t, dir)
			}},
		{name: "cosignature", damage: workflow.DamageCosignature,
			apply: func(t *testing.T, dir string) {
				// The latest checkpoint shown as cosigned with the signature
				// the witness gave another.
				tamperSQL(t, dir, func(db *sql.DB) error {
					_, err := db.Exec(`UPDATE cosignatures SET line = (SELECT line FROM cosignatures ORDER BY size LIMIT 1) WHERE size = (SELECT MAX(size) FROM cosignatures)`)
					return err
				})
			}},
	}
}

// tamperEvidenceFile returns the path of a stored evidence file.
func tamperEvidenceFile(tb testing.TB, dir string) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, evidenceDir, "sha256", "*", "*", "*"))
	if len(files) == 0 {
		tb.Fatal("no evidence file in the data directory")
	}
	return files[0]
}

// tamperHash flips a bit of the pos-th hash stored with entry idx.
func tamperHash(db *sql.DB, idx int64, pos int) error {
	var hs []byte
	if err := db.QueryRow(`SELECT hashes FROM log_entries WHERE idx = ?`, idx).Scan(&hs); err != nil {
		return err
	}
	hs[pos*32+7] ^= 0x01
	_, err := db.Exec(`UPDATE log_entries SET hashes = ? WHERE idx = ?`, hs, idx)
	return err
}
