// Command postgis compares truce's point-in-polygon classification
// (geo.Index) with PostGIS ST_Covers on identical data, and checks that
// both give the same answers. bench/postgis/run starts a PostgreSQL server
// for it and runs it; see README.md.
//
// For each vertex count it makes 2,000 polygons with geo.SyntheticGrid and
// a million points with geo.SyntheticPoints (the data of geo's
// BenchmarkLocate: grid seed -seed, point seed -seed+1), then:
//
//   - Go: builds a geo.Index (timed apart), then calls AppendLocate for
//     every point in one loop on one goroutine, -goruns times; the median
//     run gives ns/point.
//   - PostGIS: loads the same polygons (WKB into geometry(MultiPolygon,
//     4326), stored uncompressed, GiST index) and points (binary COPY of the
//     float64 coordinates, so the values are bit for bit the same; GiST
//     index), ANALYZEs both, and times SELECT count(*) of two query forms
//     (see forms) on one backend, max_parallel_workers_per_gather = 0, so
//     on one core; then it reads each form's (point, polygon) pairs.
//
// The pairs of each form are compared exactly with Go's. A pair only one
// side has is a mismatch; one whose point lies within -tolerance degrees of
// the polygon's boundary is reported apart as a boundary-tolerance
// difference (truce counts a point within about 1e-13 of an edge as on it;
// PostGIS decides exactly), any other makes the command exit 1.
//
// The connection comes from -dsn, or when it is empty from the libpq
// environment (PGHOST, PGPORT, PGUSER, PGDATABASE). Progress goes to
// stderr, the results to stdout.
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"truce/geo"
)

type config struct {
	dsn       string
	points    int
	pgPoints  int
	polygons  int
	vertices  []int
	seed      int64
	goRuns    int
	pgRuns    int
	parallel  int
	tolerance float64
}

// pair is one answer: point pt is covered by polygon poly.
type pair struct{ pt, poly int32 }

func cmpPair(a, b pair) int {
	if a.pt != b.pt {
		return int(a.pt) - int(b.pt)
	}
	return int(a.poly) - int(b.poly)
}

// form is one way of writing the PostGIS query: both find every (point,
// polygon) pair with ST_Covers.
type form struct {
	name string
	from string // the FROM clause; it names the point p and the polygon g
}

var forms = []form{
	// The join as one would write it. The planner walks the points and
	// probes the polygons' GiST index for each, so consecutive ST_Covers
	// calls see different polygons.
	{"join", "FROM pts p JOIN polys g ON ST_Covers(g.geom, p.geom)"},
	// PostGIS's best case: one polygon at a time (OFFSET 0 keeps the
	// planner from flattening the LATERAL subquery), the points found
	// through their GiST index, so consecutive ST_Covers calls see the same
	// polygon and PostGIS's cache of the prepared polygon hits.
	{"by-polygon", "FROM polys g CROSS JOIN LATERAL (SELECT p.id FROM pts p WHERE ST_Covers(g.geom, p.geom) OFFSET 0) p"},
}

// pgResult is the outcome of one form.
type pgResult struct {
	plan                      string
	ns                        float64 // count(*), ns/point, best of -pgruns
	fetchNs                   float64 // the pairs read in full, ns/point
	parNs                     float64 // count(*) with parallel workers, 0 if not run
	mismatches, boundaryDiffs int
}

// result is the outcome for one vertex count.
type result struct {
	vertices        int
	goBuild         time.Duration
	goNs            float64 // median ns/point
	goRunsNs        []float64
	hits            int
	pgLoad, pgIndex time.Duration
	pg              []pgResult // by forms
}

