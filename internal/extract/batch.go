package extract

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/safefile"
	"github.com/spinerad/spinerad/internal/volume"
)

// Case is one row of a batch case list (PyRadiomics' batch CSV layout).
type Case struct {
	// Row is the 1-based data row number (the header is row 0).
	Row int
	// Fields are the row's cells in column order, written back unchanged.
	Fields []string
	// Image and Mask are the resolved paths (see ResolveCasePath).
	Image, Mask string
	// Label is the row's Label cell ("" when absent or empty: the
	// parameters' label applies).
	Label string
}

// CaseList is a parsed case list.
type CaseList struct {
	// Columns are the header names in file order.
	Columns []string
	// Cases are the data rows in file order.
	Cases []Case
}

// ReadCases reads a PyRadiomics batch case list: a CSV file whose header
// names the columns Image and Mask (case-sensitive, required), optionally
// Label (a per-case label value), and any other columns, which are passed
// through to the output. A UTF-8 byte-order mark is ignored, blank lines
// are skipped, every row must have as many cells as the header, and a
// column may not be named twice nor be called "error" (reserved for the
// output). Relative Image and Mask paths are resolved by ResolveCasePath
// against the CSV file's directory.
func ReadCases(path string) (*CaseList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cl, err := ParseCases(b, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cl, nil
}

// ParseCases parses a case list (see ReadCases); relative paths are
// resolved against csvDir.
func ParseCases(doc []byte, csvDir string) (*CaseList, error) {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(doc))
	r.FieldsPerRecord = 0 // every row as long as the header
	header, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("empty case list: a header with columns Image and Mask is required")
	}
	if err != nil {
		return nil, fmt.Errorf("bad CSV: %v", err)
	}
	cl := &CaseList{Columns: header}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("column %q appears twice in the header", h)
		}
		if h == "error" {
			return nil, errors.New(`column name "error" is reserved for the output`)
		}
		col[h] = i
	}
	ii, okI := col["Image"]
	mi, okM := col["Mask"]
	if !okI || !okM {
		var missing []string
		if !okI {
			missing = append(missing, "Image")
		}
		if !okM {
			missing = append(missing, "Mask")
		}
		return nil, fmt.Errorf("missing required column(s) %s (header is %q; names are case-sensitive)",
			strings.Join(missing, " and "), header)
	}
	li, okL := col["Label"]
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				return nil, fmt.Errorf("line %d: %d cells, but the header has %d columns", pe.Line, len(rec), len(header))
			}
			return nil, fmt.Errorf("bad CSV: %v", err)
		}
		c := Case{Row: len(cl.Cases) + 1, Fields: rec}
		c.Image = ResolveCasePath(rec[ii], csvDir)
		c.Mask = ResolveCasePath(rec[mi], csvDir)
		if okL {
			c.Label = strings.TrimSpace(rec[li])
		}
		cl.Cases = append(cl.Cases, c)
	}
	if len(cl.Cases) == 0 {
		return nil, errors.New("the case list has a header but no cases")
	}
	return cl, nil
}

// ResolveCasePath resolves an Image or Mask cell: an empty or absolute path
// is returned as is; a relative path that exists relative to the current
// directory is used as is (PyRadiomics' behaviour); otherwise it is taken
// relative to csvDir, the directory of the case list.
func ResolveCasePath(p, csvDir string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(csvDir, p)
}

// BatchOptions configures RunBatch.
type BatchOptions struct {
	// CasesPath is the case list (see ReadCases).
	CasesPath string
	// OutPath is the output CSV, written atomically at the end.
	OutPath string
	// Params are the extraction parameters, overrides already applied.
	Params *Params
	// Overrides are the -s KEY:VALUE strings as given; they enter the cache key.
	Overrides []string
	// Workers is the number of cases extracted in parallel (and the bound
	// on cases in memory); 0 means runtime.NumCPU().
	Workers int
	// NoCache disables reading the cache (entries are still written).
	NoCache bool
	// CacheDir holds the per-case entries; "" means OutPath + ".cache".
	CacheDir string
	// Diagnostics adds the diagnostics_* columns.
	Diagnostics bool
	// Log receives progress lines and the summary (nil: discarded).
	Log io.Writer
	// Bar draws a progress bar on Log instead of one line per case.
	Bar bool
}

