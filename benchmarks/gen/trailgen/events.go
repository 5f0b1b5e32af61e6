package trailgen

import (
	"math/rand/v2"
	"strings"
	"time"
)

var (
	sourceIPs  = []string{"203.0.113.10", "203.0.113.11", "198.51.100.7", "198.51.100.23", "192.0.2.44", "10.0.12.7"}
	userAgents = []string{"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22", "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux", "aws-cli/2.15.30 Python/3.11.8 Linux/6.1", "console.amazonaws.com", "aws-sdk-java/2.25.11 Linux/5.10 OpenJDK_64-Bit_Server_VM/17"}
)

// eventSource is the CloudTrail source of a service prefix.
func eventSource(svc string) string {
	switch svc {
	case "cloudwatch":
		return "monitoring.amazonaws.com"
	case "ses":
		return "email.amazonaws.com"
	}
	return svc + ".amazonaws.com"
}

// eventName is the API name of an action: mostly the action's own, and
// the documented exceptions analysis/cloudtrail maps back.
func eventName(action string) string {
	_, name, _ := strings.Cut(action, ":")
	switch strings.ToLower(action) {
	case "s3:listbucket":
		return "ListObjects"
	case "lambda:invokefunction":
		return "Invoke"
	case "s3:listallmybuckets":
		return "ListBuckets"
	}
	return name // catalogue names are lower-case; the mapping matches any case
}

func identity(rng *rand.Rand, c *caller, now time.Time) map[string]any {
	if c.kind == "user" {
		return map[string]any{"type": "IAMUser", "principalId": "AIDA" + c.account, "arn": c.arn, "accountId": c.account, "accessKeyId": "AKIA" + c.account, "userName": c.name}
	}
	session := "session-" + string(rune('a'+rng.IntN(26)))
	mfa := "false"
	if rng.IntN(10) == 0 {
		mfa = "true"
	}
	return map[string]any{
		"type": "AssumedRole", "principalId": "AROA" + c.account + ":" + session, "accountId": c.account, "accessKeyId": "ASIA" + c.account,
		"arn": "arn:aws:sts::" + c.account + ":assumed-role/" + c.name + "/" + session,
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": "AROA" + c.account, "arn": c.arn, "accountId": c.account, "userName": c.name},
			"attributes":    map[string]any{"creationDate": now.Add(-time.Duration(rng.IntN(3600)) * time.Second).Format(time.RFC3339), "mfaAuthenticated": mfa},
		},
	}
}

func apiEvent(rng *rand.Rand, c *caller, k call, now time.Time) map[string]any {
	svc, _, _ := strings.Cut(strings.ToLower(k.action), ":")
	rec := map[string]any{
		"eventVersion": "1.09", "userIdentity": identity(rng, c, now), "eventTime": now.Format(time.RFC3339),
		"eventSource": eventSource(svc), "eventName": eventName(k.action), "awsRegion": "us-east-1",
		"sourceIPAddress": sourceIPs[rng.IntN(len(sourceIPs))], "userAgent": userAgents[rng.IntN(len(userAgents))],
		"requestParameters": map[string]any{}, "responseElements": nil,
		"requestID": randomID(rng), "eventID": randomID(rng), "readOnly": strings.HasPrefix(eventName(k.action), "Get") || strings.HasPrefix(eventName(k.action), "List"),
		"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": c.account, "eventCategory": "Management",
		"tlsDetails": map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": svc + ".us-east-1.amazonaws.com"},
	}
	if k.resource != "*" {
		res := []any{map[string]any{"ARN": k.resource, "accountId": c.account, "type": "AWS::" + strings.ToUpper(svc[:1]) + svc[1:] + "::Resource"}}
		if svc == "s3" {
			if i := strings.IndexByte(k.resource[len("arn:aws:s3:::"):], '/'); i >= 0 && strings.HasPrefix(k.resource, "arn:aws:s3:::") {
				bucket := k.resource[:len("arn:aws:s3:::")+i]
				res = append(res, map[string]any{"ARN": bucket, "accountId": c.account, "type": "AWS::S3::Bucket"})
				rec["requestParameters"] = map[string]any{"bucketName": bucket[len("arn:aws:s3:::"):], "key": k.resource[len(bucket)+1:]}
			}
		}
		rec["resources"] = res
	}
	return rec
}

// otherEvent is a record no decision covers: a console sign-in or a
// service event.
func otherEvent(rng *rand.Rand, c *caller, now time.Time) map[string]any {
	if rng.IntN(2) == 0 {
		return map[string]any{"eventVersion": "1.09", "userIdentity": identity(rng, c, now), "eventTime": now.Format(time.RFC3339), "eventSource": "signin.amazonaws.com",
			"eventName": "ConsoleLogin", "awsRegion": "us-east-1", "sourceIPAddress": sourceIPs[rng.IntN(len(sourceIPs))], "eventType": "AwsConsoleSignIn", "eventID": randomID(rng)}
	}
	return map[string]any{"eventVersion": "1.09", "userIdentity": map[string]any{"accountId": c.account, "invokedBy": "kms.amazonaws.com"}, "eventTime": now.Format(time.RFC3339),
		"eventSource": "kms.amazonaws.com", "eventName": "RotateKey", "awsRegion": "us-east-1", "sourceIPAddress": "kms.amazonaws.com", "eventType": "AwsServiceEvent", "eventID": randomID(rng)}
}

const hexDigits = "0123456789abcdef"

func randomID(rng *rand.Rand) string {
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hexDigits[rng.IntN(16)]
		}
	}
	return string(b)
}

// responseItems is a responseElements of about n bytes: a list of items
// as a Describe or List call logs them.
func responseItems(rng *rand.Rand, n int) map[string]any {
	var items []any
	for size := 0; size < n; size += 160 {
		items = append(items, map[string]any{"id": randomID(rng), "state": "available", "createdAt": "2024-05-06T07:08:09Z", "tags": []any{map[string]any{"key": "team", "value": "ml"}}})
	}
	return map[string]any{"items": items, "nextToken": randomID(rng)}
}