func main() {
	var c config
	var vertices string
	flag.StringVar(&c.dsn, "dsn", "", "PostgreSQL connection string; empty: from PGHOST, PGPORT, PGUSER, PGDATABASE")
	flag.IntVar(&c.points, "points", 1_000_000, "points to classify")
	flag.IntVar(&c.pgPoints, "pg-points", 0, "points PostGIS classifies (the first N of -points; 0: all); the answers are compared on these")
	flag.IntVar(&c.polygons, "polygons", 2000, "polygons in the grid")
	flag.StringVar(&vertices, "vertices", "200,2000", "comma-separated vertex counts per polygon")
	flag.Int64Var(&c.seed, "seed", 1, "seed of the polygons; the points use seed+1")
	flag.IntVar(&c.goRuns, "goruns", 5, "timed Go runs per vertex count (the median is reported)")
	flag.IntVar(&c.pgRuns, "pgruns", 1, "timed PostGIS count(*) runs per vertex count and query form (the best is reported)")
	flag.IntVar(&c.parallel, "parallel", 0, "also time the join with this many parallel workers (0: not)")
	flag.Float64Var(&c.tolerance, "tolerance", 1e-12, "a mismatch whose point is within this many degrees of the boundary is a boundary-tolerance difference")
	flag.Parse()
	for _, s := range strings.Split(vertices, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 3 {
			fatalf("-vertices: bad count %q", s)
		}
		c.vertices = append(c.vertices, v)
	}
	if c.points <= 0 || c.polygons <= 0 || c.goRuns <= 0 || c.pgRuns <= 0 {
		fatalf("-points, -polygons, -goruns and -pgruns must be positive")
	}
	if c.pgPoints <= 0 || c.pgPoints > c.points {
		c.pgPoints = c.points
	}
	if err := run(c); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "postgis: "+format+"\n", args...)
	os.Exit(2)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(c config) error {
	ctx := context.Background()
	start := time.Now()
	cfg, err := pgx.ParseConfig(c.dsn)
	if err != nil {
		return fmt.Errorf("-dsn: %w", err)
	}
	// The simple protocol: every query is planned when it runs, under the
	// settings then in force. (A prepared statement would keep the plan
	// made under the settings of its first run.)
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)

	var pgVersion, postgisVersion string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&pgVersion); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		return fmt.Errorf("create extension postgis: %w", err)
	}
	if err := conn.QueryRow(ctx, "SELECT postgis_lib_version()").Scan(&postgisVersion); err != nil {
		return err
	}
	logf("PostgreSQL %s, PostGIS %s", pgVersion, postgisVersion)
	for _, q := range []string{
		"SET max_parallel_workers_per_gather = 0", // one backend, one core
		"SET jit = off",
		"SET work_mem = '256MB'",
		"SET maintenance_work_mem = '1GB'",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}

	// The points: the same for every vertex count, as in BenchmarkLocate
	// (the grid's box does not depend on the vertex count).
	_, box := geo.SyntheticGrid(1, 3, c.seed)
	pts := geo.SyntheticPoints(c.points, box, c.seed+1)
	logf("loading %d points into PostGIS", c.pgPoints)
	t := time.Now()
	if err := loadPoints(ctx, conn, pts[:c.pgPoints]); err != nil {
		return err
	}
	ptLoad := time.Since(t)
	logf("points loaded and indexed in %v", ptLoad.Round(time.Millisecond))

	var results []*result
	failed := false
	for _, nv := range c.vertices {
		r, err := compare(ctx, conn, c, nv, pts)
		if err != nil {
			return err
		}
		results = append(results, r)
		for _, p := range r.pg {
			failed = failed || p.mismatches > 0
		}
	}

	// The report.
	fmt.Printf("truce geo.Index vs PostGIS ST_Covers: %d points (PostGIS: %d), %d polygons, seed %d (points: seed %d)\n",
		c.points, c.pgPoints, c.polygons, c.seed, c.seed+1)
	fmt.Printf("PostgreSQL %s, PostGIS %s; %s %s/%s, %d CPUs\n", pgVersion, postgisVersion,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Printf("Go: one goroutine, one AppendLocate loop, median of %d runs.\n", c.goRuns)
	fmt.Printf("PostGIS: one backend (max_parallel_workers_per_gather = 0), count(*) of each query form, best of %d.\n\n", c.pgRuns)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "vertices\tGo build\tGo ns/pt\tPG load+index")
	for _, f := range forms {
		fmt.Fprintf(tw, "\tPG %s ns/pt\t%s/Go", f.name, f.name)
	}
	fmt.Fprint(tw, "\thits\tanswers\t\n")
	for _, r := range results {
		fmt.Fprintf(tw, "%d\t%v\t%.1f\t%v", r.vertices, r.goBuild.Round(time.Millisecond), r.goNs,
			(r.pgLoad + r.pgIndex).Round(time.Millisecond))
		mism, bound := 0, 0
		for _, p := range r.pg {
			fmt.Fprintf(tw, "\t%.0f\t%.1f×", p.ns, p.ns/r.goNs)
			mism += p.mismatches
			bound += p.boundaryDiffs
		}
		answers := "identical"
		switch {
		case mism > 0:
			answers = fmt.Sprintf("%d MISMATCHES", mism)
		case bound > 0:
			answers = fmt.Sprintf("identical but %d within %g of an edge", bound, c.tolerance)
		}
		fmt.Fprintf(tw, "\t%d\t%s\t\n", r.hits, answers)
	}
	tw.Flush()
	fmt.Println()
	for _, r := range results {
		runs := make([]string, len(r.goRunsNs))
		for i, v := range r.goRunsNs {
			runs[i] = fmt.Sprintf("%.1f", v)
		}
		fmt.Printf("%d vertices: Go runs (ns/point): %s\n", r.vertices, strings.Join(runs, " "))
		for i, p := range r.pg {
			fmt.Printf("%d vertices: PostGIS %s: %.0f ns/point with the pairs read by the client; plan: %s\n",
				r.vertices, forms[i].name, p.fetchNs, p.plan)
			if p.parNs > 0 {
				fmt.Printf("%d vertices: PostGIS %s with up to %d parallel workers: %.0f ns/point (%.1f× Go on one core)\n",
					r.vertices, forms[i].name, c.parallel, p.parNs, p.parNs/r.goNs)
			}
		}
	}
	fmt.Printf("points loaded into PostGIS and indexed in %v\n", ptLoad.Round(time.Millisecond))
	if len(results) >= 2 {
		first, last := results[0], results[len(results)-1]
		fmt.Printf("Go slowdown %d/%d vertices: %.2f× (target: at most 2×)\n",
			last.vertices, first.vertices, last.goNs/first.goNs)
	}
	for _, r := range results {
		verdict := "met"
		if r.goNs > 500 {
			verdict = "NOT met"
		}
		fmt.Printf("Go at %d vertices: %.1f ns/point (target: at most 500): %s\n", r.vertices, r.goNs, verdict)
	}
	fmt.Printf("wall time %v\n", time.Since(start).Round(time.Second))
	if failed {
		fmt.Println("FAIL: the answers differ")
		os.Exit(1)
	}
	return nil
}