// BatchSummary counts how the cases of a batch ended.
type BatchSummary struct {
	Cases, Computed, Cached, Failed int
}

// String renders the summary line "N cases: X computed, Y from cache, Z failed".
func (s BatchSummary) String() string {
	return fmt.Sprintf("%d cases: %d computed, %d from cache, %d failed", s.Cases, s.Computed, s.Cached, s.Failed)
}

// caseResult is the outcome of one case, kept until the output is written
// (text only: images are released as soon as the case finishes).
type caseResult struct {
	status caseStatus
	err    string
	names  []string // shared between cases with the same keys
	values []string // aligned with names
}

// RunBatch extracts features for every case of a case list, in parallel,
// and writes one output row per case in input order: the input columns as
// given, then "error" (empty for a successful case), then the diagnostics
// (with Diagnostics) and features in the order of the first successful case,
// extra keys of other cases appended in sorted order (PyRadiomics' batch
// rule). A failed case keeps its input cells and error message with empty
// feature cells, and the batch goes on. Finished cases are cached (see
// Fingerprint and the cache key) as soon as they end, so an interrupted
// batch resumes where it stopped and produces a byte-identical output.
//
// The returned error is non-nil if the batch could not run or write its
// output, if ctx was cancelled (the output is then not written), or, after
// the output was written, if any case failed.
func RunBatch(ctx context.Context, opt BatchOptions) (BatchSummary, error) {
	var sum BatchSummary
	if opt.Params == nil {
		return sum, errors.New("batch: no parameters")
	}
	if opt.OutPath == "" {
		return sum, errors.New("batch: an output file (-o) is required")
	}
	cl, err := ReadCases(opt.CasesPath)
	if err != nil {
		return sum, err
	}
	// Diagnostics are computed (and cached, under a different key) only when
	// they are written.
	cp := *opt.Params
	cp.NoDiagnostics = !opt.Diagnostics
	opt.Params = &cp
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	cacheDir := opt.CacheDir
	if cacheDir == "" {
		cacheDir = opt.OutPath + ".cache"
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return sum, fmt.Errorf("cache directory: %w", err)
	}
	removeStaleTemps(cacheDir)
	logw := opt.Log
	if logw == nil {
		logw = io.Discard
	}
	var rep reporter
	if opt.Bar {
		rep = newBarReporter(logw, len(cl.Cases))
	} else {
		rep = &logReporter{w: logw}
		fmt.Fprintf(logw, "batch: %d cases, -j %d, cache %s\n", len(cl.Cases), workers, cacheDir)
	}

	b := &batch{opt: opt, cl: cl, cacheDir: cacheDir, results: make([]caseResult, len(cl.Cases)), rep: rep, idCol: idColumn(cl.Columns)}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				b.run(i)
			}
		}()
	}
