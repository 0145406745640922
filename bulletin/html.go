package bulletin

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"truce/i18n"
)

// Ids of the blocks that carry the checkpoint and the signature in HTML,
// so that Verify finds them.
const (
	htmlCheckpointOpen = `<pre id="truce-checkpoint">`
	htmlSignatureOpen  = `<pre id="truce-signature">`
	htmlPreClose       = `</pre>`
)

// htmlPage is what the page template reads.
type htmlPage struct {
	Lang, Dir, Date            string
	Title                      string
	AgreementLabel, Agreement  string
	AsOf                       string
	Violations, Change         string
	RegisteredNote, ScopeNote  string
	Main, ChangeTable          htmlTable
	Designated, DesignatedNote string
	DesignatedTable            htmlTable
	Accessions                 string
	AccessionLines             []string
	ConfirmedList              string
	Confirmed                  htmlTable
	None                       string
	CheckpointLabel            string
	Checkpoint                 string
	SignatureLabel             string
	SignatureNote              string
	Signature                  string
	Unsigned                   string
}

type htmlTable struct {
	Head  []htmlCell
	Rows  [][]htmlCell
	Total bool // the last row is a total
}

type htmlCell struct {
	Text string
	Num  bool
}

func toHTMLTable(t table, total bool) htmlTable {
	cells := func(r []string) []htmlCell {
		out := make([]htmlCell, len(r))
		for i, c := range r {
			out[i] = htmlCell{c, t.num[i]}
		}
		return out
	}
	h := htmlTable{Head: cells(t.head), Total: total}
	for _, r := range t.rows {
		h.Rows = append(h.Rows, cells(r))
	}
	return h
}

// renderHTML writes a complete page: lang and dir set from the language,
// inline CSS that prints on A4, a table per section.
func renderHTML(b *Bulletin, lang i18n.Lang) ([]byte, error) {
	var names []string
	for _, g := range b.Guarantors {
		names = append(names, fmt.Sprintf("%s: %s", g.ID, g.Name))
	}
	p := htmlPage{
		Lang: string(lang), Dir: lang.Dir(), Date: b.Date,
		Title:          text(lang, "title"),
		AgreementLabel: text(lang, "agreement"), Agreement: b.AgreementName,
		AsOf:       fmt.Sprintf(text(lang, "as_of"), b.TreeSize, b.AsOf),
		Violations: text(lang, "violations"), Change: text(lang, "change"),
		RegisteredNote: text(lang, "registered_note") + " " + strings.Join(names, "; ") + ".",
		ScopeNote:      text(lang, "outside_scope_note"),
		Main:           toHTMLTable(mainTable(b, lang, false), true),
		ChangeTable:    toHTMLTable(mainTable(b, lang, true), true),
		Designated:     text(lang, "designated"), DesignatedNote: text(lang, "designated_note"),
		DesignatedTable: toHTMLTable(designatedTable(b, lang), false),
		Accessions:      text(lang, "accessions"),
		AccessionLines:  accessionLines(b, lang),
		ConfirmedList:   text(lang, "confirmed_list"),
		Confirmed:       toHTMLTable(violationTable(b, lang), false),
		None:            text(lang, "none"),
		CheckpointLabel: text(lang, "checkpoint"), Checkpoint: b.Checkpoint,
		SignatureLabel: text(lang, "signature"), SignatureNote: text(lang, "signature_note"),
		Signature: b.Signature, Unsigned: text(lang, "unsigned"),
	}
	var w bytes.Buffer
	if err := pageTemplate.Execute(&w, p); err != nil {
		return nil, err
	}
	return w.Bytes(), nil
}

var pageTemplate = template.Must(template.New("bulletin").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}: {{.Date}}</title>
<style>
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Segoe UI", Tahoma, Arial, sans-serif; color: #111; line-height: 1.4; max-width: 80em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .4em; border-bottom: 1px solid #888; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: start; vertical-align: top; }
th { background: #eee; font-weight: 600; }
.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; background: #f4f4f4; }
.note { font-size: .85em; color: #444; }
pre { direction: ltr; text-align: left; white-space: pre-wrap; word-break: break-all; background: #f4f4f4; padding: .5em; font-size: .8em; }
@media print {
  @page { size: A4 landscape; margin: 1.2cm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  th, tr.total td { background: none; }
  h2, h3 { break-after: avoid; }
  table, pre { break-inside: avoid; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}: <bdi>{{.Date}}</bdi></h1>
<p>{{.AgreementLabel}}: {{.Agreement}}<br>{{.AsOf}}</p>
</header>
<section>
<h2>{{.Violations}}</h2>
{{template "table" .Main}}
<p class="note">{{.RegisteredNote}}<br>{{.ScopeNote}}</p>
<h3>{{.Change}}</h3>
{{template "table" .ChangeTable}}
</section>
<section>
<h2>{{.Designated}}</h2>
<p class="note">{{.DesignatedNote}}</p>
{{if .DesignatedTable.Rows}}{{template "table" .DesignatedTable}}{{else}}<p>{{.None}}</p>{{end}}
</section>
<section>
<h2>{{.Accessions}}</h2>
<ul>{{range .AccessionLines}}
<li>{{.}}</li>{{end}}
</ul>
</section>
<section>
<h2>{{.ConfirmedList}}</h2>
{{if .Confirmed.Rows}}{{template "table" .Confirmed}}{{else}}<p>{{.None}}</p>{{end}}
</section>
<footer>
<h2>{{.CheckpointLabel}}</h2>
<pre id="truce-checkpoint">{{.Checkpoint}}</pre>
<h2>{{.SignatureLabel}}</h2>
{{if .Signature}}<p class="note">{{.SignatureNote}}</p>
<pre id="truce-signature">{{.Signature}}</pre>{{else}}<p>{{.Unsigned}}</p>{{end}}
</footer>
</body>
</html>
{{define "table"}}<table>
<thead><tr>{{range .Head}}<th{{if .Num}} class="n"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>{{$total := .Total}}{{$last := len .Rows}}{{range $i, $r := .Rows}}
<tr{{if and $total (eq (inc $i) $last)}} class="total"{{end}}>{{range $r}}<td{{if .Num}} class="n"><bdi>{{.Text}}</bdi>{{else}}>{{.Text}}{{end}}</td>{{end}}</tr>{{end}}
</tbody>
</table>{{end}}`))
