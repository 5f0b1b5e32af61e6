package cmd

import (
	"fmt"
	"sort"
	"strings"
)

// problemText lists unreadable-part counts by code, for error messages.
func problemText(counts map[string]int) string {
	if len(counts) == 0 {
		return "no records in them"
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
