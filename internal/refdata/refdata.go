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
	"sort"
	"strings"
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

// Cases returns the folder rel of the reference data and the names of the
// test cases in it, found by layout: a case is a name <case> for which every
// file <case><suffix> exists (for example "_image.nrrd", "_label.nrrd",
// "_1316.csv" in pyradiomics/), sorted. Without any case the test is skipped,
// or fails when CI=true, as with Dir.
func Cases(t testing.TB, rel string, suffixes ...string) (string, []string) {
	t.Helper()
	d := Dir(t, rel)
	if len(suffixes) == 0 {
		t.Fatal("refdata.Cases needs at least one file suffix")
	}
	first, _ := filepath.Glob(filepath.Join(d, "*"+suffixes[0]))
	var cases []string
	for _, f := range first {
		name := strings.TrimSuffix(filepath.Base(f), suffixes[0])
		ok := name != ""
		for _, s := range suffixes[1:] {
			if _, err := os.Stat(filepath.Join(d, name+s)); err != nil {
				ok = false
			}
		}
		if ok {
			cases = append(cases, name)
		}
	}
	sort.Strings(cases)
	if len(cases) == 0 {
		msg := "no test case with files " + strings.Join(suffixes, ", ") + " in " + d
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return d, cases
}

// File returns the path of the file name in the reference sub-folder rel,
// for tests of one named case (a value published for that case). A missing
// folder is handled as by Dir; a missing file skips the test even when
// CI=true, because the reference data may hold other cases of the same
// layout, which the layout-driven tests (Cases) then check.
func File(t testing.TB, rel, name string) string {
	t.Helper()
	p := filepath.Join(Dir(t, rel), name)
	if _, err := os.Stat(p); err != nil {
		t.Skip(name + " is not in the reference data at " + filepath.Dir(p) + "; this test checks values published for that case only")
	}
	return p
}
