package screport

import (
	"bytes"
	"html/template"
	"io"
)

// HTML writes the report as one self-contained page: inline style and
// SVG, no script, no fetched resource, with a print stylesheet for A4.
func (r *Report) HTML(w io.Writer) error {
	return r.writeHTML(w, "html")
}

func (r *Report) writeHTML(w io.Writer, format string) error {
	d := r.layout(format)
	var b bytes.Buffer
	err := pageTemplate.Execute(&b, struct {
		*document
		Font template.CSS
	}{d, template.CSS(fontFamily(r.Lang))})
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"svg": func(s string) template.HTML { return template.HTML(s) },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { color: #1a1a1a; background: #fff; }
body { font-family: {{.Font}}; font-size: 15px; line-height: 1.5; max-width: 760px; margin: 2em auto; padding: 0 1em; }
header { border-bottom: 2px solid #1a1a1a; padding-bottom: .6em; margin-bottom: 1.2em; }
h1 { font-size: 1.55em; line-height: 1.25; margin: .2em 0 .5em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .6em; border-bottom: 1px solid #999; padding-bottom: .15em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
p.small { font-size: .85em; color: #444; }
figure { margin: 1.2em 0; }
figure svg { display: block; width: 100%; max-width: 680px; height: auto; }
figcaption { font-weight: bold; margin-bottom: .4em; }
figure p { font-size: .88em; color: #333; margin: .4em 0 0; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; font-size: .9em; }
caption { text-align: start; font-weight: bold; padding-bottom: .3em; }
th, td { border-bottom: 1px solid #ccc; padding: .25em .5em; text-align: start; vertical-align: top; }
th { border-bottom: 2px solid #666; font-weight: bold; }
th.n { text-align: end; }
td.n { direction: ltr; unicode-bidi: isolate; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
[dir=rtl] td.n { text-align: left; }
td.b { font-weight: bold; }
pre { direction: ltr; text-align: left; unicode-bidi: isolate; background: #f4f4f4; padding: .6em; font-size: .8em; white-space: pre-wrap; word-break: break-all; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  section { break-before: page; }
  section#summary { break-before: auto; }
  h2 { break-after: avoid; }
  figure, tr, caption { break-inside: avoid; }
  thead { display: table-header-group; }
  figure svg { max-width: 100%; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<dl>{{range .Header}}
<dt>{{.Label}}</dt><dd>{{.Value}}</dd>{{end}}
</dl>
</header>
{{range .Sections}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{range .Blocks}}{{if .Figure}}<figure>
<figcaption>{{.Figure.Caption}}</figcaption>
{{svg .Figure.Drawing.SVG}}
{{if .Figure.Note}}<p>{{.Figure.Note}}</p>{{end}}
</figure>
{{else if .Table}}<table>
<caption>{{.Table.Caption}}</caption>
<thead><tr>{{range .Table.Head}}<th scope="col"{{if .Num}} class="n"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>{{range .Table.Rows}}
<tr>{{range .}}<td{{if and .Num .Bold}} class="n b"{{else if .Num}} class="n"{{else if .Bold}} class="b"{{end}}>{{.Text}}</td>{{end}}</tr>{{end}}
</tbody>
</table>
{{else if .Pre}}<pre>{{.Pre}}</pre>
{{else if .Small}}<p class="small">{{.Para}}</p>
{{else}}<p>{{.Para}}</p>
{{end}}{{end}}</section>
{{end}}</body>
</html>
`))
