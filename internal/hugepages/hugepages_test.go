//go:build linux

package hugepages

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// vmaAnonHugeKB returns the AnonHugePages (kB) of the mapping of this
// process that contains addr, from /proc/self/smaps.
func vmaAnonHugeKB(t *testing.T, addr uintptr) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(f[0], "-"); ok && !strings.HasSuffix(f[0], ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			z, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(addr) >= a && uint64(addr) < z
				continue
			}
		}
		if in && f[0] == "AnonHugePages:" && len(f) >= 2 {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return 0
}

func TestReserveGivesHugePages(t *testing.T) {
	// Where the kernel offers transparent huge pages (mode always or
	// madvise), a large allocation made after Reserve and touched must lie
	// in a mapping backed partly by huge pages.
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
	Reserve(256 << 20)
	x := make([]float64, 8<<20) // 64 MiB
	for i := range x {
		x[i] = float64(i)
	}
	if kb := vmaAnonHugeKB(t, uintptr(unsafe.Pointer(&x[len(x)/2]))); kb < 2048 {
		t.Errorf("the mapping of a 64 MiB slice touched after Reserve has %d kB of huge pages", kb)
	}
	if x[len(x)-1] != float64(len(x)-1) {
		t.Fatal("lost the data")
	}
}

func TestReserveUnderAddressSpaceLimit(t *testing.T) {
	// Under ulimit -v smaller than the reservation allows, Reserve must do
	// nothing instead of exhausting the address space (the runtime's "out
	// of memory" is fatal). Run in a child process with a 1.5 GB limit.
	if os.Getenv("SPINERAD_HUGEPAGES_CHILD") == "1" {
		lim := unix.Rlimit{Cur: 1500 << 20, Max: 1500 << 20}
		if err := unix.Setrlimit(unix.RLIMIT_AS, &lim); err != nil {
			t.Skipf("setrlimit: %v", err)
		}
		Reserve(512 << 20)
		x := make([]byte, 64<<20)
		x[len(x)-1] = 1
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestReserveUnderAddressSpaceLimit$", "-test.count", "1")
	cmd.Env = append(os.Environ(), "SPINERAD_HUGEPAGES_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child under a 1.5 GB address-space limit: %v\n%s", err, out)
	}
}
