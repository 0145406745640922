// Package screport makes the mechanism's periodic report to the United
// Nations Security Council: `truce report --from D1 --to D2`.
//
// A report covers the violation reports whose events occurred from D1 to
// D2 (both days included): how many, week by week, divided by the
// guarantors' consensus (confirmed against contested, and the rest); by
// governorate, as a table, a choropleth map and a grid of governorates
// by weeks; by alleged perpetrator; and, where the guarantors had agreed a
// control map at the end of the period, the lines of contact on it, the
// combat lines with the designated groups (km by governorate) and the
// separation list counted by designated group and party. It is written
// in English, Arabic, Russian, Turkish or Persian (Arabic and Persian
// right to left), as one self-contained HTML page with inline SVG and a
// print stylesheet for A4, as Markdown (the same tables, without the
// figures), or as PDF printed from the HTML by headless Chromium.
//
// # Rebuilt from the log
//
// A report is made as of the log's latest checkpoint (workflow.Periodic):
// entries after it count for nothing, consensus is evaluated at the time
// of the checkpoint's last entry, and the report prints the checkpoint's
// size, that time and the signed note itself. Nothing else in it depends
// on when or where it is made — no clock, no locale, no map iteration
// order — so the same log gives the same bytes, and anyone holding the
// log can rebuild the report and check it against a checkpoint the
// guarantors cosigned. (The PDF too: its dates are set to the as-of
// time.)
//
// # What the public may see
//
// Security Council reports are published, so a report shows what the
// agreement's policy lets the public see of reports: counts by
// governorate and scope, never a point. Positions of groups are not
// shown at all, not even counted by place: the separation list is
// counted by designated group and party only. The lines of contact are
// drawn on the map: they are the agreed map's own product, which the
// joint body reports to the Council, but they are generalised to
// workflow.PublicLineGrid (about 5 km) before they leave the workflow
// layer, the scale of a map of the whole country and too coarse to aim
// with.
//
// # Drawings
//
// Charts and the map are SVG written by hand (svg.go): no script; the
// Okabe–Ito colours for consensus states and a sequential blue scale for
// counts, both readable with common colour-vision deficiencies; a title
// and a description for screen readers; Noto fonts. Numbers and dates
// are written with Western digits and run left to right in every
// language, and so does time on the axes; in Arabic and Persian the
// texts, legends and category labels move to the right. Every drawing
// records probes, points whose colour its construction fixes; the tests
// render the drawings with Chromium and look there (legibility_test.go).
package screport
