# Date values (§3.5): the W3C profile of ISO 8601 or epoch seconds, as
# instants [Unix seconds, nanoseconds] that compare element by element.
# translator/values.go parses policy values the same way.
#
# time.parse_ns only covers years 1678–2261 (int64 nanoseconds), so the
# year is first moved into 1800–2199 by whole 400-year Gregorian cycles
# (each exactly 12622780800 seconds long) and the cycles are added back.
package iam2rego.lib

date_ns(s) := [to_number(s), 0] if {
	regex.match(`^-?[0-9]+$`, s)
	not regex.match(`^[0-9]{4}$`, s)
}

date_ns(s) := shifted_parse("2006", s) if regex.match(`^[0-9]{4}$`, s)

date_ns(s) := shifted_parse("2006-01", s) if regex.match(`^[0-9]{4}-[0-9]{2}$`, s)

date_ns(s) := shifted_parse("2006-01-02", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, s)

date_ns(s) := shifted_parse("2006-01-02T15:04Z07:00", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$`, s)

date_ns(s) := shifted_parse("2006-01-02T15:04", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`, s)

date_ns(s) := shifted_parse("2006-01-02T15:04:05Z07:00", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`, s)

date_ns(s) := shifted_parse("2006-01-02T15:04:05", s) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$`, s)

shifted_parse(layout, s) := [secs, nanos] if {
	y := to_number(substring(s, 0, 4))
	offset := (((y - 1800) % 400) + 400) % 400 # floor() rounds -0.5 up to 0: stay in integers
	cycles := ((y - 1800) - offset) / 400
	shifted := concat("", [format_int(y - (400 * cycles), 10), substring(s, 4, -1)])
	ns := time.parse_ns(layout, shifted)
	nanos := ((ns % 1000000000) + 1000000000) % 1000000000
	secs := ((ns - nanos) / 1000000000) + (cycles * 12622780800)
}
