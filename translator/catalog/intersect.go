package catalog

// Pattern bytes beyond the policy wildcards * and ?. ARN formats use them
// for placeholders whose values never hold "/" (${BucketName}): anyNoSlash
// matches one byte other than '/', starNoSlash any run of such bytes.
const (
	anyNoSlash  = '\x01'
	starNoSlash = '\x02'
)

func isStar(c byte) bool { return c == '*' || c == starNoSlash }

// oneCompatible reports whether two single-byte tokens (a literal, ? or
// anyNoSlash) can be the same byte.
func oneCompatible(x, y byte) bool {
	switch {
	case x == '?' || y == '?':
		return true
	case x == anyNoSlash:
		return y != '/'
	case y == anyNoSlash:
		return x != '/'
	}
	return x == y
}

// starEats reports whether the star token s can match the byte produced by
// the single-byte token x.
func starEats(s, x byte) bool {
	return s == '*' || x != '/'
}

// wildIntersect reports whether some string matches both wildcard patterns
// a and b, where * matches any run of bytes (including none), ? exactly one
// byte, anyNoSlash and starNoSlash the same without '/', and every other
// byte itself. Both must already be lower-cased.
//
// It walks the product of the two patterns: state (i, j) means a[:i] and
// b[:j] can match the same prefix. A star may match nothing (skip it) or
// swallow the next byte the other side produces (a single-byte token it
// accepts); two single-byte tokens advance together when they can be the
// same byte. O(len(a)*len(b)) time.
func wildIntersect(a, b string) bool {
	if a == b || a == "*" || b == "*" {
		return true
	}
	n, m := len(a), len(b)
	w := m + 1
	var stack [1024]bool
	var reach []bool
	if (n+1)*w <= len(stack) {
		reach = stack[:(n+1)*w]
	} else {
		reach = make([]bool, (n+1)*w)
	}
	reach[0] = true
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if !reach[i*w+j] {
				continue
			}
			if i == n && j == m {
				return true
			}
			as := i < n && isStar(a[i])
			bs := j < m && isStar(b[j])
			if as {
				reach[(i+1)*w+j] = true
				if j < m && !bs && starEats(a[i], b[j]) {
					reach[i*w+j+1] = true
				}
			}
			if bs {
				reach[i*w+j+1] = true
				if i < n && !as && starEats(b[j], a[i]) {
					reach[(i+1)*w+j] = true
				}
			}
			if i < n && j < m && !as && !bs && oneCompatible(a[i], b[j]) {
				reach[(i+1)*w+j+1] = true
			}
		}
	}
	return false
}
