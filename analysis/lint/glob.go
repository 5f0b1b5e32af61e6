package lint

// glob matches s against a pattern in which * stands for any run of
// characters (slashes and colons included, as in IAM's own patterns) and ?
// for one character; everything else is literal and case-sensitive. An
// empty s (a finding without a principal, say) matches no pattern.
func glob(pattern, s string) bool {
	if s == "" {
		return false
	}
	p, i := []rune(pattern), []rune(s)
	// Iterative wildcard match with one backtrack point: linear in
	// practice, never exponential.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(i) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == i[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
