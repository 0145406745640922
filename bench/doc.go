// Package bench measures what the log costs: a durable report append
// through the store, with its log entry and Merkle hashes, beside a plain
// durable insert of the same projection row without them, in the same run.
//
// BenchmarkAppend has four sub-benchmarks, each on a fresh SQLite file
// (sqlite.Open: WAL, synchronous=FULL) initialised as `truce init` does it:
// the astana-2017 agreement, an operator, and a guarantor officer of RU who
// files every report.
//
//	log/one-per-tx     Service.FileReport: one report, one transaction
//	plain/one-per-tx   one Store.Update with one Tx.InsertReport
//	log/batch-100      Service.FileReports: 100 reports in one transaction
//	plain/batch-100    one Store.Update with 100 Tx.InsertReport
//
// The plain variants validate the same inputs against the agreement (the
// perpetrator name is resolved as the service does it), draw random ids,
// set the filing fields and the consensus state the service would store,
// and insert the same row; they write no entry and compute no hash. b.N
// counts reports in every variant, so ns/op, and the ns/report metric
// reported beside it, are per report and comparable across the four.
//
// The project's target is a log that costs at most 1.5 times the plain
// insert. To measure it, from the module root:
//
//	go run ./bench/cmd/appendratio            # 6 rounds of -benchtime 2s
//	go run ./bench/cmd/appendratio -count 10 -o append.txt
//
// appendratio runs the test binary once per round with -test.count 1, so
// that the four variants alternate and machine noise hits them alike (go
// test -count N runs each sub-benchmark N times in a row instead), and
// prints the median ns/report of each variant and the ratio log/plain.
// The raw output it saves is benchstat's input. See README.md.
package bench
