// Package benchmarks holds the go test -bench suites that guard the hot
// path: Decide against an `allow := true` floor measured in the same run,
// swept over account sizes. It is filled by the benchmark issue; the
// decision benchmark of the evaluator lives in rego/engine_bench_test.go
// for now.
package benchmarks
