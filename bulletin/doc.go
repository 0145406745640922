// Package bulletin computes and renders truce's daily bulletins: what a day
// looked like, by governorate and by registering guarantor, rebuilt from
// the log up to a checkpoint and signed with the log key, so that anyone
// holding the log can compute the same bytes and check them.
//
// Package bulletin does no I/O: Compute takes what the store read at the
// checkpoint (workflow.Service.Bulletin gathers it) and Render writes the
// result as JSON, Markdown, HTML or CSV, in English, Arabic, Russian,
// Turkish or Persian.
//
// # What a bulletin counts
//
// The bulletin of day D (UTC) counts the reports that occurred on D, from
// 00:00 inclusive to 24:00 exclusive, as the log stood at a checkpoint of
// tree size n: entries 0 to n-1 and nothing after.
//
//   - A report counts if the entry that filed it is before n. Its
//     assessments are those made before n; its classification (governorate,
//     scope) is the latest one before n — the one at intake, or the last
//     report.classified entry before n — even when the map has changed it
//     since.
//   - Consensus is evaluated at the time of entry n-1, the checkpoint's
//     last entry, never at the clock's time: a report filed less than the
//     answer window (72 hours under Astana) before that entry is pending,
//     one older than that without a decision is unilateral. So the result
//     depends on the log alone.
//   - A report's governorate is its classification's ADM1. Reports with
//     none (outside Syria, or never classified) share a row of their own,
//     "outside".
//   - Guarantor g registered a report when a member of g filed it, or when
//     g's latest verdict on it is confirm: the Reconciliation Centre's
//     "registered by the Russian side" and "by the Turkish side".
//   - Reports of scope excluded — strikes on a designated group's position
//     or area — are not ceasefire violations: they are counted apart, per
//     governorate, with the designated group they were against (the
//     report's target when it is a designated group, else the controller
//     of the place). Reports of scope outside (outside the agreement's
//     area, or in the area of an actor it does not bind) are counted apart
//     too. Everything else (covered, disputed, not classified) is a
//     violation and counted in reported_by and by consensus state.
//   - Changes since the previous day are the counts of D minus those of
//     D-1, both computed at the same checkpoint and time.
//   - Accessions to date are the groups and settlements whose accession is
//     dated on or before D and was recorded before n; settlements are also
//     counted in the governorate of their community.
//   - The list of confirmed violations gives each report's id, time,
//     governorate, alleged perpetrator and event type.
//
// # Disclosure
//
// A bulletin is public: it shows what the agreement's disclosure policy
// lets the public role see. Counts are aggregates by governorate and are
// always given. In the list of confirmed violations the governorate is
// shown unless the public's coordinates are hidden, coordinates only when
// the policy is exact or coarse (coarsened as the policy says), and never
// a source's identity, evidence, description or place name (a place name
// is as precise as a point). Under the Astana agreement the public sees
// governorates only.
//
// # Identical bytes
//
// Nothing in a bulletin comes from the clock, randomness or map order:
// rows are in P-code order, lists in time then id order, reported_by and
// other maps are written with sorted keys, and the JSON is the log's
// canonical JSON (package log), indented. Two stores holding the same log
// and the same checkpoint give the same bytes in every format and language;
// the signature is Ed25519, which is deterministic, so with the same log
// key it is the same too.
//
// # Cosigned checkpoint
//
// The checkpoint a bulletin carries is cosigned when witnesses have
// cosigned it: the log's signed note followed by the cosignature lines
// (c2sp.org/tlog-cosignature) the store holds for that tree size, ordered
// by witness name. A bulletin without ?checkpoint= is computed at the
// checkpoint every guarantor's witness cosigned: among the checkpoints
// that the most of the log's witnesses cosigned (those its server asks;
// `truce bulletin` reads the same witnesses file), the latest. While one
// witness is down, bulletins stay at the last checkpoint they all
// cosigned; when none of them has cosigned, the latest checkpoint with any
// cosignature, and while none has one, the latest issued. So the bytes
// are the same in every store holding the same log and the same
// cosignatures, given the same witnesses. A bulletin at
// a given tree size changes only when a cosignature of its checkpoint
// arrives: the log stores the answers of all its witnesses to one
// checkpoint in one transaction, seconds after issuing it (a witness that
// was down may add its own later). Verify accepts a file whose checkpoint
// carries none, some or all of the cosignatures the verifying store holds
// for it, in that order, and refuses one carrying a cosignature it does
// not hold.
//
// # Signature
//
// A bulletin is signed as a C2SP signed note by the log key, over this text:
//
//	truce bulletin v1 0x0A
//	<origin> 0x0A
//	<date YYYY-MM-DD> 0x0A
//	<tree size in decimal> 0x0A
//	<language code> 0x0A
//	<base64 SHA-256 of the bulletin's canonical JSON without "signature"> 0x0A
//
// The first line cannot be a log's origin (origins have no spaces), so the
// note can never be taken for a checkpoint. The JSON form carries the note
// in "signature"; Markdown and HTML in a footer block, CSV in a last row.
// Verify checks a file of any format: the note's signature, then the
// bulletin recomputed from a store at the tree size the note names,
// rendered again and compared byte for byte.
package bulletin
