// Package progress draws the progress of a long command (build, eval,
// inspect) on a terminal: a bar with a count when the total is known, a
// spinner with the elapsed time when it is not.
//
// A bar appears only after a second (short runs print nothing), redraws
// at most five times a second, never counts past its total, and ends
// with a newline. Without a terminal (Terminal returns nil) it is silent.
// The drawing is github.com/schollz/progressbar/v3's.
package progress
