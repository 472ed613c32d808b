//go:build !linux

package hugepages

// Reserve does nothing on this system.
func Reserve(n int) {}
