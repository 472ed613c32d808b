package filters

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU returns the CPU time consumed so far by the calling OS thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD (Linux)
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoGCropCPU is BenchmarkLoGCropOneSigma reporting the CPU time of
// the benchmark thread per operation as well (cpu-ns/op), which other
// processes on a loaded machine disturb far less than the wall time.
func BenchmarkLoGCropCPU(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	im := ctLike()
	if _, err := LoGCrop(im, 3, ctBBox); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	t0 := threadCPU()
	for i := 0; i < b.N; i++ {
		if _, err := LoGCrop(im, 3, ctBBox); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(threadCPU()-t0)/float64(b.N), "cpu-ns/op")
}
