package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"truce"
	"truce/geo"
	"truce/places"
	"truce/workflow"
)

func runGeo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, `Usage: truce geo <command>

  lookup NAME                       find places in the gazetteer: P-code, name, governorate, lat, lon, score
  classify [--data DIR] LON LAT     where a point is, who held it, whether the ceasefire covers it
  classify [--data DIR] --in FILE   the same for every row of a CSV with lon,lat[,time] columns
  separation --data DIR [--at T]    party areas and positions too near designated groups'
`)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "lookup":
		return runGeoLookup(args[1:], stdout, stderr)
	case "classify":
		return runGeoClassify(ctx, args[1:], stdout, stderr)
	case "separation":
		return runGeoSeparation(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "truce geo: unknown subcommand %q; try lookup, classify or separation\n", args[0])
	return errUsage
}

func runGeoLookup(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("geo lookup", "geo lookup NAME [--json] [--limit N]",
		"Finds places by name in the OCHA gazetteer (4,726 communities, and the\n"+
			"governorates, districts and sub-districts), in English or Arabic, tolerant\n"+
			"of the ways the news spells them. Prints the candidates best first, one per\n"+
			"line: P-code, name, governorate P-code, lat, lon, score. Where several\n"+
			"places share a name, the more important (a governorate capital, a district\n"+
			"centre) comes first, and the note says so.", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", places.DefaultLimit, "how many candidates at most")
	pos, err := positional(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "truce geo lookup: give a NAME")
		fs.Usage()
		return errUsage
	}
	if *limit < 1 || *limit > 100 {
		return fmt.Errorf("--limit must be from 1 to 100")
	}
	cs := places.Lookup(strings.Join(pos, " "), *limit)
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"candidates": cs})
	}
	if len(cs) == 0 {
		return fmt.Errorf("no place is called anything like %q", strings.Join(pos, " "))
	}
	for _, c := range cs {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%.6f\t%.6f\t%.2f", c.PCode, c.Name, c.ADM1, c.Lat, c.Lon, c.Score)
		if c.Note != "" {
			fmt.Fprintf(stdout, "\t%s", c.Note)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// classifier classifies points against the built-in geography and, with
// a data directory, its approved map and the designated positions on it.
type classifier struct {
	agreement *truce.Agreement
	c         *workflow.Classifier // nil without a data directory
}

func newClassifier(ctx context.Context, data, dsn string) (*classifier, func(), error) {
	c := &classifier{}
	if data == "" && dsn == "" {
		a, _, err := loadDefaultAgreement()
		c.agreement = a
		return c, func() {}, err
	}
	d, err := openDataDirDB(data, dsn)
	if err != nil {
		return nil, nil, err
	}
	svc, db, err := d.service(false)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if c.c, err = svc.NewClassifier(ctx); err != nil {
		return nil, nil, err
	}
	c.agreement = c.c.Agreement()
	return c, func() {}, nil
}

func (c *classifier) classify(lon, lat float64, at time.Time) truce.Classification {
	if c.c != nil {
		return c.c.Classify(lon, lat, at)
	}
	return workflow.ClassifyPoint(c.agreement, places.DefaultLocator(), nil, lon, lat, at)
}

func runGeoClassify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("geo classify", "geo classify [--data DIR] [--at TIME] [--json] LON LAT | --in FILE.csv",
		"Classifies a point: its governorate, district and sub-district (OCHA P-codes,\n"+
			"from the built-in geography), and, with --data, who held the place at TIME on\n"+
			"the approved map and whether the ceasefire covers it (covered, excluded,\n"+
			"disputed, outside). Without --data, the Astana agreement and an empty map.\n"+
			"With --in, reads a CSV whose header names lon and lat (and optionally time)\n"+
			"and writes it back with adm1_pcode, adm2_pcode, adm3_pcode, controller and\n"+
			"scope appended to every row.", stderr)
	data := fs.String("data", os.Getenv("TRUCE_DATA"), "a data directory whose approved map to use (default $TRUCE_DATA)")
	addDBFlag(fs)
	atFlag := fs.String("at", "", "the time, RFC 3339 or YYYY-MM-DD (default now)")
	in := fs.String("in", "", "a CSV file of points ('-' for standard input)")
	asJSON := fs.Bool("json", false, "print a point's classification as JSON")
	pos, err := positional(fs, args)
	if err != nil {
		return err
	}
	at := time.Now().UTC()
	if *atFlag != "" {
		if at, err = parseTimeFlag(*atFlag); err != nil {
			return fmt.Errorf("--at: %w", err)
		}
	}
	c, done, err := newClassifier(ctx, *data, dbOf(fs))
	if err != nil {
		return err
	}
	defer done()
	if *in != "" {
		if len(pos) > 0 {
			return fmt.Errorf("give LON LAT or --in, not both")
		}
		return classifyCSV(c, *in, at, stdout, stderr)
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "truce geo classify: give LON and LAT, or --in FILE.csv")
		fs.Usage()
		return errUsage
	}
	lon, err1 := strconv.ParseFloat(pos[0], 64)
	lat, err2 := strconv.ParseFloat(pos[1], 64)
	if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return fmt.Errorf("LON LAT must be numbers in degrees, longitude first (got %q %q)", pos[0], pos[1])
	}
	cl := c.classify(lon, lat, at)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Lon float64   `json:"lon"`
			Lat float64   `json:"lat"`
			At  time.Time `json:"at"`
			truce.Classification
		}{lon, lat, at, cl})
	}
	printClassification(stdout, c.agreement, lon, lat, at, &cl, *data != "")
	return nil
}

