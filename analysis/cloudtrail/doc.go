// Package cloudtrail reads AWS CloudTrail logs as they are delivered and
// maps each logged API call to the request iam2rego decides. It is part of
// the analysis stage: replay, unused and generate (package analysis/trail)
// read logs through it.
//
// Reading (reader.go) is streaming and never loads a log whole:
//
//   - log files as CloudTrail delivers them to S3, {"Records": [...]},
//     gzip-compressed or not: the Records array is walked token by token
//     with a json.Decoder, one record in memory at a time;
//   - JSON Lines, one event per line, as CloudTrail Lake and Athena export
//     them (field names in any case; a Lake row's event under "eventData";
//     requestParameters as a JSON string, as Athena's table holds it);
//   - folders of either, walked in lexical order, regular files only: a
//     symbolic link inside a folder is never followed (it is reported).
//
// A record longer than MaxRecordBytes, a line that is not JSON, a file
// that is not a log: each is a counted, located skip (file and JSON
// pointer or line), never a panic and never dropped silently.
//
// Mapping (call.go, identity.go, resource.go, context.go, and the tables of
// mapping.json read by tables.go, each entry with the AWS documentation it
// comes from) turns a record into a Call:
//
//   - eventSource + eventName → the IAM action. Most API names are their
//     action; the exceptions (S3 ListObjects → s3:ListBucket, Bedrock
//     Converse → bedrock:InvokeModel, Lambda's versioned event names...)
//     are data. An action the catalogue does not know is unmapped;
//   - userIdentity → the principal: an IAM user, an assumed-role session
//     (its issuing role kept), the account root, a federated user (with
//     the user who federated), or an AWS service; MFA, token issue time,
//     source identity and web identity provider from the session context;
//   - resources[] and the documented request parameters → the resource
//     ARN and the account that owns it;
//   - sourceIPAddress, awsRegion, userAgent, vpcEndpointId, tlsDetails and
//     eventTime → aws:SourceIp (or aws:VpcSourceIp), aws:RequestedRegion,
//     aws:UserAgent, aws:SourceVpce, aws:SecureTransport, aws:CurrentTime
//     and aws:EpochTime.
//
// What the log does not carry (session tags and session policies,
// resource tags, service-specific condition keys, aws:SourceArn of a
// service's call) is listed on each Call as Missing, so that a
// disagreement with AWS's logged outcome can say what context was absent.
package cloudtrail
