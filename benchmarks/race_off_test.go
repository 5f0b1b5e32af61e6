//go:build !race

package benchmarks_test

// raceEnabled: the race detector is on (it changes allocation counts).
const raceEnabled = false
