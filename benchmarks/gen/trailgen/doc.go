// Package trailgen writes realistic CloudTrail streams for an account
// export (the benchmark accounts of package accountgen, or any export
// account.Load reads): calls of every user (access keys) and role (as
// assumed-role sessions with their issuer) on the actions and resources
// their Allow statements name, from a pool of source addresses and user
// agents, over TLS, mostly in us-east-1, with a share of calls that AWS
// denied (AccessDenied on actions no statement of the caller names) and
// of records no decision covers (console sign-ins, service events).
//
// The same Config and export always give the same bytes. The stream is
// written as it is generated, so any size can be written in constant
// memory: the replay benchmark and the memory bar read what it writes.
package trailgen
