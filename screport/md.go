package screport

import (
	"bufio"
	"io"
	"strings"
)

// Markdown writes the report as Markdown (CommonMark with GitHub's
// tables): the same sections and tables as the HTML, without the
// figures. Arabic and Persian editions are wrapped in a right-to-left
// block, which renderers that allow HTML honour.
func (r *Report) Markdown(w io.Writer) error {
	d := r.layout("md")
	b := bufio.NewWriter(w)
	if r.Lang.RTL() {
		b.WriteString(`<div dir="rtl" lang="` + d.Lang + "\">\n\n")
	}
	b.WriteString("# " + mdText(d.Title) + "\n\n")
	for i, f := range d.Header {
		b.WriteString("**" + mdText(f.Label) + ":** " + mdText(f.Value))
		if i < len(d.Header)-1 {
			b.WriteString("  ")
		}
		b.WriteString("\n")
	}
	for _, s := range d.Sections {
		b.WriteString("\n## " + mdText(s.Title) + "\n")
		for _, bl := range s.Blocks {
			b.WriteString("\n")
			switch {
			case bl.Table != nil:
				mdTable(b, bl.Table)
			case bl.Pre != "":
				b.WriteString("```\n" + strings.TrimRight(bl.Pre, "\n") + "\n```\n")
			case bl.Small:
				b.WriteString("*" + mdText(bl.Para) + "*\n")
			default:
				b.WriteString(mdText(bl.Para) + "\n")
			}
		}
	}
	if r.Lang.RTL() {
		b.WriteString("\n</div>\n")
	}
	return b.Flush()
}

func mdTable(b *bufio.Writer, t *table) {
	b.WriteString("**" + mdText(t.Caption) + "**\n\n|")
	for _, h := range t.Head {
		b.WriteString(" " + mdCell(h.Text) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Head {
		if t.Head[i].Num {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, c := range row {
			s := mdCell(c.Text)
			if c.Bold && s != "" {
				s = "**" + s + "**"
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
}

// mdText escapes the characters Markdown would read as markup.
var mdEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `&lt;`, `[`, `\[`, `]`, `\]`)

func mdText(s string) string { return mdEscaper.Replace(s) }

func mdCell(s string) string { return strings.ReplaceAll(mdText(s), "|", `\|`) }
