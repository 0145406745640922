// Package agreements reads agreement files: the YAML documents that say
// which ceasefire a truce log monitors and by which rules. README.md in this
// directory documents the format field by field; in short:
//
//	id, names, effective, area           what and when: a lower-case id, names in
//	                                     en and ar (ru, tr, fa expected), an RFC 3339
//	                                     time, a [west, south, east, north] box
//	sources, prohibited_acts             references and prohibited acts, as text
//	guarantors, parties, excluded,       the actors, each section giving its actors
//	observers, secretariat, others       a standing; a party names its guarantors
//	rules                                answer_window (a duration), consensus rules and
//	                                     zone_approval (how many guarantors put a zone on the map)
//	disclosure                           a coordinate policy for every role
//
// Consensus rules are tried in order and the first whose conditions all hold
// gives a report's state; the last rule must have no conditions. A rule's
// conditions are window (open or closed) and quantities of guarantors that
// confirm, dispute, cannot_verify or are silent: all, none, any, not_all, N,
// ">=N" or <=N.
//
// Parse walks the YAML node tree itself so that every error, including those
// of truce.Agreement.Validate, names the file, the line and the field's path
// in the file. It refuses unknown and duplicate keys, values of the wrong
// type, anchors and aliases, more than one document and files over MaxSize.
// The agreements shipped in this directory are built in (Builtin, Names);
// Load reads a file or a built-in by name. astana-2017 is the default.
package agreements
