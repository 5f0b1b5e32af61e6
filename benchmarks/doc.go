// Package benchmarks holds the go test -bench suites that guard the hot
// path (README.md beside this file has the figures and how to read them).
// Every figure is a ratio: to the `allow := true` floor measured in the
// same benchmark, to the oracle measured in the same run, or to a budget.
//
//   - BenchmarkDecide, BenchmarkDecideValue: in-process decisions from a
//     bundle for the median and the 99th-percentile principal (by the
//     statements that apply to it) of each account size, the GenAI example
//     (testdata/example) and generated organizations of 100, 1,000 and
//     5,000 principals (gen/accountgen); p50 and p99 of individual calls;
//   - BenchmarkFloor: the floor alone;
//   - BenchmarkBuild: translate, build and activate (read the bundle, then
//     rego.PrepareBundle) every AWS managed policy, and the 5,000-principal
//     organization, with time, CPU time, peak heap and peak RSS;
//   - BenchmarkBatch: `eval --cases` throughput on the oracle's generated
//     cases against the oracle's own throughput, in the same run;
//   - BenchmarkShape: what makes a policy slow, shape by shape.
//
// cmd/report runs them and prints the table (make bench; make bench-check
// is its short run that fails when a figure misses its bar). gen is the
// account generator's command and gen/accountgen its API. The sidecar
// load test (sidecar/) is separate.
package benchmarks
