//go:build linux

package extract

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/spinerad/spinerad/internal/hugepages"
)

var stagesFlag = flag.Bool("stages", false, "print the per-stage CPU time table of the CT1316 extraction (TestCT1316Stages)")

// processCPU returns the CPU time used by the process (all threads).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU returns the CPU time used by the calling OS thread, from
// CLOCK_THREAD_CPUTIME_ID (getrusage's RUSAGE_THREAD advances only at
// scheduler ticks, which reads short stages as 0).
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// TestCT1316Stages prints (with -stages) the CPU time of each stage of the
// ct1316 extraction of the IBSI CT phantom on one thread (GOMAXPROCS=1,
// goroutine locked to its thread), best of -count-like repeats: reading,
// preparation, shape, each filter, and each feature class summed over the
// 14 images; features only, as spinerad extract without --diagnostics.
func TestCT1316Stages(t *testing.T) {
	if !*stagesFlag {
		t.Skip("run with -stages")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := ResolveParams("ct1316")
	if err != nil {
		t.Fatal(err)
	}
	p.NoDiagnostics = true
	hugepages.Reserve(512 << 20) // as spinerad's main does
	const reps = 5
	best := map[string]time.Duration{}
	var mu sync.Mutex
	for r := 0; r < reps; r++ {
		cur := map[string]time.Duration{}
		// Reading decompresses in a second goroutine (on another thread):
		// process CPU time.
		t0 := processCPU()
		img, mask := readCTPhantom(t)
		cur["read (image + mask, gzip NIfTI)"] = processCPU() - t0
		stageHook = func(stage string) func() {
			s := threadCPU()
			return func() {
				d := threadCPU() - s
				key := stage
				if f := strings.Fields(stage); len(f) == 2 && f[0] != "filter" && f[0] != "shape" {
					key = "class " + f[1] + " (14 images)"
				}
				if stage == "filter LoG" {
					key = "filter LoG (5 sigmas, one pass)"
				}
				mu.Lock()
				cur[key] += d
				mu.Unlock()
			}
		}
		runtime.GC()
		t0 = threadCPU()
		w0 := time.Now()
		if _, err := p.Execute(img, mask); err != nil {
			t.Fatal(err)
		}
		cur["total Execute (CPU)"] = threadCPU() - t0
		cur["total Execute (wall)"] = time.Since(w0)
		stageHook = nil
		for k, v := range cur {
			if b, ok := best[k]; !ok || v < b {
				best[k] = v
			}
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return best[keys[i]] > best[keys[j]] })
	fmt.Fprintf(os.Stderr, "CT1316 stages, CPU ms of one thread, best of %d:\n", reps)
	for _, k := range keys {
		fmt.Fprintf(os.Stderr, "  %-38s %8.1f\n", k, float64(best[k])/1e6)
	}
}
