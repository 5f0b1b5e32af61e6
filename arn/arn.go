package arn

import (
	"slices"
	"strings"
)

// ARN is a parsed ARN; Resource keeps its own colons and slashes.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// Partitions are the AWS partitions, the default first.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// DefaultPartition is the commercial partition.
const DefaultPartition = "aws"

// KnownPartition reports whether p is an AWS partition.
func KnownPartition(p string) bool { return slices.Contains(Partitions, p) }

// Parse splits s into its six parts; ok is false when s does not start
// with "arn:" or has fewer than six parts.
func Parse(s string) (a ARN, ok bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	p := strings.SplitN(rest, ":", 5)
	if len(p) != 5 {
		return ARN{}, false
	}
	return ARN{Partition: p[0], Service: p[1], Region: p[2], Account: p[3], Resource: p[4]}, true
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// IAM is the ARN of an IAM entity of an account in a partition
// (resource "role/path/name", "user/name", "policy/name", "root").
func IAM(partition, account, resource string) ARN {
	return ARN{Partition: partition, Service: "iam", Account: account, Resource: resource}
}

// Root is the ARN of an account's root user.
func Root(partition, account string) ARN { return IAM(partition, account, "root") }

// Account is the account part of s ("" when s is not an ARN or names
// none, as S3 ARNs do).
func Account(s string) string {
	a, _ := Parse(s)
	return a.Account
}

// Service is the service part of s ("" when s is not an ARN).
func Service(s string) string {
	a, _ := Parse(s)
	return a.Service
}

// IsRole reports whether s is the ARN of an IAM role.
func IsRole(s string) bool {
	a, ok := Parse(s)
	return ok && a.Service == "iam" && strings.HasPrefix(a.Resource, "role/")
}

// Bucket is the ARN of the S3 bucket of an object ARN
// (arn:aws:s3:::b/key → arn:aws:s3:::b, ok): a bucket policy applies to
// its objects. ok is false for anything else, a bucket ARN included.
func Bucket(s string) (bucket string, ok bool) {
	a, isARN := Parse(s)
	if !isARN || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return "", false
	}
	name, _, hasKey := strings.Cut(a.Resource, "/")
	if !hasKey {
		return "", false
	}
	a.Resource = name
	return a.String(), true
}
