package bulletin

import (
	"bytes"
	"fmt"
	"strings"

	"truce/i18n"
)

// Fence info strings of the blocks that carry the checkpoint and the
// signature in Markdown, so that Verify finds them.
const (
	mdCheckpointFence = "```truce-checkpoint"
	mdSignatureFence  = "```truce-signature"
)

// renderMarkdown writes the bulletin as CommonMark with pipe tables. Right-
// to-left languages are wrapped in a <div dir="rtl">, which CommonMark
// passes through and renders the Markdown inside.
func renderMarkdown(b *Bulletin, lang i18n.Lang) []byte {
	var w bytes.Buffer
	if lang.RTL() {
		fmt.Fprintf(&w, "<div dir=\"rtl\" lang=\"%s\">\n\n", lang)
	}
	fmt.Fprintf(&w, "# %s: %s\n\n", mdEscape(text(lang, "title")), b.Date)
	fmt.Fprintf(&w, "%s: %s  \n", text(lang, "agreement"), mdEscape(b.AgreementName))
	fmt.Fprintf(&w, "%s\n\n", asOfLine(b, lang))

	fmt.Fprintf(&w, "## %s\n\n", text(lang, "violations"))
	mdTable(&w, mainTable(b, lang, false))
	var names []string
	for _, g := range b.Guarantors {
		names = append(names, fmt.Sprintf("%s: %s", g.ID, mdEscape(g.Name)))
	}
	fmt.Fprintf(&w, "\n%s %s.  \n%s\n\n", text(lang, "registered_note"), strings.Join(names, "; "), text(lang, "outside_scope_note"))
	fmt.Fprintf(&w, "### %s\n\n", text(lang, "change"))
	mdTable(&w, mainTable(b, lang, true))

	fmt.Fprintf(&w, "\n## %s\n\n%s\n\n", text(lang, "designated"), text(lang, "designated_note"))
	if t := designatedTable(b, lang); len(t.rows) > 0 {
		mdTable(&w, t)
		w.WriteByte('\n')
	} else {
		fmt.Fprintf(&w, "%s\n\n", text(lang, "none"))
	}

	fmt.Fprintf(&w, "## %s\n\n", text(lang, "accessions"))
	for _, l := range accessionLines(b, lang) {
		fmt.Fprintf(&w, "- %s\n", l)
	}
	w.WriteByte('\n')

	fmt.Fprintf(&w, "## %s\n\n", text(lang, "confirmed_list"))
	if t := violationTable(b, lang); len(t.rows) > 0 {
		mdTable(&w, t)
		w.WriteByte('\n')
	} else {
		fmt.Fprintf(&w, "%s\n\n", text(lang, "none"))
	}

	fmt.Fprintf(&w, "## %s\n\n%s\n%s%s```\n\n", text(lang, "checkpoint"), mdCheckpointFence, b.Checkpoint, newlineIfMissing(b.Checkpoint))
	fmt.Fprintf(&w, "## %s\n\n", text(lang, "signature"))
	if b.Signature == "" {
		fmt.Fprintf(&w, "%s\n", text(lang, "unsigned"))
	} else {
		fmt.Fprintf(&w, "%s\n\n%s\n%s```\n", text(lang, "signature_note"), mdSignatureFence, b.Signature)
	}
	if lang.RTL() {
		w.WriteString("\n</div>\n")
	}
	return w.Bytes()
}

func newlineIfMissing(s string) string {
	if strings.HasSuffix(s, "\n") {
		return ""
	}
	return "\n"
}

// mdTable writes a pipe table, numeric columns right-aligned.
func mdTable(w *bytes.Buffer, t table) {
	row := func(cells []string) {
		w.WriteByte('|')
		for _, c := range cells {
			fmt.Fprintf(w, " %s |", mdEscape(c))
		}
		w.WriteByte('\n')
	}
	row(t.head)
	w.WriteByte('|')
	for i := range t.head {
		if t.num[i] {
			w.WriteString(" ---: |")
		} else {
			w.WriteString(" --- |")
		}
	}
	w.WriteByte('\n')
	for _, r := range t.rows {
		row(r)
	}
}

// mdEscape keeps a cell's text from ending the cell or the line, and from
// being read as markup.
var mdEscape = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", "*", `\*`, "`", "\\`").Replace
