package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"truce"
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
// a data directory, its approved map.
type classifier struct {
	agreement *truce.Agreement
	zones     []*truce.Zone
}

func newClassifier(ctx context.Context, data string) (*classifier, func(), error) {
	c := &classifier{}
	if data == "" {
		a, _, err := loadDefaultAgreement()
		c.agreement = a
		return c, func() {}, err
	}
	d, err := openDataDir(data)
	if err != nil {
		return nil, nil, err
	}
	svc, db, err := d.service(false)
	if err != nil {
		return nil, nil, err
	}
	if c.agreement, err = svc.Agreement(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	err = db.View(ctx, func(tx truce.Tx) error {
		c.zones, err = tx.Zones(truce.ZoneStateApproved, nil)
		return err
	})
	return c, func() { db.Close() }, err
}

func (c *classifier) classify(lon, lat float64, at time.Time) truce.Classification {
	return workflow.ClassifyPoint(c.agreement, places.DefaultLocator(), c.zones, lon, lat, at)
}

func runGeoClassify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("geo classify", "geo classify [--data DIR] [--at TIME] LON LAT | --in FILE.csv",
		"Classifies a point: its governorate, district and sub-district (OCHA P-codes,\n"+
			"from the built-in geography), and, with --data, who held the place at TIME on\n"+
			"the approved map and whether the ceasefire covers it (covered, excluded,\n"+
			"disputed, outside). Without --data, the Astana agreement and an empty map.\n"+
			"With --in, reads a CSV whose header names lon and lat (and optionally time)\n"+
			"and writes it back with adm1_pcode, adm2_pcode, adm3_pcode, controller and\n"+
			"scope appended to every row.", stderr)
	data := fs.String("data", os.Getenv("TRUCE_DATA"), "a data directory whose approved map to use (default $TRUCE_DATA)")
	atFlag := fs.String("at", "", "the time, RFC 3339 or YYYY-MM-DD (default now)")
	in := fs.String("in", "", "a CSV file of points ('-' for standard input)")
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
	c, done, err := newClassifier(ctx, *data)
	if err != nil {
		return err
	}
	defer done()
	if *in != "" {
		if len(pos) > 0 {
			return fmt.Errorf("give LON LAT or --in, not both")
		}
		return classifyCSV(c, *in, at, stdout)
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
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Lon, Lat float64
		At       time.Time
		truce.Classification
	}{lon, lat, at, cl})
}

func parseTimeFlag(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// maxCSVRows bounds a classified CSV.
const maxCSVRows = 10_000_000

func classifyCSV(c *classifier, path string, at time.Time, stdout io.Writer) error {
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
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return fmt.Errorf("%s:%d: lon and lat must be numbers in degrees (got %q %q)", path, line, rec[ilon], rec[ilat])
		}
		t := at
		if okTime && strings.TrimSpace(rec[itime]) != "" {
			if t, err = parseTimeFlag(strings.TrimSpace(rec[itime])); err != nil {
				return fmt.Errorf("%s:%d: time %q is not RFC 3339 or YYYY-MM-DD", path, line, rec[itime])
			}
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
	return w.Error()
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
	fmt.Fprintf(stdout, "%d pairs within %d m at %s\n", len(res.Pairs), res.ThresholdM, res.At.Format(time.RFC3339))
	for _, p := range res.Pairs {
		fmt.Fprintf(stdout, "%8.0f m\t%s %s %s\t%s %s %s\n", p.DistanceM,
			p.Party.Actor, p.Party.Kind, p.Party.ID, p.Designated.Actor, p.Designated.Kind, p.Designated.ID)
	}
	return nil
}

// loadDefaultAgreement loads the built-in Astana agreement.
func loadDefaultAgreement() (*truce.Agreement, []byte, error) {
	return agreementsLoad("astana-2017")
}
