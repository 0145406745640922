// Package log is truce's append-only log: the canonical encoding of its
// entries, their RFC 6962 Merkle tree (through golang.org/x/mod/sumdb/tlog),
// inclusion and consistency proofs, and checkpoints signed as C2SP
// tlog-checkpoint notes (through golang.org/x/mod/sumdb/note, Ed25519).
//
// # Entry encoding
//
// An entry is stored, hashed and served as exactly these bytes:
//
//	"truce-entry v1" 0x0A canonical-JSON
//
// that is, the 14 ASCII bytes of the header, one newline (0x0A), then the
// entry as one canonical JSON object, with no trailing newline. A future
// encoding will change the header; a reader MUST reject a header it does not
// know.
//
// The JSON object has these members (see truce.Entry):
//
//	"author"   object, absent for entries the system makes itself:
//	           {"attestation": "server", "member": "mem_…",
//	            "organisation": "RU", "role": "guarantor"}
//	"index"    integer, the entry's zero-based position in the log
//	"kind"     string, e.g. "report.filed" (truce.EntryKinds)
//	"payload"  object, by kind (truce.AgreementLoaded, truce.MemberAdded,
//	           truce.ReportFiled, truce.AssessmentMade)
//	"time"     string, RFC 3339 in UTC ("Z") with the fraction of the
//	           second as Go's time.RFC3339Nano writes it: trailing zeros and
//	           an empty fraction dropped, e.g. "2017-01-05T12:00:00.25Z"
//
// Optional members of objects are absent rather than null or empty; a member
// with an empty string, a zero number or an empty list as its value is
// written only where the payload's documentation says so.
//
// # Canonical JSON
//
// Canonical JSON is JSON (RFC 8259) written so that one value has one
// encoding:
//
//   - No whitespace outside strings.
//   - Object members sorted by key, comparing keys byte by byte as UTF-8;
//     no two members with the same key.
//   - Strings in UTF-8 (invalid UTF-8 is an error), delimited by '"'. The
//     characters '"' and '\' are escaped as \" and \\; U+0008, U+0009,
//     U+000A, U+000C and U+000D as \b, \t, \n, \f and \r; every other
//     character below U+0020 as \u00XX with lower-case hexadecimal digits.
//     Every other character, U+007F, U+2028, '<', '>' and '&' included, is
//     written as itself.
//   - Numbers are IEEE 754 double-precision values, finite, written as
//     ECMAScript's Number.prototype.toString writes them (as RFC 8785 does):
//     the shortest decimal that reads back as the same double; integers
//     below 10^21 without fraction or exponent; exponent form with a signed
//     exponent ("1e+21", "1e-7") outside [10^-6, 10^21); negative zero as 0.
//   - Literals true, false and null as themselves.
//
// # Merkle tree
//
// The leaf hash of an entry is SHA-256(0x00 || entry bytes) and interior
// nodes are SHA-256(0x01 || left || right), as RFC 6962 section 2.1
// defines. Proofs are RFC 6962 audit paths and consistency proofs.
//
// # Checkpoints
//
// A checkpoint is a C2SP tlog-checkpoint: the note text
//
//	<origin> 0x0A <tree size in decimal> 0x0A <base64 root hash> 0x0A
//
// signed as a C2SP signed note with the log's Ed25519 key, whose name is the
// origin.
package log
