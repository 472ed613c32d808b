// Package rfixture loads the R reference fixtures of the statistics engine
// (JSON files written by R with 17 significant digits; NA as null; the
// non-finite values as the strings "Inf", "-Inf", "NaN"). The fixture folder
// is $SPINERAD_STATS_FIXTURES when set (same layout as the shared
// reference's stats/ folder), else this package's testdata/ copy.
package rfixture

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// EnvVar names the environment variable that points at another fixture set.
const EnvVar = "SPINERAD_STATS_FIXTURES"

// Dir returns the fixture folder.
func Dir() string {
	if d := os.Getenv(EnvVar); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata")
}

// Path returns the path of fixture file name (e.g. "03_roc_asah.json" or
// "data/cohort_b.csv") inside Dir().
func Path(name string) string { return filepath.Join(Dir(), name) }

// Load decodes fixture file name into v, failing the test on error. A file
// that is absent from the folder (e.g. the aSAH files of other seeds' sets)
// skips the test.
func Load(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(Path(name))
	if os.IsNotExist(err) {
		t.Skipf("fixture %s not in %s", name, Dir())
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
}

// CSV reads a fixture CSV (e.g. "data/cohort_b.csv") into its header and
// data rows. A file absent from the folder skips the test.
func CSV(t testing.TB, name string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(Path(name))
	if os.IsNotExist(err) {
		t.Skipf("fixture %s not in %s", name, Dir())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: empty", name)
	}
	return recs[0], recs[1:]
}

// Columns reads a fixture CSV as column name -> cells in row order.
func Columns(t testing.TB, name string) map[string][]string {
	t.Helper()
	header, rows := CSV(t, name)
	cols := make(map[string][]string, len(header))
	for j, h := range header {
		col := make([]string, len(rows))
		for i, r := range rows {
			col[i] = r[j]
		}
		cols[h] = col
	}
	return cols
}

// Float is a float64 that also decodes null (as NaN) and the strings "Inf",
// "-Inf" and "NaN".
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch s {
	case "null", `"NaN"`:
		*f = Float(math.NaN())
		return nil
	case `"Inf"`:
		*f = Float(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = Float(math.Inf(-1))
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("rfixture: not a number: %s", s)
	}
	*f = Float(v)
	return nil
}

// Floats converts a []Float to []float64.
func Floats(v []Float) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// Rel reports whether got is within tol of want relative to max(1, |want|),
// the fixtures' "rel" rule; NaN equals NaN and infinities must match.
func Rel(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}
