package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// The project's target for durable submissions.
const (
	targetRate = 2000                  // 201s per second, at least
	targetP99  = 50 * time.Millisecond // p99 latency, below
)

// percentile returns the p-th percentile (0 ≤ p ≤ 100) of sorted by the
// nearest-rank method: the smallest sample that at least p per cent of
// the samples do not exceed. It is exact, one of the samples, never an
// interpolation. It returns 0 for no samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// The small subtraction keeps a rank that is whole in decimal whole
	// in binary too: 99.9% of 1000 is 999, not 999.0000000000001.
	rank := int(math.Ceil(p*float64(len(sorted))/100 - 1e-9))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// result is what a run measured. Durations are in the JSON as
// milliseconds.
type result struct {
	Clients  int     `json:"clients"`
	Window   float64 `json:"window_s"` // the measured window, after warm-up
	Warmup   float64 `json:"warmup_s"`
	Capped   bool    `json:"capped"` // -max ended the run before -duration
	Measured int64   `json:"submissions"`
	Rate     float64 `json:"per_second"`

	P50, P90, P99, P999, Max ms            `json:"-"`
	Latency                  map[string]ms `json:"latency_ms"`

	// Over the whole run, warm-up and the requests in flight at the end
	// included: what the log must have grown by, and the error rate.
	Created   int64    `json:"created_total"`
	Requests  int64    `json:"requests_total"`
	Non201    int64    `json:"non_201"`
	Transport int64    `json:"transport_errors"`
	FirstErrs []string `json:"first_errors,omitempty"`

	LogBefore int64 `json:"log_size_before"`
	LogAfter  int64 `json:"log_size_after"` // -1 when /healthz did not answer after the run

	// CPU time (user+sys) over the measured window, in seconds: the
	// server's, unknown (-1) when it was not started here; the
	// generator's; and the whole machine's, every process's (-1 when
	// /proc/stat cannot be read), which on a shared machine shows what
	// else ran.
	ServerCPU    float64 `json:"server_cpu_s"`
	GeneratorCPU float64 `json:"generator_cpu_s"`
	MachineCPU   float64 `json:"machine_cpu_s"`
	Cores        int     `json:"cores"`

	Met bool `json:"target_met"`
}

// ms is a duration that marshals as fractional milliseconds.
type ms time.Duration

func (d ms) MarshalJSON() ([]byte, error) {
	return json.Marshal(math.Round(float64(d)/1e3) / 1e3)
}

func (d ms) String() string { return fmtDur(time.Duration(d)) }

// summarise sorts the latency samples of all clients and fills in the
// percentiles and the verdict.
func (r *result) summarise(samples [][]time.Duration) {
	var all []time.Duration
	for _, s := range samples {
		all = append(all, s...)
	}
	slices.Sort(all)
	r.P50, r.P90, r.P99, r.P999 = ms(percentile(all, 50)), ms(percentile(all, 90)), ms(percentile(all, 99)), ms(percentile(all, 99.9))
	if len(all) > 0 {
		r.Max = ms(all[len(all)-1])
	}
	r.Latency = map[string]ms{"p50": r.P50, "p90": r.P90, "p99": r.P99, "p99.9": r.P999, "max": r.Max}
	if r.Window > 0 {
		r.Rate = round(float64(r.Measured)/r.Window, 1)
	}
	r.Met = r.Measured > 0 && r.Rate >= targetRate && time.Duration(r.P99) < targetP99
}

// errorRate is the share of requests that did not answer 201.
func (r *result) errorRate() float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.Non201+r.Transport) / float64(r.Requests)
}

// print writes the result for people.
func (r *result) print(w io.Writer) {
	capped := ""
	if r.Capped {
		capped = " (ended early: -max reached)"
	}
	fmt.Fprintf(w, "clients      %d\n", r.Clients)
	fmt.Fprintf(w, "window       %.2fs measured, after %.2fs of warm-up%s\n", r.Window, r.Warmup, capped)
	fmt.Fprintf(w, "submissions  %d durable (201) in the window; %d in the whole run\n", r.Measured, r.Created)
	fmt.Fprintf(w, "errors       %d (%d non-201, %d transport) of %d requests in the whole run, %.2f%%\n",
		r.Non201+r.Transport, r.Non201, r.Transport, r.Requests, 100*r.errorRate())
	fmt.Fprintf(w, "throughput   %.1f durable submissions/s\n", r.Rate)
	fmt.Fprintf(w, "latency      p50 %v  p90 %v  p99 %v  p99.9 %v  max %v\n", r.P50, r.P90, r.P99, r.P999, r.Max)
	if r.LogAfter >= 0 {
		fmt.Fprintf(w, "log size     %d -> %d (+%d for %d 201s)\n", r.LogBefore, r.LogAfter, r.LogAfter-r.LogBefore, r.Created)
	} else {
		fmt.Fprintf(w, "log size     %d -> unknown: /healthz did not answer after the run\n", r.LogBefore)
	}
	if r.Window > 0 {
		server := "not measured"
		if r.ServerCPU >= 0 {
			server = fmt.Sprintf("%.2fs (%.2f cores)", r.ServerCPU, r.ServerCPU/r.Window)
		}
		others := ""
		if r.MachineCPU >= 0 && r.ServerCPU >= 0 {
			o := max(0, r.MachineCPU-r.ServerCPU-r.GeneratorCPU)
			others = fmt.Sprintf(", everything else %.2fs (%.2f cores)", o, o/r.Window)
		}
		fmt.Fprintf(w, "cpu          server %s, generator %.2fs (%.2f cores)%s, of %d cores over the window\n",
			server, r.GeneratorCPU, r.GeneratorCPU/r.Window, others, r.Cores)
	}
	for _, e := range r.FirstErrs {
		fmt.Fprintf(w, "error        %s\n", e)
	}
	verdict := "NOT MET"
	if r.Met {
		verdict = "MET"
	}
	fmt.Fprintf(w, "target: >= %d/s at p99 < %v: %s\n", targetRate, targetP99, verdict)
}

// fmtDur writes d in milliseconds with three significant digits or so.
func fmtDur(d time.Duration) string {
	m := float64(d) / 1e6
	switch {
	case m >= 100:
		return fmt.Sprintf("%.0fms", m)
	case m >= 10:
		return fmt.Sprintf("%.1fms", m)
	default:
		return fmt.Sprintf("%.2fms", m)
	}
}
