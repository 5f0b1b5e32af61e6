// Package layout is the typed data layout of a bundle: the Go structs of
// data.iam2rego (data.json under "iam2rego"), which `iam2rego build`
// writes (bundles) and the decision library (rego/lib/bundle.rego,
// caller.rego) and the analyses (analysis/) read.
//
// Data decodes a built bundle's data.json and encodes it again without
// loss (layout_test.go checks both on real builds). Readers take a
// bundle's data with FromBundle instead of walking map[string]any.
package layout
