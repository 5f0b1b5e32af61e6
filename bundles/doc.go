// Package bundles is the packaging stage: it will write, sign, read and
// verify OPA bundles (.tar.gz with .manifest, data.json and one Rego
// package per policy) with OPA's v1/bundle package. It is built by the
// `iam2rego build` issue; until then it holds no code.
package bundles
