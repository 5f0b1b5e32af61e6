//go:build unix

package schema

import "syscall"

// openNoWait keeps open(2) from waiting for a writer when a path turns
// out to be a named pipe; it changes nothing for a regular file.
const openNoWait = syscall.O_NONBLOCK
