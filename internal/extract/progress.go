package extract

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// caseStatus is how a batch case ended.
type caseStatus int

const (
	statusPending  caseStatus = iota // not run (batch interrupted)
	statusComputed                   // extracted now
	statusCached                     // loaded from the cache
	statusFailed                     // error; no features
)

// caseEvent is what a reporter learns when a case ends.
type caseEvent struct {
	index, total int    // 0-based input position, number of cases
	name         string // e.g. "ID=P003"
	status       caseStatus
	err          string
	dur          time.Duration
	warnings     []string
}

// reporter shows batch progress. Calls are serialised by the batch.
type reporter interface {
	caseDone(ev *caseEvent)
	message(line string)
	close()
}

// IsTerminal reports whether f is an interactive terminal (a character
// device other than the null device, with TERM not "dumb"); the batch shows
// a progress bar there and plain log lines otherwise.
func IsTerminal(f *os.File) bool {
	if f == nil || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if nul, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, nul) {
		return false
	}
	return true
}

// logReporter writes one plain line per finished case:
// "case 3/20 ID=P003 done in 0.4s", "... from cache", "... failed: why".
type logReporter struct{ w io.Writer }

func (r *logReporter) caseDone(ev *caseEvent) {
	head := fmt.Sprintf("case %d/%d %s", ev.index+1, ev.total, ev.name)
	for _, w := range ev.warnings {
		fmt.Fprintf(r.w, "%s warning: %s\n", head, w)
	}
	switch ev.status {
	case statusComputed:
		fmt.Fprintf(r.w, "%s done in %.1fs\n", head, ev.dur.Seconds())
	case statusCached:
		fmt.Fprintf(r.w, "%s from cache\n", head)
	case statusFailed:
		fmt.Fprintf(r.w, "%s failed: %s\n", head, ev.err)
	}
}

func (r *logReporter) message(line string) { fmt.Fprintln(r.w, line) }
func (r *logReporter) close()              {}

// barReporter draws an mpb progress bar (cases done / total, elapsed time,
// ETA) and prints failures and warnings above it. The ETA extrapolates the
// wall time per computed case, so cases served from the cache do not make it
// optimistic.
type barReporter struct {
	w   io.Writer
	p   *mpb.Progress
	bar *mpb.Bar

	mu       sync.Mutex
	total    int
	done     int
	computed int
	first    time.Time // start of the computing phase
}

func newBarReporter(w io.Writer, total int) *barReporter {
	r := &barReporter{w: w, total: total, first: time.Now()}
	r.p = mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh(), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
	r.bar = r.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name("cases "),
			decor.CountersNoUnit("%d/%d", decor.WCSyncWidth),
		),
		mpb.AppendDecorators(
			decor.Percentage(decor.WCSyncSpace),
			decor.Name(" elapsed "),
			decor.Elapsed(decor.ET_STYLE_GO),
			decor.Any(r.eta),
		),
	)
	return r
}

func (r *barReporter) eta(decor.Statistics) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.computed == 0 || r.done >= r.total {
		return ""
	}
	per := time.Since(r.first) / time.Duration(r.computed)
	left := per * time.Duration(r.total-r.done)
	return " ETA " + left.Round(time.Second).String()
}

func (r *barReporter) caseDone(ev *caseEvent) {
	r.mu.Lock()
	r.done++
	if ev.status == statusComputed {
		r.computed++
	}
	r.mu.Unlock()
	var b strings.Builder
	head := fmt.Sprintf("case %d/%d %s", ev.index+1, ev.total, ev.name)
	for _, w := range ev.warnings {
		fmt.Fprintf(&b, "%s warning: %s\n", head, w)
	}
	if ev.status == statusFailed {
		fmt.Fprintf(&b, "%s failed: %s\n", head, ev.err)
	}
	if b.Len() > 0 {
		r.write(b.String())
	}
	r.bar.Increment()
}

func (r *barReporter) message(line string) { r.write(line + "\n") }

// write prints text above the bar, or directly if the bar has stopped (mpb
// gives up when it cannot get the terminal size).
func (r *barReporter) write(text string) {
	if _, err := r.p.Write([]byte(text)); err != nil {
		io.WriteString(r.w, text)
	}
}

func (r *barReporter) close() {
	if !r.bar.Completed() {
		r.bar.Abort(false)
	}
	r.p.Wait()
}
