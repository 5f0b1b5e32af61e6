package translator

import (
	"reflect"
	"testing"
)

// TestContextChecks pins which keys each policy checks, by kind: the
// global keys are left to the library, typed operators check parsing,
// plain operators on single-valued or unknown keys check for lists, and
// plain operators on multivalued keys check for text.
func TestContextChecks(t *testing.T) {
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Deny", "Action": "*", "Resource": "*",
		"Condition": map[string]any{
			"StringNotEquals":                        map[string]any{"aws:RequestedRegion": "us-east-1", "custom:Stage": "prod"},
			"NotIpAddress":                           map[string]any{"aws:SourceIp": "10.0.0.0/8", "custom:ip": "10.0.0.0/8"},
			"NumericGreaterThan":                     map[string]any{"s3:max-keys": "10", "aws:EpochTime": "1"},
			"StringEquals":                           map[string]any{"dynamodb:Attributes": "a"},
			"ForAnyValue:StringEquals":               map[string]any{"custom:list": "a", "s3:prefix": "a"},
			"Null":                                   map[string]any{"custom:null": "true"},
			"DateGreaterThanIfExists":                map[string]any{"custom:when": "2020"},
			"ForAllValues:StringNotEqualsIgnoreCase": map[string]any{"aws:TagKeys": "a"},
		},
	}}}
	c, err := CompileDocument("p.json", Identity, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"list":   {"custom:ip", "custom:stage", "custom:when", "s3:max-keys", "s3:prefix"},
		"scalar": {"dynamodb:attributes"},
		"number": {"aws:epochtime", "s3:max-keys"},
		"date":   {"custom:when"},
		"ip":     {"custom:ip"},
	}
	if got := contextChecks(c.Policy); !reflect.DeepEqual(got, want) {
		t.Errorf("checks:\n got %v\nwant %v", got, want)
	}
}
