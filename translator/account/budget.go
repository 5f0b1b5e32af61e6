package account

import "github.com/iam2rego/iam2rego/schema"

// DefaultMaxInputBytes bounds the bytes one build reads over all its
// inputs (account exports, organization, resource policies, policy
// folders): four inputs of the 64 MiB a file may have. The build's memory
// grows with what it reads (README, "Limits"), so a build is bounded as a
// whole, not only file by file. iam2rego build --max-input-bytes changes
// it.
const DefaultMaxInputBytes = 256 << 20

// budget counts the bytes a build has read against its bound.
type budget struct {
	max, used int64
}

func newBudget(max int64) *budget {
	if max <= 0 {
		max = DefaultMaxInputBytes
	}
	return &budget{max: max}
}

// take counts n more bytes read from file, and fails with input_too_large
// once the inputs together pass the bound. Each file is bounded by
// schema.MaxInputBytes, so the bound is passed by less than that.
func (b *budget) take(file string, n int) error {
	b.used += int64(n)
	if b.used > b.max {
		return schema.Errorf(schema.CodeInputTooLarge, file, "", "with this file the build's inputs have %d bytes, more than the %d in all a build reads (iam2rego build --max-input-bytes)", b.used, b.max)
	}
	return nil
}
