// Package rfixture loads the R reference fixtures of the statistics engine
// (JSON files written by R with 17 significant digits; NA as null; the
// non-finite values as the strings "Inf", "-Inf", "NaN"). The fixture folder
// is $SPINERAD_STATS_FIXTURES when set (same layout as the shared
// reference's stats/ folder), else this package's testdata/ copy.
package rfixture

import (
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
