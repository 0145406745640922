package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"truce"
	"truce/intake"
	"truce/workflow"
)

// TestIntakeCommand reads a bulletin from a file and a news text from
// standard input, as text and as JSON.
func TestIntakeCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bulletin.txt")
	bulletin := "Российской частью зафиксировано 10 нарушений в провинциях Латакия (8) и Хама (2). " +
		"Турецкой частью представительства - восемь нарушений в провинциях Дамаск (3), Алеппо (3) и Идлиб (2)"
	if err := os.WriteFile(file, []byte(bulletin), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := truceCLI("intake", file, "--json")
	if code != 0 {
		t.Fatalf("truce intake --json = %d: %s", code, out)
	}
	var doc intake.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not a document: %v\n%s", err, out)
	}
	if doc.Kind != "bulletin" || len(doc.Sides) != 2 || doc.Sides[0].Side != "RU" || doc.Sides[0].Total != 10 ||
		doc.Sides[1].Side != "TR" || doc.Sides[1].Governorates["SY01"] != 3 {
		t.Errorf("truce intake --json = %+v, want RU 10 and TR 8", doc)
	}

	stdin = strings.NewReader("Syrian Arab Army artillery shelled Kafr Nabl on Monday, killing two civilians.")
	t.Cleanup(func() { stdin = os.Stdin })
	code, out = truceCLI("intake", "--date", "2017-04-05", "-")
	if code != 0 {
		t.Fatalf("truce intake - = %d: %s", code, out)
	}
	for _, want := range []string{"news (en), dated 2017-04-05", "when   2017-04-03", "«Monday»", "C4068", "SYG perpetrator", "Shelling/artillery/missile attack", "killed 2 (civilians)"} {
		if !strings.Contains(out, want) {
			t.Errorf("truce intake - says\n%s\nwithout %q", out, want)
		}
	}
}

// TestIntakeCommandRefuses: bad flags are errors, not drafts.
func TestIntakeCommandRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"intake", "--date", "yesterday", "/dev/null"},
		{"intake", "--side", "SYG", "/dev/null"},
		{"intake", "--kind", "poem", "/dev/null"},
		{"intake", "a", "b"},
		{"intake", filepath.Join(t.TempDir(), "missing.txt")},
	} {
		if code, out := truceCLI(args...); code == 0 {
			t.Errorf("truce %s = 0: %s, want a failure", strings.Join(args, " "), out)
		}
	}
}

// TestIntakeAPI is the review flow over HTTP: a monitor queues a news
// text's drafts, lists them, corrects one and files it as a report with
// the text kept as its source; the other is discarded.
func TestIntakeAPI(t *testing.T) {
	s := mustRunServer(t)
	w := authzNewWorld(t, s)
	monitor := w.tok[truce.RoleMonitor]
	text := "Syrian Arab Army artillery shelled Kafr Nabl on Monday, killing two civilians.\nClashes broke out near Harasta on Tuesday."
	var read intake.Document
	w.must(t, http.StatusOK, "POST", "/api/v1/intake", monitor, "application/json",
		authzJSON(t, map[string]any{"text": text, "date": "2017-04-05"}), &read)
	if read.Kind != "news" || len(read.Drafts) != 2 {
		t.Fatalf("POST /api/v1/intake = %+v, want two news drafts", read)
	}
	var queued workflow.DraftQueue
	w.must(t, http.StatusCreated, "POST", "/api/v1/drafts", monitor, "application/json",
		authzJSON(t, map[string]any{"text": text, "date": "2017-04-05", "source": "https://example.org/news"}), &queued)
	var listed workflow.DraftQueue
	w.must(t, http.StatusOK, "GET", "/api/v1/drafts", w.ru, "", nil, &listed)
	if len(queued.Drafts) != 2 || len(listed.Drafts) != 2 || listed.Drafts[0].ID != queued.Drafts[0].ID {
		t.Fatalf("queued %d, the RU officer lists %d; want the same two", len(queued.Drafts), len(listed.Drafts))
	}
	w.must(t, http.StatusOK, "GET", "/api/v1/drafts", w.tr, "", nil, &listed)
	if len(listed.Drafts) != 0 {
		t.Errorf("TR lists %d of RU's drafts, want none", len(listed.Drafts))
	}
	edit := queued.Drafts[0].Draft.Report
	edit.Description = "Artillery fire on Kafr Nabl; two civilians killed."
	resp := authzSend(t, s, "POST", "/api/v1/drafts/"+queued.Drafts[0].ID+"/file", w.ru, "application/json", authzJSON(t, edit))
	if resp.status != http.StatusCreated {
		t.Fatalf("file = %d: %s", resp.status, resp.body)
	}
	var filed workflow.ReportView
	w.must(t, http.StatusOK, "GET", resp.header.Get("Location"), w.ru, "", nil, &filed)
	if !strings.HasSuffix(filed.Description, "Source text: Syrian Arab Army artillery shelled Kafr Nabl on Monday, killing two civilians.") ||
		len(filed.Sources) != 1 || filed.Perpetrator != "SYG" || filed.Casualties == nil || filed.Casualties.KilledCivilians.Best != 2 {
		t.Errorf("filed report = %+v, want the source text kept, SYG, two civilians killed", filed)
	}
	w.must(t, http.StatusOK, "POST", "/api/v1/drafts/"+queued.Drafts[1].ID+"/discard", monitor, "application/json", []byte(`{}`), nil)
	w.must(t, http.StatusOK, "GET", "/api/v1/drafts", monitor, "", nil, &listed)
	if len(listed.Drafts) != 0 {
		t.Errorf("after filing and discarding, %d drafts queued, want none", len(listed.Drafts))
	}
}
