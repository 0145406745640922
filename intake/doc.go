// Package intake reads published text — the guarantors' daily bulletins,
// news reports, messages from the field — into drafts a monitor reviews,
// corrects and files. It files nothing: a draft becomes a claim only when a
// member files it as an ordinary report (workflow.Service.FileDraft, or
// FileReport with the draft's report).
//
// Two kinds of document are told apart. A bulletin gives counts of
// violations per reporting side and per province ("the Russian side … has
// registered 14 cases in Latakia (5), Hama (3), and Damascus (6)"); it is
// read into one Side per reporting guarantor, with a total and a count per
// governorate P-code. A news text tells of incidents; each becomes a Draft
// with when, where, who, what and casualties.
//
// Every value carries the Span of text it was read from, so that the
// reviewer sees why. Spans are byte offsets into the text as given (UTF-8).
//
// The reading is by rules, not by a model: a tokenizer that keeps
// hyphenated words together, number words in English, Russian, Arabic and
// Portuguese (numbers.go), governorate names in their common spellings and
// in the five publication languages (provinces.go), phrases that name a
// reporting side (sides.go), and a keyword taxonomy of ACLED event types
// (taxonomy.go). What the rules do not see, the reviewer corrects.
//
// The bulletins' "Damascus province" is read as SY01 (Damascus): the
// Reconciliation Centre's bulletins used it for the city and Rural Damascus
// together, which the text does not let a reader split; "Rural Damascus",
// "Rif Dimashq" and "Eastern Ghouta" are read as SY03.
package intake