// compare runs both sides for one vertex count.
func compare(ctx context.Context, conn *pgx.Conn, c config, nv int, pts []geo.Point) (*result, error) {
	r := &result{vertices: nv}
	polys, _ := geo.SyntheticGrid(c.polygons, nv, c.seed)

	// Go.
	logf("%d vertices: building geo.Index", nv)
	items := make([]geo.Item, len(polys))
	for i, mp := range polys {
		items[i] = geo.Item{ID: i, Geom: mp}
	}
	runtime.GC()
	t := time.Now()
	ix := geo.NewIndex(items)
	r.goBuild = time.Since(t)
	dst := make([]geo.Hit, 0, 8)
	for run := range c.goRuns {
		runtime.GC()
		hits := 0
		t := time.Now()
		for _, p := range pts {
			dst = ix.AppendLocate(dst[:0], p)
			hits += len(dst)
		}
		d := time.Since(t)
		r.hits = hits
		ns := float64(d.Nanoseconds()) / float64(len(pts))
		r.goRunsNs = append(r.goRunsNs, ns)
		logf("%d vertices: Go run %d: %v, %.1f ns/point, %d hits", nv, run+1, d.Round(time.Millisecond), ns, hits)
	}
	sorted := slices.Clone(r.goRunsNs)
	slices.Sort(sorted)
	r.goNs = sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		r.goNs = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	var goPairs []pair
	for i, p := range pts[:c.pgPoints] {
		for _, h := range ix.AppendLocate(dst[:0], p) {
			goPairs = append(goPairs, pair{int32(i), int32(h.ID)})
		}
	}
	slices.SortFunc(goPairs, cmpPair)

	// PostGIS.
	logf("%d vertices: loading %d polygons into PostGIS", nv, len(polys))
	var err error
	if r.pgLoad, r.pgIndex, err = loadPolygons(ctx, conn, polys); err != nil {
		return nil, err
	}
	logf("%d vertices: polygons loaded in %v, indexed and analyzed in %v", nv,
		r.pgLoad.Round(time.Millisecond), r.pgIndex.Round(time.Millisecond))
	for i, f := range forms {
		p, err := runForm(ctx, conn, c, nv, f, i == 0, goPairs, pts, polys)
		if err != nil {
			return nil, err
		}
		r.pg = append(r.pg, p)
	}
	return r, nil
}

