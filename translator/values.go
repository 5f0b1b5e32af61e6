package translator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// valueText turns a JSON condition value (string, json.Number or bool)
// into its text form: `true` ≡ "true", `10` ≡ "10" (§1.5).
func valueText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

var decimal = regexp.MustCompile(`^([+-]?)([0-9]*)(?:\.([0-9]*))?$`)

// parseDecimal accepts the strict decimal numbers of §3.5 and returns them
// as canonical JSON number text, digit for digit (OPA compares decimals
// exactly, so no precision is lost to float64).
func parseDecimal(s string) (json.Number, error) {
	m := decimal.FindStringSubmatch(s)
	if m == nil || m[2]+m[3] == "" {
		return "", fmt.Errorf("%q is not a decimal number", s)
	}
	sign, whole, frac := m[1], strings.TrimLeft(m[2], "0"), strings.TrimRight(m[3], "0")
	if sign == "+" {
		sign = ""
	}
	if whole == "" {
		whole = "0"
	}
	text := whole
	if frac != "" {
		text += "." + frac
	}
	if text == "0" {
		sign = ""
	}
	return json.Number(sign + text), nil
}

var (
	epochSeconds = regexp.MustCompile(`^-?[0-9]+$`)
	year         = regexp.MustCompile(`^[0-9]{4}$`)
)

// dateLayouts are the W3C profile of ISO 8601 (§3.5), most precise first.
// Forms without a time zone designator are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

// Instant is a point in time as [Unix seconds, nanoseconds in 0..1e9):
// arrays compare element by element in Rego, so instants from year 0 to
// 9999 compare exactly, beyond the int64-nanosecond range.
type Instant [2]int64

// parseDate reads an ISO 8601 date or epoch seconds (§3.5), so that both
// kinds compare as instants. Exactly four digits are read as a year, not
// as epoch seconds. rego/lib/dates.rego parses context values the same way.
func parseDate(s string) (Instant, error) {
	if epochSeconds.MatchString(s) && !year.MatchString(s) {
		secs, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Instant{}, fmt.Errorf("epoch value %q is out of range", s)
		}
		return Instant{secs, 0}, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Instant{t.Unix(), int64(t.Nanosecond())}, nil
		}
	}
	return Instant{}, fmt.Errorf("%q is neither an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.s]]TZD) nor epoch seconds", s)
}

// parseCIDR reads an IPv4 or IPv6 block; a bare address is a /32 or /128
// block (§3.5).
func parseCIDR(s string) (string, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Addr().Zone() != "" {
			return "", fmt.Errorf("%q is not an IP address or CIDR block", s)
		}
		return p.String(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return "", fmt.Errorf("%q is not an IP address or CIDR block", s)
	}
	return netip.PrefixFrom(a, a.BitLen()).String(), nil
}

// parseBool reads "true"/"false" in any case (§3.5).
func parseBool(s string) (string, error) {
	switch strings.ToLower(s) {
	case "true":
		return "true", nil
	case "false":
		return "false", nil
	}
	return "", fmt.Errorf("%q is not true or false", s)
}

// parseBinary reads base-64 text and returns its canonical padded form.
func parseBinary(s string) (string, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return base64.StdEncoding.EncodeToString(b), nil
		}
	}
	return "", fmt.Errorf("%q is not base-64 text", s)
}
