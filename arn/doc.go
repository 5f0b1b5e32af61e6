// Package arn parses and formats Amazon Resource Names,
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, in every AWS partition
// (aws, aws-cn, aws-us-gov, the ISO partitions, aws-eusc). It is the one
// place iam2rego splits or builds an ARN (the decision library's Go twin
// in rego/ aside): analyses, the account readers and the lint rules use
// it instead of splitting on ":" themselves.
//
// Parse splits patterns too (arn:aws:s3:::bucket/*): it checks the shape,
// six parts with "arn" first, not that each part is a valid value.
package arn
