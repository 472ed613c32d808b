//go:build linux

package hugepages

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// anonHugeKB returns the AnonHugePages total of this process, in kB.
func anonHugeKB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("no smaps_rollup: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "AnonHugePages:" {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no AnonHugePages line")
	return 0
}

func TestReserveGivesHugePages(t *testing.T) {
	// Where the kernel offers transparent huge pages (mode always or
	// madvise), memory allocated after Reserve and touched must be backed
	// partly by huge pages.
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages unavailable (%q, %v)", mode, err)
	}
	if os.Getenv("SPINERAD_NO_HUGEPAGES") == "1" {
		t.Skip("SPINERAD_NO_HUGEPAGES=1: Reserve does nothing")
	}
	if ov, _ := os.ReadFile("/proc/sys/vm/overcommit_memory"); strings.TrimSpace(string(ov)) == "2" {
		t.Skip("strict overcommit: Reserve does nothing")
	}
	before := anonHugeKB(t)
	Reserve(256 << 20)
	x := make([]float64, 8<<20) // 64 MiB
	for i := range x {
		x[i] = float64(i)
	}
	after := anonHugeKB(t)
	if after-before < 2048 {
		t.Errorf("AnonHugePages %d kB -> %d kB after touching 64 MiB", before, after)
	}
	if x[len(x)-1] != float64(len(x)-1) {
		t.Fatal("lost the data")
	}
}
