package sidecar_test

import (
	"context"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/internal/sidecar"
)

// BenchmarkHotReload is TestHotReload's time bar, out of `make test`
// (beside parallel OPA servers and under -race it would measure the
// machine): a stock OPA polling every 1–2 s activates a newly published
// revision within one polling interval plus 3 s for the download and the
// compilation of a small bundle. It reports the seconds to activation.
//
//	go test -run '^$' -bench HotReload -benchtime 3x ./internal/sidecar
func BenchmarkHotReload(b *testing.B) {
	const minDelay, maxDelay = 1, 2
	limit := maxDelay*time.Second + 3*time.Second
	ctx := testContext(b, 2*time.Minute)
	ex := loadExample(b)
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := startSidecar(b, ctx, signedConfig(b, minDelay, maxDelay), ex.rev1.signed)
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		for e.srv.NotModified(ex.rev1.etag) == 0 && wctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		b.StartTimer()
		published := time.Now()
		e.srv.Publish(sidecar.BundlePath, ex.rev2.signed)
		if err := e.opa.WaitRevision(ctx, sidecar.BundleName, ex.rev2.id()); err != nil {
			b.Fatalf("revision 2 never became active: %v", err)
		}
		worst = max(worst, time.Since(published))
	}
	b.ReportMetric(worst.Seconds(), "s-to-activate")
	if worst > limit {
		b.Errorf("revision 2 active %v after publishing; the bar is %v (polling every %d–%d s)", worst, limit, minDelay, maxDelay)
	}
}
