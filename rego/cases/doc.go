// Package cases reads neutral-format authorization cases (one JSON object
// per line, inline policies; the format of the differential-testing oracle
// plus iam2rego's extensions such as "expect") and decides them in a
// batch: every distinct policy is compiled once and all cases share one
// prepared query. It backs `iam2rego eval --cases` and `iam2rego test`.
package cases
