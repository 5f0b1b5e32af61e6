//go:build race

package rego_test

// raceDetector: timings mean nothing under the race detector (5-20x
// slower), so time bars are not asserted there.
const raceDetector = true