// runForm times one query form and compares its answers with Go's.
func runForm(ctx context.Context, conn *pgx.Conn, c config, nv int, f form, parallel bool,
	goPairs []pair, pts []geo.Point, polys []geo.MultiPolygon) (pgResult, error) {
	var p pgResult
	var err error
	if p.plan, err = plan(ctx, conn, "SELECT count(*) "+f.from); err != nil {
		return p, err
	}
	logf("%d vertices: PostGIS %s: plan: %s", nv, f.name, p.plan)
	p.ns = math.Inf(1)
	for run := range c.pgRuns {
		var n int64
		t := time.Now()
		if err := conn.QueryRow(ctx, "SELECT count(*) "+f.from).Scan(&n); err != nil {
			return p, fmt.Errorf("%s: count(*): %w", f.name, err)
		}
		d := time.Since(t)
		ns := float64(d.Nanoseconds()) / float64(c.pgPoints)
		p.ns = min(p.ns, ns)
		logf("%d vertices: PostGIS %s run %d: %v, %.0f ns/point, %d hits", nv, f.name, run+1, d.Round(time.Millisecond), ns, n)
	}
	if parallel && c.parallel > 0 {
		// Parallel workers at no planned cost, so that the planner uses
		// them even where it thinks they do not pay.
		for _, q := range []string{
			fmt.Sprintf("SET max_parallel_workers_per_gather = %d", c.parallel),
			"SET parallel_setup_cost = 0",
			"SET parallel_tuple_cost = 0",
			"SET min_parallel_table_scan_size = 0",
		} {
			if _, err := conn.Exec(ctx, q); err != nil {
				return p, fmt.Errorf("%s: %w", q, err)
			}
		}
		pl, err := plan(ctx, conn, "SELECT count(*) "+f.from)
		var n int64
		t := time.Now()
		if err == nil {
			err = conn.QueryRow(ctx, "SELECT count(*) "+f.from).Scan(&n)
		}
		d := time.Since(t)
		for _, q := range []string{
			"SET max_parallel_workers_per_gather = 0",
			"RESET parallel_setup_cost",
			"RESET parallel_tuple_cost",
			"RESET min_parallel_table_scan_size",
		} {
			if _, err2 := conn.Exec(ctx, q); err == nil {
				err = err2
			}
		}
		if err != nil {
			return p, fmt.Errorf("%s: parallel count(*): %w", f.name, err)
		}
		p.parNs = float64(d.Nanoseconds()) / float64(c.pgPoints)
		logf("%d vertices: PostGIS %s with up to %d parallel workers: %v, %.0f ns/point; plan: %s",
			nv, f.name, c.parallel, d.Round(time.Millisecond), p.parNs, pl)
	}

	t := time.Now()
	rows, err := conn.Query(ctx, "SELECT p.id, g.id "+f.from)
	if err != nil {
		return p, fmt.Errorf("%s: pairs: %w", f.name, err)
	}
	var pgPairs []pair
	var pt, poly int32
	_, err = pgx.ForEachRow(rows, []any{&pt, &poly}, func() error {
		pgPairs = append(pgPairs, pair{pt, poly})
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("%s: pairs: %w", f.name, err)
	}
	d := time.Since(t)
	p.fetchNs = float64(d.Nanoseconds()) / float64(c.pgPoints)
	logf("%d vertices: PostGIS %s, pairs read: %v, %.0f ns/point, %d pairs", nv, f.name, d.Round(time.Millisecond), p.fetchNs, len(pgPairs))
	slices.SortFunc(pgPairs, cmpPair)
	p.mismatches, p.boundaryDiffs = diff(fmt.Sprintf("%d vertices: %s", nv, f.name), goPairs, pgPairs, pts, polys, c.tolerance)
	return p, nil
}

// diff compares the answer sets and prints the first mismatches; it returns
// the number of real mismatches and of boundary-tolerance differences
// (counted in pairs).
func diff(label string, goPairs, pgPairs []pair, pts []geo.Point, polys []geo.MultiPolygon, tol float64) (real, boundary int) {
	var only []struct {
		p    pair
		inGo bool
	}
	i, j := 0, 0
	for i < len(goPairs) || j < len(pgPairs) {
		switch {
		case j == len(pgPairs) || i < len(goPairs) && cmpPair(goPairs[i], pgPairs[j]) < 0:
			only = append(only, struct {
				p    pair
				inGo bool
			}{goPairs[i], true})
			i++
		case i == len(goPairs) || cmpPair(goPairs[i], pgPairs[j]) > 0:
			only = append(only, struct {
				p    pair
				inGo bool
			}{pgPairs[j], false})
			j++
		default:
			i++
			j++
		}
	}
	answers := func(ps []pair, pt int32) []int32 {
		k, _ := slices.BinarySearchFunc(ps, pair{pt, math.MinInt32}, cmpPair)
		var out []int32
		for ; k < len(ps) && ps[k].pt == pt; k++ {
			out = append(out, ps[k].poly)
		}
		return out
	}
	shownReal, shownBoundary := 0, 0
	for _, o := range only {
		p := pts[o.p.pt]
		d := boundaryDistance(p, polys[o.p.poly])
		side := "PostGIS"
		if o.inGo {
			side = "Go"
		}
		kind, show := "MISMATCH", false
		if d <= tol {
			boundary++
			kind, show = "boundary-tolerance difference", shownBoundary < 10
			shownBoundary++
		} else {
			real++
			show = shownReal < 10
			shownReal++
		}
		if show {
			fmt.Printf("%s: %s: point %d (%s, %s), polygon %d only in %s; Go %v, PostGIS %v; distance to the boundary %.3g°\n",
				label, kind, o.p.pt, strconv.FormatFloat(p.Lon, 'g', -1, 64), strconv.FormatFloat(p.Lat, 'g', -1, 64),
				o.p.poly, side, answers(goPairs, o.p.pt), answers(pgPairs, o.p.pt), d)
		}
	}
	switch {
	case real > 0:
		logf("%s: %d mismatched pairs, %d boundary-tolerance differences", label, real, boundary)
	case boundary > 0:
		logf("%s: answers identical but for %d boundary-tolerance differences (%d pairs in Go, %d in PostGIS)",
			label, boundary, len(goPairs), len(pgPairs))
	default:
		logf("%s: answers identical: %d pairs on each side", label, len(goPairs))
	}
	return real, boundary
}

// boundaryDistance is the planar distance in degrees from p to the nearest
// edge of mp.
func boundaryDistance(p geo.Point, mp geo.MultiPolygon) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for k := 1; k < len(ring); k++ {
				best = min(best, segDistance(p, ring[k-1], ring[k]))
			}
		}
	}
	return best
}

