# Date values (§3.5): the W3C profile of ISO 8601 or epoch seconds, as Unix
# nanoseconds. translator/values.go parses policy values the same way.
package iam2rego.lib

date_ns(s) := to_number(s) * 1000000000 if {
	regex.match(`^-?[0-9]+$`, s)
	count(s) != 4
}

date_ns(s) := time.parse_ns("2006", s) if regex.match(`^[0-9]{4}$`, s)

date_ns(s) := time.parse_ns("2006-01", s) if regex.match(`^[0-9]{4}-[0-9]{2}$`, s)

date_ns(s) := time.parse_ns("2006-01-02", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, s)

date_ns(s) := time.parse_ns("2006-01-02T15:04Z07:00", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$`, s)

date_ns(s) := time.parse_ns("2006-01-02T15:04", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`, s)

date_ns(s) := time.parse_rfc3339_ns(s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`, s)

date_ns(s) := time.parse_ns("2006-01-02T15:04:05", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$`, s)
