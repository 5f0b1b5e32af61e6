//go:build !unix

package schema

// openNoWait: only Unix open(2) waits on a named pipe.
const openNoWait = 0