feed:
	for i := range cl.Cases {
		select {
		case jobs <- i:
		case <-ctx.Done():
			b.mu.Lock()
			rep.message("interrupted: finishing the cases in progress (finished cases stay cached)")
			b.mu.Unlock()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	rep.close()

	sum.Cases = len(cl.Cases)
	for _, r := range b.results {
		switch r.status {
		case statusComputed:
			sum.Computed++
		case statusCached:
			sum.Cached++
		case statusFailed:
			sum.Failed++
		}
	}
	if err := ctx.Err(); err != nil {
		ran := sum.Computed + sum.Cached + sum.Failed
		fmt.Fprintf(logw, "%s, %d not run (interrupted)\n", sum, sum.Cases-ran)
		return sum, fmt.Errorf("batch interrupted after %d of %d cases; no output written (finished cases are cached: rerun to resume)", ran, sum.Cases)
	}
	if err := safefile.Write(opt.OutPath, func(w io.Writer) error {
		return writeBatchCSV(w, cl, b.results, opt.Diagnostics)
	}); err != nil {
		return sum, err
	}
	fmt.Fprintln(logw, sum.String())
	if sum.Failed > 0 {
		return sum, fmt.Errorf("%d of %d cases failed (see the error column of %s)", sum.Failed, sum.Cases, opt.OutPath)
	}
	return sum, nil
}

// batch is the shared state of one RunBatch.
type batch struct {
	opt      BatchOptions
	cl       *CaseList
	cacheDir string
	results  []caseResult // element i written only by the worker of case i
	idCol    int

	mu      sync.Mutex // serialises rep and schemas
	rep     reporter
	schemas [][]string
}

// run processes case i and reports it.
func (b *batch) run(i int) {
	start := time.Now()
	c := &b.cl.Cases[i]
	r, warnings, err := b.extract(c)
	if err != nil {
		r = caseResult{status: statusFailed, err: err.Error()}
	} else {
		b.mu.Lock()
		r.names = b.intern(r.names)
		b.mu.Unlock()
	}
	b.results[i] = r
	b.mu.Lock()
	b.rep.caseDone(&caseEvent{index: i, total: len(b.cl.Cases), name: b.caseName(c), status: r.status,
		err: r.err, dur: time.Since(start), warnings: warnings})
	b.mu.Unlock()
}

// extract loads case c from the cache or computes (and caches) it.
func (b *batch) extract(c *Case) (caseResult, []string, error) {
	p := b.opt.Params
	if c.Label != "" {
		l, err := parseLabel(c.Label)
		if err != nil {
			return caseResult{}, nil, err
		}
		cp := *p
		cp.Setting = p.Setting.Clone()
		if err := cp.Setting.Set("label", Value{V: int64(l), Text: c.Label}); err != nil {
			return caseResult{}, nil, err
		}
		p = &cp
	}
	if c.Image == "" || c.Mask == "" {
		return caseResult{}, nil, errors.New("empty Image or Mask path")
	}
	ih, img, err := contentHash(c.Image)
	if err != nil {
		return caseResult{}, nil, fmt.Errorf("image: %w", err)
	}
	mh, mask, err := contentHash(c.Mask)
	if err != nil {
		return caseResult{}, nil, fmt.Errorf("mask: %w", err)
	}
	key := cacheKey(ih, mh, p.Setting.Label, p.Fingerprint(), b.opt.Overrides)
	// A run without diagnostics can also use an entry made with them.
	keys := []string{key}
	if p.NoDiagnostics {
		full := *p
		full.NoDiagnostics = false
		keys = []string{cacheKey(ih, mh, p.Setting.Label, full.Fingerprint(), b.opt.Overrides), key}
	}
	var warnings []string
	if !b.opt.NoCache {
		for _, k := range keys {
			e, err := loadEntry(b.cacheDir, k)
			if err != nil {
				warnings = append(warnings, "ignoring a damaged cache entry: "+err.Error())
			} else if e != nil {
				return entryResult(e, statusCached), e.Warnings, nil
			}
		}
	}
	if img == nil {
		if img, err = imageio.Read(c.Image); err != nil {
			return caseResult{}, nil, err
		}
	}
	if mask == nil {
		if mask, err = imageio.Read(c.Mask); err != nil {
			return caseResult{}, nil, err
		}
	}
	res, err := executeSafely(p, img, mask)
	if err != nil {
		return caseResult{}, nil, err
	}
	e := newEntry(key, c.Image, c.Mask, p.Setting.Label, res)
	if err := storeEntry(b.cacheDir, e); err != nil {
		warnings = append(warnings, "could not cache the result: "+err.Error())
	}
	return entryResult(e, statusComputed), append(warnings, res.Warnings...), nil
}

// executeSafely runs p.Execute, turning a panic into an error so that one
// bad case cannot stop the batch.
func executeSafely(p *Params, img, mask *volume.Image) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	return p.Execute(img, mask)
}

// entryResult turns a cache entry into a result row (diagnostics first).
func entryResult(e *cacheEntry, st caseStatus) caseResult {
	n := len(e.Diagnostics) + len(e.Features)
	r := caseResult{status: st, names: make([]string, 0, n), values: make([]string, 0, n)}
	for _, d := range e.Diagnostics {
		r.names = append(r.names, d[0])
		r.values = append(r.values, d[1])
	}
	for _, f := range e.Features {
		r.names = append(r.names, f[0])
		r.values = append(r.values, f[1])
	}
	return r
}

