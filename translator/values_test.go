package translator

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDecimal(t *testing.T) {
	good := map[string]json.Number{
		"10":                             "10",
		"0":                              "0",
		"-0":                             "0",
		"+1.50":                          "1.5",
		"-3":                             "-3",
		".5":                             "0.5",
		"-.5":                            "-0.5",
		"7.":                             "7",
		"0125":                           "125",
		"10.000":                         "10",
		"123456789012345678901234567890": "123456789012345678901234567890",
	}
	for in, want := range good {
		got, err := parseDecimal(in)
		if err != nil || got != want {
			t.Errorf("parseDecimal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "10abc", "1e3", "0x10", " 1", "1 ", "+-1", "NaN", "Infinity", ".", "-", "1,5", "١٢"} {
		if got, err := parseDecimal(in); err == nil {
			t.Errorf("parseDecimal(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	ns := func(s string) Instant {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return Instant{tm.Unix(), int64(tm.Nanosecond())}
	}
	good := map[string]Instant{
		"2020":                           ns("2020-01-01T00:00:00Z"), // four digits are a year, not epoch seconds
		"1735689600":                     {1735689600, 0},
		"0":                              {0, 0},
		"-1":                             {-1, 0},
		"12345":                          {12345, 0},
		"99999999999":                    {99999999999, 0},
		"1677":                           ns("1677-01-01T00:00:00Z"), // instants, not int64 nanoseconds:
		"2262-01-01":                     ns("2262-01-01T00:00:00Z"), // any year 0000–9999
		"1600-01-01T00:00:00.5-01:00":    ns("1600-01-01T01:00:00.5Z"),
		"2020-02":                        ns("2020-02-01T00:00:00Z"),
		"2020-02-03":                     ns("2020-02-03T00:00:00Z"),
		"2020-02-03T04:05Z":              ns("2020-02-03T04:05:00Z"),
		"2020-02-03T04:05+02:00":         ns("2020-02-03T02:05:00Z"),
		"2020-02-03T04:05:06Z":           ns("2020-02-03T04:05:06Z"),
		"2020-02-03T04:05:06-05:30":      ns("2020-02-03T09:35:06Z"),
		"2020-02-03T04:05:06.5Z":         ns("2020-02-03T04:05:06.5Z"),
		"2020-02-03T04:05:06.123456789Z": ns("2020-02-03T04:05:06.123456789Z"),
	}
	for in, want := range good {
		got, err := parseDate(in)
		if err != nil || got != want {
			t.Errorf("parseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "yesterday", "2020-13", "2020-02-30", "20-02-03", "2020/02/03",
		"2020-02-03T04", "2020-02-03 04:05:06Z", "1.5",
		"99999999999999999999", // beyond int64 seconds
	} {
		if got, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseCIDR(t *testing.T) {
	good := map[string]string{
		"203.0.113.7":             "203.0.113.7/32",
		"203.0.113.0/24":          "203.0.113.0/24",
		"0.0.0.0/0":               "0.0.0.0/0",
		"2001:DB8::1":             "2001:db8::1/128",
		"::1":                     "::1/128",
		"2001:DB8:1234:5678::/64": "2001:db8:1234:5678::/64",
		"::/0":                    "::/0",
	}
	for in, want := range good {
		got, err := parseCIDR(in)
		if err != nil || got != want {
			t.Errorf("parseCIDR(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "10.0.0.256", "10.0.0.0/33", "2001:db8::/129", "fe80::1%eth0", "fe80::1%eth0/64", "10.0.0.0/", "/8", "10.0.0.0/8/8"} {
		if got, err := parseCIDR(in); err == nil {
			t.Errorf("parseCIDR(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseBinary(t *testing.T) {
	good := map[string]string{
		"QmluYXJ5VmFsdWVJbkJhc2U2NA==": "QmluYXJ5VmFsdWVJbkJhc2U2NA==",
		"YWJj":                         "YWJj",
		"YQ==":                         "YQ==",
		"YQ":                           "YQ==", // unpadded
		"_-8":                          "/+8=", // URL alphabet
		"/+8=":                         "/+8=",
		"YWJj\n":                       "YWJj", // Go's decoder skips CR and LF
	}
	for in, want := range good {
		got, err := parseBinary(in)
		if err != nil || got != want {
			t.Errorf("parseBinary(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"!!!", "Y", "YQ=", "a b"} {
		if got, err := parseBinary(in); err == nil {
			t.Errorf("parseBinary(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]string{"true": "true", "TRUE": "true", "False": "false"} {
		if got, err := parseBool(in); err != nil || got != want {
			t.Errorf("parseBool(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "1", "yes", " true"} {
		if _, err := parseBool(in); err == nil {
			t.Errorf("parseBool(%q): want an error", in)
		}
	}
}

func TestValueText(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want string
		ok   bool
	}{
		{"x", "x", true},
		{json.Number("10"), "10", true},
		{json.Number("1.50"), "1.50", true},
		{true, "true", true},
		{false, "false", true},
		{nil, "", false},
		{map[string]any{}, "", false},
	} {
		got, ok := valueText(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("valueText(%#v) = %q, %v", tt.in, got, ok)
		}
	}
}
