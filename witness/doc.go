// Package witness is a transparency-log witness as c2sp.org/tlog-witness
// specifies it, for one log: it verifies the log's signature on each
// checkpoint submitted to it and the consistency proof from the last
// checkpoint it cosigned, records the new one on disk, and answers with a
// timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature,
// cosignature/v1). Each guarantor runs one, so that the log cannot show
// one guarantor a history and another a different one, nor rewrite what a
// guarantor has seen, without the witness refusing it.
//
// A witness's directory holds its key (witness.key, witness.pub), the
// history of every checkpoint it cosigned (cosigned.jsonl, one JSON
// object a line, synced before each answer) and, under forks/, the
// evidence of each checkpoint signed by the log that it had to refuse as a
// fork: the checkpoint it had cosigned and the request that conflicts with
// it, both signed by the log key. The history is what ReadHistory returns,
// so that anyone holding a copy of the log can check it against what the
// witness saw.
//
// Client submits checkpoints to a witness, for the log's side.
package witness
