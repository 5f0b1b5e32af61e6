// Package oracle runs iam2rego's independent check: the differential-testing
// oracle in ../shared/oracle (@cloud-copilot/iam-simulate, a separate IAM
// simulator in node) decides the same cases as iam2rego, and every case on
// which the two differ must be listed, with its reason, in testdata/oracle.
//
// The oracle is AGPL-licensed: it runs only as a separate node process at
// test time, installed by `make oracle-install` into a cache folder; nothing
// of it is linked or shipped. This package is test harness code, imported
// only by its own tests (the entry points of `make oracle`).
package oracle