// intern returns a previously seen name list equal to names, if any, so that
// cases with the same keys share one slice. Called with b.mu held.
func (b *batch) intern(names []string) []string {
	for _, s := range b.schemas {
		if slicesEqual(s, names) {
			return s
		}
	}
	if len(b.schemas) < 64 {
		b.schemas = append(b.schemas, names)
	}
	return names
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parseLabel reads a Label cell: a positive integer ("2"), also written as
// an integral decimal ("2.0", as spreadsheets export it).
func parseLabel(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f == math.Trunc(f) && f < 1<<31 {
		return int(f), nil
	}
	return 0, fmt.Errorf("Label %q: a positive integer expected", s) // the CSV column is named Label
}

// idColumn picks the column that names a case in progress lines: the
// first column called ID (any case), else the first column other than
// Image, Mask and Label; -1 if there is none.
func idColumn(cols []string) int {
	for i, c := range cols {
		if strings.EqualFold(c, "id") {
			return i
		}
	}
	for i, c := range cols {
		if c != "Image" && c != "Mask" && c != "Label" {
			return i
		}
	}
	return -1
}

// caseName renders "ID=P003" (or "Image=path" without an identifying column).
func (b *batch) caseName(c *Case) string {
	if b.idCol >= 0 {
		return b.cl.Columns[b.idCol] + "=" + c.Fields[b.idCol]
	}
	return "Image=" + c.Image
}

// batchHeader returns the feature columns: the keys of the first
// successful case (in input order), then the keys of later cases that it
// lacks, sorted. Diagnostics keys are dropped unless withDiagnostics.
func batchHeader(results []caseResult, withDiagnostics bool) []string {
	keep := func(n string) bool { return withDiagnostics || !strings.HasPrefix(n, "diagnostics_") }
	ok := func(r *caseResult) bool { return r.status == statusComputed || r.status == statusCached }
	first := -1
	for i := range results {
		if ok(&results[i]) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	var header []string
	seen := map[string]bool{}
	for _, n := range results[first].names {
		if keep(n) && !seen[n] {
			seen[n] = true
			header = append(header, n)
		}
	}
	var extra []string
	visited := [][]string{results[first].names}
	for i := first + 1; i < len(results); i++ {
		r := &results[i]
		if !ok(r) || len(r.names) == 0 || sameSlice(visited, r.names) {
			continue
		}
		visited = append(visited, r.names)
		for _, n := range r.names {
			if keep(n) && !seen[n] {
				seen[n] = true
				extra = append(extra, n)
			}
		}
	}
	sort.Strings(extra)
	return append(header, extra...)
}

// sameSlice reports whether names is (the same backing array as) one of l;
// interned name lists are compared by identity.
func sameSlice(l [][]string, names []string) bool {
	for _, s := range l {
		if len(s) == len(names) && (len(s) == 0 || &s[0] == &names[0]) {
			return true
		}
	}
	return false
}

// writeBatchCSV writes the batch output (see RunBatch).
func writeBatchCSV(w io.Writer, cl *CaseList, results []caseResult, withDiagnostics bool) error {
	feat := batchHeader(results, withDiagnostics)
	colOf := make(map[string]int, len(feat))
	for i, n := range feat {
		colOf[n] = i
	}
	nIn := len(cl.Columns)
	cw := csv.NewWriter(w)
	row := make([]string, 0, nIn+1+len(feat))
	row = append(append(append(row, cl.Columns...), "error"), feat...)
	if err := cw.Write(row); err != nil {
		return err
	}
	// Column positions per shared name list, computed once.
	type cols struct {
		names []string
		idx   []int
	}
	var cache []cols
	positions := func(names []string) []int {
		for _, c := range cache {
			if sameSlice([][]string{c.names}, names) {
				return c.idx
			}
		}
		idx := make([]int, len(names))
		for i, n := range names {
			j, ok := colOf[n]
			if !ok {
				j = -1 // a diagnostics key without --diagnostics
			}
			idx[i] = j
		}
		cache = append(cache, cols{names, idx})
		return idx
	}
	for i, c := range cl.Cases {
		r := &results[i]
		row = row[:nIn+1+len(feat)]
		copy(row, c.Fields)
		for j := nIn; j < len(row); j++ {
			row[j] = ""
		}
		switch r.status {
		case statusFailed:
			row[nIn] = r.err
		case statusPending:
			row[nIn] = "not run"
		default:
			for k, j := range positions(r.names) {
				if j >= 0 {
					row[nIn+1+j] = r.values[k]
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
