package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"truce"
	"truce/i18n"
	"truce/intake"
)

// stdin is where `truce intake -` reads; tests replace it.
var stdin io.Reader = os.Stdin

func runIntake(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("intake", "intake [FILE|-] [--json] [--date YYYY-MM-DD] [--side RU] [--kind bulletin|news] [--source URL]",
		"Reads a published text — a guarantor's bulletin, a news report, a message\n"+
			"from the field — into drafts for a monitor to review, correct and file.\n"+
			"Nothing is filed. A bulletin gives each reporting side's total and counts\n"+
			"per governorate; a news text gives incidents with when, where, who, what\n"+
			"and casualties, and the report each makes. Every value is shown with the\n"+
			"text it was read from. English, Russian, Arabic and Portuguese.\n"+
			"Without FILE, or with '-', the text is read from standard input.", stderr)
	asJSON := fs.Bool("json", false, "print the document as JSON (what POST /api/v1/intake answers)")
	date := fs.String("date", "", "the document's date, for relative dates (default: the first date in the text)")
	side := fs.String("side", "", "whose counts a bulletin gives before it names a side (its publisher, a guarantor)")
	kind := fs.String("kind", "", "bulletin or news (default: decided from the text)")
	source := fs.String("source", "", "the document's reference (a URL), carried into the drafts' reports")
	agreement := fs.String("agreement", "astana-2017", "the agreement whose guarantors and actors to read (a built-in name or a YAML file)")
	pos, err := positional(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "truce intake: one FILE at most, not %d\n", len(pos))
		return errUsage
	}
	var r io.Reader = stdin
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	text, err := io.ReadAll(io.LimitReader(r, intake.MaxText+1))
	if err != nil {
		return err
	}
	a, _, err := agreementsLoad(*agreement)
	if err != nil {
		return err
	}
	opt := intake.Options{Agreement: a, Side: truce.ActorID(*side), Kind: *kind, Source: *source}
	if *date != "" {
		if opt.Date, err = time.Parse(time.DateOnly, *date); err != nil {
			return fmt.Errorf("--date %q is not a date YYYY-MM-DD", *date)
		}
	}
	if opt.Side != "" && !a.IsGuarantor(opt.Side) {
		return fmt.Errorf("--side %q is not a guarantor of %s (%v)", *side, a.ID, a.Guarantors())
	}
	doc, err := intake.Read(string(text), opt)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	printDocument(stdout, doc)
	return nil
}

// printDocument writes what was read, a value a line, each with the text
// it came from in «».
func printDocument(w io.Writer, doc *intake.Document) {
	fmt.Fprintf(w, "%s (%s)", doc.Kind, doc.Lang)
	if doc.Date != "" {
		fmt.Fprintf(w, ", dated %s", doc.Date)
	}
	fmt.Fprintln(w)
	quote := func(sp *intake.Span) string {
		if sp == nil {
			return ""
		}
		return " «" + strings.Join(strings.Fields(sp.Text), " ") + "»"
	}
	for _, s := range doc.Sides {
		side := string(s.Side)
		if side == "" {
			side = "side not given"
		}
		fmt.Fprintf(w, "%s%s: %d%s\n", side, quote(s.SideSpan), s.Total, quote(s.TotalSpan))
		for _, pc := range slices.Sorted(maps.Keys(s.Governorates)) {
			var from []string
			for _, sp := range s.GovernorateSpans[pc] {
				from = append(from, quote(&sp))
			}
			fmt.Fprintf(w, "  %s %-16s %3d%s\n", pc, i18n.Governorate(pc, i18n.EN), s.Governorates[pc], strings.Join(from, ""))
		}
	}
	for i, d := range doc.Drafts {
		fmt.Fprintf(w, "draft %d:%s\n", i+1, quote(&d.Span))
		if d.When != nil {
			fmt.Fprintf(w, "  when   %s (precision %d)%s\n", d.When.Date, d.When.Precision, quote(d.When.Span))
		}
		for _, p := range d.Where {
			fmt.Fprintf(w, "  where  %s %s (%s) %.5f,%.5f score %.2f%s\n", p.PCode, p.Name, p.ADM1, p.Lat, p.Lon, p.Score, quote(&p.Span))
		}
		for _, a := range d.Who {
			fmt.Fprintf(w, "  who    %s %s%s\n", a.Actor, a.Role, quote(&a.Span))
		}
		if d.What != nil {
			fmt.Fprintf(w, "  what   %s / %s%s\n", d.What.EventType, d.What.SubEventType, quote(&d.What.Span))
		}
		if c := d.Casualties; c != nil {
			civ := ""
			if c.Civilians {
				civ = " (civilians)"
			}
			if c.Killed != nil {
				fmt.Fprintf(w, "  killed %d%s%s\n", c.Killed.N, civ, quote(&c.Killed.Span))
			}
			if c.Injured != nil {
				fmt.Fprintf(w, "  injured %d%s%s\n", c.Injured.N, civ, quote(&c.Injured.Span))
			}
		}
	}
}
