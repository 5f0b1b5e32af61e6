//go:build !race

package rego_test

const raceDetector = false
