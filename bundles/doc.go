// Package bundles is the packaging stage: it writes, signs, reads and
// verifies OPA bundles (.tar.gz with .manifest, data.json, the decision
// library and one Rego module with the rules of every policy document)
// with OPA's v1/bundle package.
package bundles
