package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"truce"
	"truce/i18n"
)

// page is what every template gets: the layout's needs, and Data, the
// page's own.
type page struct {
	Lang    i18n.Lang
	Dir     string
	Title   string
	Nav     string // the navigation entry to mark as current
	Member  *truce.Member
	CSRF    string
	Path    string // this page's path and query, for the language form
	Langs   []langChoice
	Data    any
	Version string // of the static files, so that a new build is fetched
}

type langChoice struct {
	Code     i18n.Lang
	Name     string
	Selected bool
}

// pageNames are the templates under templates/, each rendered inside
// layout.html, with the pieces of parts.html that more than one page
// shows.
var pageNames = []string{"signin.html", "map.html", "report_new.html", "report.html", "queue.html", "drafts.html", "draft.html", "bulletins.html", "agreement.html", "log.html", "error.html"}

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.New("layout.html").Funcs(funcs)
		out[name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name))
	}
	return out
}

// funcs are the templates' helpers; each takes the language first where
// it needs one.
var funcs = template.FuncMap{
	"t":   text,
	"gov": func(l i18n.Lang, pcode string) string { return i18n.Governorate(pcode, l) },
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"date": func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"coord": func(v *float64) string {
		if v == nil {
			return ""
		}
		return fmt.Sprintf("%.6f", *v)
	},
	"actor": actorName,
	"list":  func(xs ...string) []string { return xs },
	"json": func(v any) (template.JS, error) {
		var b bytes.Buffer
		err := jsonEncode(&b, v)
		return template.JS(b.String()), err
	},
}

// actorName is an actor's name in the language, its English name when it
// has none there, its id when the agreement does not know it.
func actorName(a *truce.Agreement, l i18n.Lang, id truce.ActorID) string {
	if id == "" {
		return text(l, "unknown")
	}
	x := a.Actor(id)
	if x == nil {
		return string(id)
	}
	if n := x.Names[string(l)]; n != "" {
		return n
	}
	return x.Name()
}

// render writes a page with the status.
func (h *Handler) render(w http.ResponseWriter, rq *request, status int, name, titleKey, nav string, data any) {
	p := &page{
		Lang: rq.lang, Dir: rq.lang.Dir(), Title: text(rq.lang, titleKey), Nav: nav,
		Member: rq.member(), CSRF: rq.csrf, Data: data, Version: staticVersion,
	}
	if rq.path != "" {
		p.Path = rq.path
	}
	for _, l := range i18n.Langs {
		p.Langs = append(p.Langs, langChoice{l, langNames[l], l == rq.lang})
	}
	var b bytes.Buffer
	if err := h.pages[name].Execute(&b, p); err != nil {
		h.Logger.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(rq.lang))
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// chooseLang is the language of a request: the one the user chose (a
// cookie), else the first of the browser's Accept-Language that truce
// speaks, else English.
func chooseLang(r *http.Request) i18n.Lang {
	if l, err := i18n.Parse(cookieValue(r, langCookie)); err == nil {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if l, err := i18n.Parse(base); err == nil {
			return l
		}
	}
	return i18n.EN
}

// localPath returns next when it is a path on this site, "/" otherwise:
// redirects never leave the site.
func localPath(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
