//go:build linux

package hugepages

import (
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// Reserve grows the Go heap by n bytes of address space without touching
// it, asks the kernel to back that range with transparent huge pages
// (madvise MADV_HUGEPAGE) and drops it: later allocations reuse the range,
// and their first-touch faults map 2 MiB pages instead of 4 KiB ones. The
// memory is only mapped, not resident, until used. It matters where the
// system's THP mode is "madvise" (Debian's default): the Go runtime does not
// ask for huge pages itself, and on virtual machines the 4 KiB faults of a
// fresh process cost more than the arithmetic on a CT. It is a hint: errors
// are ignored, SPINERAD_NO_HUGEPAGES=1 turns it off, and it does nothing
// under strict overcommit accounting (vm.overcommit_memory = 2), where
// mapped address space counts against the commit limit, or when an
// address-space limit (ulimit -v) is below 8n.
func Reserve(n int) {
	if n <= 0 || os.Getenv("SPINERAD_NO_HUGEPAGES") == "1" {
		return
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil && strings.TrimSpace(string(b)) == "2" {
		return
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &lim); err != nil || (lim.Cur != unix.RLIM_INFINITY && lim.Cur < 8*uint64(n)) {
		return
	}
	b := make([]byte, n)
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE)
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
}
