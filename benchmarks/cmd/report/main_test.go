package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	name, m, ok := parseLine("BenchmarkDecide/account=5000/principal=median-2   \t    2000\t   1141804 ns/op\t         0.1250 allow-share\t       237.1 p50/floor\t  181024 B/op\t    4097 allocs/op")
	if !ok || name != "BenchmarkDecide/account=5000/principal=median" {
		t.Fatalf("got %q %v", name, ok)
	}
	for unit, want := range map[string]float64{"ns/op": 1141804, "allow-share": 0.125, "p50/floor": 237.1, "allocs/op": 4097} {
		if m[unit] != want {
			t.Errorf("%s = %v, want %v", unit, m[unit], want)
		}
	}
	if _, _, ok := parseLine("--- BENCH: BenchmarkDecide/account=5000"); ok {
		t.Error("a log line parsed as a result")
	}
}

func TestBars(t *testing.T) {
	tb := &table{}
	limits := map[string]float64{"p50": 4, "oracle": 100}
	tb.bar("under", 3.9, limits, "p50", 1, "B")
	tb.bar("over", 4.1, limits, "p50", 1, "B")
	tb.bar("throughput", 99, limits, "oracle", 1, "B")
	if tb.missed != 2 {
		t.Errorf("missed %d, want 2 (4.1 > 4 and 99 < 100)", tb.missed)
	}
	var out bytes.Buffer
	tb.print(&out)
	if !strings.Contains(out.String(), "MISSED") || !strings.Contains(out.String(), "BENCH_MAX_P50_FLOOR") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestBadBarEnvironment(t *testing.T) {
	t.Setenv("BENCH_MAX_GROWTH", "fast")
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "BENCH_MAX_GROWTH") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

func TestMedianOverRuns(t *testing.T) {
	r := &result{metrics: map[string]float64{}, runs: map[string][]float64{}}
	for _, v := range []float64{5, 1, 3} {
		r.add(map[string]float64{"p50/floor": v})
	}
	if r.metrics["p50/floor"] != 3 {
		t.Errorf("median of 5, 1, 3 = %v", r.metrics["p50/floor"])
	}
	r.add(map[string]float64{"p50/floor": 4})
	if r.metrics["p50/floor"] != 3.5 {
		t.Errorf("median of 1, 3, 4, 5 = %v", r.metrics["p50/floor"])
	}
}