// printClassification prints a classification as aligned lines of label
// and value, with the names of units and actors.
func printClassification(w io.Writer, a *truce.Agreement, lon, lat float64, at time.Time, c *truce.Classification, withMap bool) {
	unit := func(pcode string) string {
		if pcode == "" {
			return "-"
		}
		if u, ok := places.UnitByPCode(pcode); ok {
			return pcode + "  " + u.NameEN
		}
		return pcode
	}
	actor := func(id truce.ActorID) string {
		if x := a.Actor(id); x != nil {
			return string(id) + "  " + x.Name()
		}
		return string(id)
	}
	line := func(label, value string) { fmt.Fprintf(w, "%-12s%s\n", label, value) }
	line("point", fmt.Sprintf("%.6f %.6f (lon lat)", lon, lat))
	line("at", at.Format(time.RFC3339))
	line("governorate", unit(c.ADM1))
	line("district", unit(c.ADM2))
	line("subdistrict", unit(c.ADM3))
	switch {
	case c.Controller != "":
		line("controller", actor(c.Controller))
	case len(c.ContestedBetween) > 0:
		var names []string
		for _, x := range c.ContestedBetween {
			names = append(names, actor(x))
		}
		line("controller", "none: contested between "+strings.Join(names, ", "))
	case withMap:
		line("controller", "unknown: no approved control area covers the point then")
	default:
		line("controller", "unknown: no map (give --data DIR for a data directory's approved map)")
	}
	line("scope", c.Scope)
	if c.OnLine {
		line("on line", "yes: on the edge of a control area")
	}
	for _, z := range c.Zones {
		line("zone", fmt.Sprintf("%s (approved in entry %d)", z.Zone, z.Entry))
	}
	for _, p := range c.Positions {
		line("position", string(p)+" (a designated group's position within its radius)")
	}
}

func parseTimeFlag(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// maxCSVRows bounds a classified CSV.
const maxCSVRows = 10_000_000

// classifyCSV writes the CSV at path back with each row's classification
// appended. A row that cannot be classified is written with the appended
// columns empty and named on stderr, and the command fails at the end:
// no row is lost.
func classifyCSV(c *classifier, path string, at time.Time, stdout, stderr io.Writer) error {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	ilon, okLon := col["lon"]
	ilat, okLat := col["lat"]
	itime, okTime := col["time"]
	if !okLon || !okLat {
		return fmt.Errorf("%s: the header must name lon and lat columns (it has %v)", path, header)
	}
	w := csv.NewWriter(stdout)
	w.Write(append(header, "adm1_pcode", "adm2_pcode", "adm3_pcode", "controller", "scope"))
	failed := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if line > maxCSVRows {
			return fmt.Errorf("%s: more than %d rows", path, maxCSVRows)
		}
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(rec[ilon]), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(rec[ilat]), 64)
		t := at
		var bad string
		switch {
		case err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 || math.IsNaN(lon) || math.IsNaN(lat):
			bad = fmt.Sprintf("lon and lat must be numbers in degrees (got %q %q)", rec[ilon], rec[ilat])
		case okTime && strings.TrimSpace(rec[itime]) != "":
			if t, err = parseTimeFlag(strings.TrimSpace(rec[itime])); err != nil {
				bad = fmt.Sprintf("time %q is not RFC 3339 or YYYY-MM-DD", rec[itime])
			}
		}
		if bad != "" {
			fmt.Fprintf(stderr, "%s:%d: %s; written unclassified\n", path, line, bad)
			failed++
			w.Write(append(rec, "", "", "", "", ""))
			continue
		}
		cl := c.classify(lon, lat, t)
		controller := string(cl.Controller)
		if controller == "" && len(cl.ContestedBetween) > 0 {
			parts := make([]string, len(cl.ContestedBetween))
			for i, x := range cl.ContestedBetween {
				parts[i] = string(x)
			}
			controller = strings.Join(parts, "|")
		}
		w.Write(append(rec, cl.ADM1, cl.ADM2, cl.ADM3, controller, cl.Scope))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d rows could not be classified (named above)", path, failed)
	}
	return nil
}

func runGeoSeparation(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("geo separation", "geo separation --data DIR [--at TIME] [--json]",
		"Lists the party areas and positions within the agreement's separation\n"+
			"threshold of a designated group's area or position on the approved map at\n"+
			"TIME, nearest first, with geodesic distances in metres.", stderr)
	data := dataFlag(fs)
	atFlag := fs.String("at", "", "the time, RFC 3339 or YYYY-MM-DD (default now)")
	asJSON := fs.Bool("json", false, "print JSON")
	_, svc, db, err := openFromFlags(fs, args, data)
	if err != nil {
		return err
	}
	defer db.Close()
	svc.Admin = places.DefaultLocator()
	res, err := svc.Separation(ctx, &truce.Member{Role: truce.RoleGuarantor}, *atFlag)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "%d pairs within %d m at %s: distance, party side, designated side, nearest points (lon lat)\n",
		len(res.Pairs), res.ThresholdM, res.At.Format(time.RFC3339))
	item := func(it workflow.SeparationItem) string {
		s := string(it.Actor) + " " + it.Kind + " " + it.ID
		if it.Part != nil {
			s += fmt.Sprintf(" part %d", *it.Part)
		}
		if it.Contested {
			s += " (contested)"
		}
		return s
	}
	point := func(p *geo.Point) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%.6f %.6f", p.Lon, p.Lat)
	}
	for _, p := range res.Pairs {
		fmt.Fprintf(stdout, "%.0f m\t%s\t%s\t%s\t%s\n", p.DistanceM, item(p.Party), item(p.Designated), point(p.Party.Nearest), point(p.Designated.Nearest))
	}
	return nil
}

// loadDefaultAgreement loads the built-in Astana agreement.
func loadDefaultAgreement() (*truce.Agreement, []byte, error) {
	return agreementsLoad("astana-2017")
}