func segDistance(p, a, b geo.Point) float64 {
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p.Lon-a.Lon)*dx+(p.Lat-a.Lat)*dy)/l))
	}
	return math.Hypot(p.Lon-(a.Lon+t*dx), p.Lat-(a.Lat+t*dy))
}

// loadPoints makes the table pts(id, geom) with a GiST index. The
// coordinates go over binary COPY as float8, so PostGIS gets the exact
// float64 values.
func loadPoints(ctx context.Context, conn *pgx.Conn, pts []geo.Point) error {
	for _, q := range []string{
		"DROP TABLE IF EXISTS pts, pts_in",
		"CREATE UNLOGGED TABLE pts_in (id int, x float8, y float8)",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	_, err := conn.CopyFrom(ctx, pgx.Identifier{"pts_in"}, []string{"id", "x", "y"},
		pgx.CopyFromSlice(len(pts), func(i int) ([]any, error) {
			return []any{int32(i), pts[i].Lon, pts[i].Lat}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy points: %w", err)
	}
	for _, q := range []string{
		"CREATE UNLOGGED TABLE pts AS SELECT id, ST_SetSRID(ST_MakePoint(x, y), 4326)::geometry(Point, 4326) AS geom FROM pts_in ORDER BY id",
		"DROP TABLE pts_in",
		"ALTER TABLE pts ADD PRIMARY KEY (id)",
		"CREATE INDEX pts_geom ON pts USING gist (geom)",
		"VACUUM ANALYZE pts",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	// Check that the coordinates arrived unchanged.
	for _, i := range []int{0, len(pts) / 2, len(pts) - 1} {
		var x, y float64
		if err := conn.QueryRow(ctx, "SELECT ST_X(geom), ST_Y(geom) FROM pts WHERE id = $1", int32(i)).Scan(&x, &y); err != nil {
			return fmt.Errorf("point %d: %w", i, err)
		}
		if x != pts[i].Lon || y != pts[i].Lat {
			return fmt.Errorf("point %d is (%v, %v) in PostGIS, want (%v, %v)", i, x, y, pts[i].Lon, pts[i].Lat)
		}
	}
	return nil
}

// loadPolygons makes the table polys(id, geom) from WKB, with a GiST index,
// and returns the time to load and the time to index and analyze.
func loadPolygons(ctx context.Context, conn *pgx.Conn, polys []geo.MultiPolygon) (load, index time.Duration, err error) {
	t := time.Now()
	for _, q := range []string{
		"DROP TABLE IF EXISTS polys, polys_in",
		"CREATE UNLOGGED TABLE polys_in (id int, wkb bytea)",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", q, err)
		}
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"polys_in"}, []string{"id", "wkb"},
		pgx.CopyFromSlice(len(polys), func(i int) ([]any, error) {
			return []any{int32(i), wkb(polys[i])}, nil
		}))
	if err != nil {
		return 0, 0, fmt.Errorf("copy polygons: %w", err)
	}
	for _, q := range []string{
		"CREATE UNLOGGED TABLE polys (id int PRIMARY KEY, geom geometry(MultiPolygon, 4326))",
		// Out of line and uncompressed: a query reads a polygon without
		// decompressing it (the usual PostGIS advice for large geometries).
		"ALTER TABLE polys ALTER COLUMN geom SET STORAGE EXTERNAL",
		"INSERT INTO polys SELECT id, ST_GeomFromWKB(wkb, 4326) FROM polys_in ORDER BY id",
		"DROP TABLE polys_in",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", q, err)
		}
	}
	load = time.Since(t)
	t = time.Now()
	for _, q := range []string{
		"CREATE INDEX polys_geom ON polys USING gist (geom)",
		"VACUUM ANALYZE polys",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", q, err)
		}
	}
	index = time.Since(t)

	// Check that PostGIS holds the same vertices.
	var n int64
	if err := conn.QueryRow(ctx, "SELECT sum(ST_NPoints(geom)) FROM polys").Scan(&n); err != nil {
		return 0, 0, err
	}
	var want int64
	for _, mp := range polys {
		for _, poly := range mp {
			for _, ring := range poly {
				want += int64(len(ring))
			}
		}
	}
	if n != want {
		return 0, 0, fmt.Errorf("PostGIS holds %d vertices, want %d", n, want)
	}
	return load, index, nil
}

// wkb encodes mp as little-endian WKB.
func wkb(mp geo.MultiPolygon) []byte {
	b := []byte{1}
	b = binary.LittleEndian.AppendUint32(b, 6) // MultiPolygon
	b = binary.LittleEndian.AppendUint32(b, uint32(len(mp)))
	for _, poly := range mp {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint32(b, 3) // Polygon
		b = binary.LittleEndian.AppendUint32(b, uint32(len(poly)))
		for _, ring := range poly {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(ring)))
			for _, p := range ring {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Lon))
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Lat))
			}
		}
	}
	return b
}

// plan returns the plan of q without its costs, on one line.
func plan(ctx context.Context, conn *pgx.Conn, q string) (string, error) {
	rows, err := conn.Query(ctx, "EXPLAIN (COSTS off) "+q)
	if err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	var lines []string
	var line string
	_, err = pgx.ForEachRow(rows, []any{&line}, func() error {
		lines = append(lines, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "->")))
		return nil
	})
	return strings.Join(lines, " / "), err
}
