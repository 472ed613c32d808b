// Package hugepages asks the operating system for transparent huge pages
// for the Go heap, where it can (Linux); elsewhere it does nothing.
package hugepages
