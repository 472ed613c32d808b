// Package refdata locates the external reference data (IBSI phantoms,
// PyRadiomics test cases and baselines) that tests compare against. The data
// are never committed: they live in a folder named by the environment
// variable SPINERAD_REFDATA, by default ../shared/reference relative to the
// repository root.
package refdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// EnvVar names the environment variable that points at the reference data.
const EnvVar = "SPINERAD_REFDATA"

// Root returns the reference-data folder: $SPINERAD_REFDATA if set, else
// ../shared/reference relative to the repository root. It does not check
// that the folder exists.
func Root() string {
	if d := os.Getenv(EnvVar); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	return filepath.Join(repo, "..", "shared", "reference")
}

// Dir returns the sub-folder rel of the reference data. When it is absent the
// test is skipped with a message naming the folder, except when the
// environment has CI=true, where a missing reference is a failure.
func Dir(t testing.TB, rel string) string {
	t.Helper()
	d := filepath.Join(Root(), rel)
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		msg := "reference data not found at " + d + " (set " + EnvVar + " to the folder holding ibsi1/, pyradiomics/, stats/)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return d
}
